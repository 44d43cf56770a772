// OperationService of API v1: the long writes of this rebookd, seen by the caller who started
// them (operations.proto), and the interceptor that registers them.
//
// Every call whose first request message carries a non-empty request_id is an operation:
// OperationInterceptorFactory starts it in the OperationRegistry when that message arrives,
// ties it to the call (so a handler reports progress through ForCall(ctx)), and finishes it
// with the status the call ends with. GetOperation answers only the caller with the same name,
// role and offices (OperationOwner); for anyone else the id is NOT_FOUND, as an unknown one.
#ifndef REBOOK_SERVICES_API_OPERATION_SERVICE_H_
#define REBOOK_SERVICES_API_OPERATION_SERVICE_H_

#include <memory>
#include <string>

#include "grpcpp/support/server_interceptor.h"
#include "rebook/v1/operations.grpc.pb.h"
#include "services/api/auth.h"
#include "services/api/operation_registry.h"
#include "services/api/rpc_context.h"

namespace rebook::api {

// The registry key of a caller: name, role and offices ("planung planner HAL-MITTE,HAL-NORD").
std::string OperationOwner(const Principal& who);

// The operation of a running call (a handler's progress sink), or null.
std::shared_ptr<Operation> OperationOf(const OperationRegistry* registry,
                                       const grpc::ServerContextBase* ctx);

class OperationServiceImpl final : public v1::OperationService::Service {
 public:
  // Both must outlive the service.
  OperationServiceImpl(const ServiceEnv* env, const OperationRegistry* registry)
      : env_(*env), registry_(*registry) {}

  grpc::Status GetOperation(grpc::ServerContext* ctx, const v1::GetOperationRequest* req,
                            v1::Operation* resp) override;

 private:
  const ServiceEnv& env_;
  const OperationRegistry& registry_;
};

class OperationInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Both must outlive the server.
  OperationInterceptorFactory(const ServiceEnv* env, OperationRegistry* registry)
      : env_(env), registry_(registry) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const ServiceEnv* env_;
  OperationRegistry* registry_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_OPERATION_SERVICE_H_
