// The one place where the audit log is written: a gRPC server interceptor that every call
// passes through, so that no handler has to remember to record itself.
//
// For each call of a method audit_policy.h classifies as audited, it collects resource names,
// the request id and record counts from the messages as they pass, and, just before the status
// is sent, appends one entry (who, role, offices, method, category, resources, count, outcome
// code, request id) to the AuditTrail in its own transaction. Calls that fail are recorded with
// their code and a count of 0 (a failed call changes nothing); calls without a valid token are
// not recorded (the access log has them). Public offer-token calls are recorded as principal
// "public" with a digest prefix of the token as resource.
//
// Fail closed: if the entry cannot be appended, the call ends with UNAVAILABLE and an unary
// response is replaced by an empty message, so no personal data leaves without a record. A
// change has already committed by then; a retry with the same request_id replays it (and is
// recorded). Server-streamed messages (CreatePlan's progress) have left before the status.
#ifndef REBOOK_SERVICES_API_AUDIT_INTERCEPTOR_H_
#define REBOOK_SERVICES_API_AUDIT_INTERCEPTOR_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"
#include "services/api/rpc_context.h"
#include "services/audit/audit_trail.h"

namespace rebook::api {

class AuditInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Both must outlive the server.
  AuditInterceptorFactory(const ServiceEnv* env, const audit::AuditTrail* trail)
      : env_(env), trail_(trail) {}

  // nullptr (no interceptor) for methods that are not audited.
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const ServiceEnv* env_;
  const audit::AuditTrail* trail_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_AUDIT_INTERCEPTOR_H_
