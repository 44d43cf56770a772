#include "services/api/call_drain.h"

#include <string_view>

namespace rebook::api {
namespace {

namespace gx = grpc::experimental;

// Lives exactly as long as its call: gRPC creates it when the call starts and deletes it with
// the call's ServerRpcInfo once the call is over.
class CountingInterceptor final : public gx::Interceptor {
 public:
  explicit CountingInterceptor(CallDrain* drain) : drain_(drain) { drain_->Begin(); }
  ~CountingInterceptor() override { drain_->End(); }
  void Intercept(gx::InterceptorBatchMethods* methods) override { methods->Proceed(); }

 private:
  CallDrain* drain_;
};

class CountingFactory final : public gx::ServerInterceptorFactoryInterface {
 public:
  explicit CountingFactory(CallDrain* drain) : drain_(drain) {}
  gx::Interceptor* CreateServerInterceptor(gx::ServerRpcInfo* info) override {
    const char* method = info->method();
    if (method != nullptr && std::string_view(method).starts_with("/grpc.health.v1.Health/")) {
      return nullptr;  // not counted
    }
    return new CountingInterceptor(drain_);
  }

 private:
  CallDrain* drain_;
};

}  // namespace

std::vector<std::unique_ptr<gx::ServerInterceptorFactoryInterface>>
CallDrain::InterceptorFactories() {
  std::vector<std::unique_ptr<gx::ServerInterceptorFactoryInterface>> out;
  out.push_back(std::make_unique<CountingFactory>(this));
  return out;
}

int CallDrain::in_flight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

bool CallDrain::WaitUntilIdle(absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; };
  return mu_.AwaitWithDeadline(absl::Condition(&idle), deadline);
}

void CallDrain::Begin() {
  absl::MutexLock lock(&mu_);
  ++in_flight_;
}

void CallDrain::End() {
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

}  // namespace rebook::api
