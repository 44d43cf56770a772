// SimulationService: the server's simulated clock, for demos and tests (see
// proto/rebook/v1/simulation.proto). Registered only when rebookd runs with --simulated_time.
#ifndef REBOOK_SERVICES_API_SIMULATION_SERVICE_H_
#define REBOOK_SERVICES_API_SIMULATION_SERVICE_H_

#include "rebook/v1/simulation.grpc.pb.h"
#include "services/api/rpc_context.h"
#include "services/common/clock.h"

namespace rebook::api {

class SimulationServiceImpl final : public rebook::v1::SimulationService::Service {
 public:
  // `clock` must be the clock of `env` and outlive the service.
  SimulationServiceImpl(const ServiceEnv* env, FakeClock* clock) : env_(*env), clock_(*clock) {}

  grpc::Status GetSimulatedTime(grpc::ServerContext* ctx, const v1::GetSimulatedTimeRequest* req,
                                v1::SimulatedTime* resp) override;
  grpc::Status AdvanceSimulatedTime(grpc::ServerContext* ctx,
                                    const v1::AdvanceSimulatedTimeRequest* req,
                                    v1::SimulatedTime* resp) override;

 private:
  const ServiceEnv& env_;
  FakeClock& clock_;
  std::mutex mu_;  // one advance at a time, so that "never back" holds
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_SIMULATION_SERVICE_H_
