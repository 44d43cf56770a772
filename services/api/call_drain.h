// CallDrain: counts the calls in flight, so that a stopping server can wait for exactly those.
//
// Installed as a gRPC server interceptor, it sees every call start and end. Health checks do
// not count: they are what load balancers poll while the server drains.
//
//   CallDrain drain;
//   builder.experimental().SetInterceptorCreators(drain.InterceptorFactories());
//   ...
//   bool idle = drain.WaitUntilIdle(deadline);  // false: calls were still running at `deadline`
//
// Thread-safe. Must outlive the server it is installed in.
#ifndef REBOOK_SERVICES_API_CALL_DRAIN_H_
#define REBOOK_SERVICES_API_CALL_DRAIN_H_

#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"

namespace rebook::api {

class CallDrain {
 public:
  // A factory for ServerBuilder::experimental().SetInterceptorCreators; it refers to this.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
  InterceptorFactories();

  // Calls begun and not yet ended, health checks aside.
  int in_flight() const;
  // Blocks until no call is in flight or `deadline` passes; true if none is in flight.
  bool WaitUntilIdle(absl::Time deadline) const;

  // For the interceptor.
  void Begin();
  void End();

 private:
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CALL_DRAIN_H_
