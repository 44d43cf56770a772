// OutageService of API v1: declare, get, list, close outages and report their impact.
#ifndef REBOOK_SERVICES_API_OUTAGE_SERVICE_H_
#define REBOOK_SERVICES_API_OUTAGE_SERVICE_H_

#include "rebook/v1/outages.grpc.pb.h"
#include "services/api/rpc_context.h"

namespace rebook::api {

class OutageServiceImpl final : public rebook::v1::OutageService::Service {
 public:
  explicit OutageServiceImpl(const ServiceEnv* env) : env_(*env) {}

  grpc::Status DeclareOutage(grpc::ServerContext* ctx, const v1::DeclareOutageRequest* req,
                             v1::Outage* resp) override;
  grpc::Status GetOutage(grpc::ServerContext* ctx, const v1::GetOutageRequest* req,
                         v1::Outage* resp) override;
  grpc::Status ListOutages(grpc::ServerContext* ctx, const v1::ListOutagesRequest* req,
                           v1::ListOutagesResponse* resp) override;
  grpc::Status CloseOutage(grpc::ServerContext* ctx, const v1::CloseOutageRequest* req,
                           v1::Outage* resp) override;
  grpc::Status GetOutageImpact(grpc::ServerContext* ctx, const v1::GetOutageImpactRequest* req,
                               v1::OutageImpact* resp) override;

 private:
  const ServiceEnv& env_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_OUTAGE_SERVICE_H_
