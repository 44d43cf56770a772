// RPC metrics: a gRPC server interceptor that every call passes through (registered in
// server.cc next to the audit interceptor), feeding a metrics::Registry:
//
//   rebook_rpc_requests_total{method,code}         calls finished, by gRPC status code
//   rebook_rpc_duration_seconds{method}            from the call's start to its status
//   rebook_plan_solve_seconds                      solve wall time of each plan CreatePlan made
//   rebook_plan_gap_ratio                          its proven optimality gap (when proven)
//   rebook_plan_last_gap_ratio                     the gap of the last such plan
//
// Labels are the full method name ("rebook.v1.PlanService/CreatePlan", "other" for a method
// the server does not serve) and the status code name: never a caller, office, id or text
// from a request, so the series stay few and carry no personal data. A call the client
// cancels before the status is sent counts as CANCELLED.
#ifndef REBOOK_SERVICES_API_METRICS_INTERCEPTOR_H_
#define REBOOK_SERVICES_API_METRICS_INTERCEPTOR_H_

#include "grpcpp/support/server_interceptor.h"
#include "services/metrics/registry.h"

namespace rebook::api {

// The families, added to `registry` once.
struct RpcMetricFamilies {
  explicit RpcMetricFamilies(metrics::Registry* registry);
  metrics::CounterFamily& requests;
  metrics::HistogramFamily& duration;
  metrics::HistogramFamily& solve_seconds;
  metrics::HistogramFamily& gap;
  metrics::GaugeFamily& last_gap;
};

class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `families` must outlive the server.
  explicit MetricsInterceptorFactory(RpcMetricFamilies* families) : families_(families) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcMetricFamilies* families_;
};

// The method label for a gRPC method path ("/pkg.Service/Method"): the name without the
// slash for methods of API v1 and gRPC health, "other" for anything else.
std::string MethodLabel(const char* path);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_METRICS_INTERCEPTOR_H_
