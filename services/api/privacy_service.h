// PrivacyService: retention settings, citizens' export and erasure, and on-demand purges (see
// proto/rebook/v1/privacy.proto and docs/privacy.md). Office admins for their offices, admins
// for all. Each RPC validates, converts, calls one use case of services/rebooking/privacy_*,
// and converts back.
//
// Hook point for an access log of personal data: every RPC here reads or erases a citizen's
// data and goes through ServiceEnv::Handle with its method name and principal, so an audit
// record (who, role, office, what, when, request id) belongs in Handle or right after the use
// case returns; the citizen key itself must never be recorded.
#ifndef REBOOK_SERVICES_API_PRIVACY_SERVICE_H_
#define REBOOK_SERVICES_API_PRIVACY_SERVICE_H_

#include "rebook/v1/privacy.grpc.pb.h"
#include "services/api/rpc_context.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/privacy_purge.h"

namespace rebook::api {

class PrivacyServiceImpl final : public rebook::v1::PrivacyService::Service {
 public:
  // All pointers must outlive the service.
  PrivacyServiceImpl(const ServiceEnv* env, const rebooking::OutboxPolicy* outbox,
                     const rebooking::RetentionPolicy* retention)
      : env_(*env), outbox_(*outbox), retention_(*retention) {}

  using Ctx = grpc::ServerContext;
  grpc::Status GetPrivacySettings(Ctx* ctx, const v1::GetPrivacySettingsRequest* req,
                                  v1::PrivacySettings* resp) override;
  grpc::Status UpdatePrivacySettings(Ctx* ctx, const v1::UpdatePrivacySettingsRequest* req,
                                     v1::PrivacySettings* resp) override;
  grpc::Status ExportCitizenData(Ctx* ctx, const v1::ExportCitizenDataRequest* req,
                                 v1::CitizenData* resp) override;
  grpc::Status EraseCitizenData(Ctx* ctx, const v1::EraseCitizenDataRequest* req,
                                v1::EraseCitizenDataResponse* resp) override;
  grpc::Status PurgeExpiredData(Ctx* ctx, const v1::PurgeExpiredDataRequest* req,
                                v1::PurgeExpiredDataResponse* resp) override;

 private:
  rebooking::ErasureContext Context() const;

  const ServiceEnv& env_;
  const rebooking::OutboxPolicy& outbox_;
  const rebooking::RetentionPolicy& retention_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_PRIVACY_SERVICE_H_
