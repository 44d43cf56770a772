// HealthService: grpc.health.v1.Health for rebookd, with a stop that load balancers can see.
//
// gRPC's default health service cannot do what a graceful stop needs: once grpc::Server's
// Shutdown starts, a Check is refused (UNAVAILABLE) instead of answered NOT_SERVING, and an open
// Watch stream keeps the server waiting for the whole grace period. This one answers the whole
// server (service "") only, as the default did, and lets RebookServer::Shutdown
//   1. SetServing(false): Check answers NOT_SERVING and every Watch is sent NOT_SERVING, while
//      the server still accepts calls;
//   2. EndWatches(): every open Watch (and any later one) ends with OK right after it has sent
//      NOT_SERVING, so that watchers do not hold the drain.
//
//   HealthService health;
//   builder.RegisterService(&health);
//   health.SetServing(true);
//
// Thread-safe. Each open Watch holds one server thread (it waits on a condition, and looks for
// a cancelled client once a second).
#ifndef REBOOK_SERVICES_API_HEALTH_SERVICE_H_
#define REBOOK_SERVICES_API_HEALTH_SERVICE_H_

#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace rebook::api {

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  // SERVING or NOT_SERVING for service ""; NOT_FOUND for any other name.
  grpc::Status Check(grpc::ServerContext* ctx, const grpc::health::v1::HealthCheckRequest* req,
                     grpc::health::v1::HealthCheckResponse* resp) override;
  // Sends the status now and after every change, until the client leaves or EndWatches().
  // Another service name gets SERVICE_UNKNOWN (and the stream stays open, as the protocol says).
  grpc::Status Watch(grpc::ServerContext* ctx, const grpc::health::v1::HealthCheckRequest* req,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

  void SetServing(bool serving);
  // Ends every Watch, now and later, once it has sent the current status.
  void EndWatches();

 private:
  absl::Mutex mu_;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
  bool ending_ ABSL_GUARDED_BY(mu_) = false;
  std::uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;  // bumped by every change
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_HEALTH_SERVICE_H_
