// AuditService of API v1: list audit entries and verify their hash chain. Only the auditor
// role may call it (Permission::kReadAudit); an auditor limited to some offices lists entries
// of one of its offices at a time and cannot verify the whole chain.
#ifndef REBOOK_SERVICES_API_AUDIT_SERVICE_H_
#define REBOOK_SERVICES_API_AUDIT_SERVICE_H_

#include "rebook/v1/audit.grpc.pb.h"
#include "services/api/rpc_context.h"
#include "services/audit/audit_trail.h"

namespace rebook::api {

class AuditServiceImpl final : public rebook::v1::AuditService::Service {
 public:
  // Both must outlive the service.
  AuditServiceImpl(const ServiceEnv* env, const audit::AuditTrail* trail)
      : env_(*env), trail_(*trail) {}

  grpc::Status ListAuditEntries(grpc::ServerContext* ctx, const v1::ListAuditEntriesRequest* req,
                                v1::ListAuditEntriesResponse* resp) override;
  grpc::Status VerifyAuditChain(grpc::ServerContext* ctx, const v1::VerifyAuditChainRequest* req,
                                v1::VerifyAuditChainResponse* resp) override;

 private:
  const ServiceEnv& env_;
  const audit::AuditTrail& trail_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_AUDIT_SERVICE_H_
