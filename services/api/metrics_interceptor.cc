#include "services/api/metrics_interceptor.h"

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "rebook/v1/plans.pb.h"
#include "services/api/audit_policy.h"

namespace rebook::api {
namespace {

namespace gx = grpc::experimental;
using Hook = gx::InterceptionHookPoints;

constexpr char kCreatePlan[] = "rebook.v1.PlanService/CreatePlan";

class MetricsInterceptor final : public gx::Interceptor {
 public:
  MetricsInterceptor(std::string method, RpcMetricFamilies* families)
      : method_(std::move(method)),
        families_(families),
        create_plan_(method_ == kCreatePlan),
        start_(std::chrono::steady_clock::now()) {}

  ~MetricsInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(gx::InterceptorBatchMethods* methods) override {
    if (create_plan_ && methods->QueryInterceptionHookPoint(Hook::PRE_SEND_MESSAGE)) {
      const auto* m = static_cast<const v1::CreatePlanResponse*>(methods->GetSendMessage());
      if (m != nullptr && m->has_plan()) ObservePlan(m->plan().summary());
    }
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::string code_name =
        absl::StatusCodeToString(static_cast<absl::StatusCode>(static_cast<int>(code)));
    families_->requests.WithLabels({method_, code_name}).Increment();
    families_->duration.WithLabels({method_}).Observe(seconds);
  }

  void ObservePlan(const v1::PlanSummary& s) {
    const double solve = static_cast<double>(s.solve_duration().seconds()) +
                         static_cast<double>(s.solve_duration().nanos()) / 1e9;
    families_->solve_seconds.WithLabels({}).Observe(solve);
    // A summary seen by a principal of some offices only leaves the bound and gap unset.
    if (s.lower_bound() > 0 || s.gap() > 0) {
      families_->gap.WithLabels({}).Observe(s.gap());
      families_->last_gap.WithLabels({}).Set(s.gap());
    }
  }

  const std::string method_;
  RpcMetricFamilies* families_;
  const bool create_plan_;
  const std::chrono::steady_clock::time_point start_;
  bool recorded_ = false;
};

}  // namespace

RpcMetricFamilies::RpcMetricFamilies(metrics::Registry* r)
    : requests(r->AddCounter("rebook_rpc_requests_total",
                             "gRPC calls finished, by method and status code.",
                             {"method", "code"})),
      duration(r->AddHistogram("rebook_rpc_duration_seconds",
                               "gRPC call latency from the call's start to its status, seconds.",
                               {"method"}, metrics::DefaultLatencyBuckets())),
      solve_seconds(r->AddHistogram("rebook_plan_solve_seconds",
                                    "Solver wall time of the plans CreatePlan made, seconds.", {},
                                    {0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300})),
      gap(r->AddHistogram("rebook_plan_gap_ratio",
                          "Proven optimality gap (objective - bound) / objective of new plans.", {},
                          {0, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1})),
      last_gap(r->AddGauge("rebook_plan_last_gap_ratio",
                           "Proven optimality gap of the last plan CreatePlan made.")) {}

std::string MethodLabel(const char* path) {
  if (path == nullptr) return "other";
  std::string method = path;
  if (!method.empty() && method[0] == '/') method.erase(0, 1);
  if (ClassifiedCategory(method).has_value() || absl::StartsWith(method, "grpc.health.v1.")) {
    return method;
  }
  return "other";
}

gx::Interceptor* MetricsInterceptorFactory::CreateServerInterceptor(gx::ServerRpcInfo* info) {
  return new MetricsInterceptor(MethodLabel(info->method()), families_);
}

}  // namespace rebook::api
