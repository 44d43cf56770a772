// A small in-process metrics registry with the Prometheus text exposition format (0.0.4).
//
//   metrics::Registry registry;
//   auto& calls = registry.AddCounter("rebook_rpc_requests_total", "RPCs handled.",
//                                     {"method", "code"});
//   calls.WithLabels({"rebook.v1.PlanService/GetPlan", "OK"}).Increment();
//   auto& latency = registry.AddHistogram("rebook_rpc_duration_seconds", "RPC latency.",
//                                         {"method"}, metrics::DefaultLatencyBuckets());
//   latency.WithLabels({"rebook.v1.PlanService/GetPlan"}).Observe(0.012);
//   registry.AddCollector([&] { /* set gauges that are computed at scrape time */ });
//   std::string body = registry.Expose();  // the body of GET /metrics
//
// Families are created once (at start-up) and live as long as the registry; the references
// returned stay valid. A family's label values are given in the order of its label names; the
// registry never adds labels of its own. Keep label values to a small fixed set (methods,
// codes, states, channels): every distinct combination is a series kept for the life of the
// process. Never put personal data or ids in a label.
//
// Thread safety: everything is thread-safe. Counters and gauges are lock-free atomics;
// a histogram takes a short lock per observation so that its buckets, sum and count are always
// exposed consistently. Expose() runs the collectors (one scrape at a time) and then formats.
// Errors: adding a family with an invalid or already used name, or WithLabels with the wrong
// number of values, is a programming error and aborts (these happen at start-up).
#ifndef REBOOK_SERVICES_METRICS_REGISTRY_H_
#define REBOOK_SERVICES_METRICS_REGISTRY_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rebook::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  // `by` must not be negative (a counter only goes up).
  void Increment(double by = 1.0);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double by);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `upper_bounds`: strictly increasing, finite; +Inf is implied.
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double v);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0.0;
    std::uint64_t count = 0;
  };
  Snapshot Take() const;

 private:
  const std::vector<double> upper_bounds_;
  mutable std::mutex mu_;
  std::vector<std::uint64_t> counts_;  // per bucket, not cumulative; last is +Inf
  double sum_ = 0.0;
};

// Buckets for request latencies, in seconds: 1 ms to 60 s.
std::vector<double> DefaultLatencyBuckets();

namespace internal {
enum class Type { kCounter, kGauge, kHistogram };
}  // namespace internal

// The series of one metric name, one per combination of label values.
template <typename Metric>
class Family {
 public:
  // The series for `values` (one per label name), created on first use.
  Metric& WithLabels(const LabelValues& values);
  // Forgets every series; for scrape-time gauges whose label sets come and go. References
  // returned before must not be used afterwards.
  void Clear();

 private:
  friend class Registry;
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         internal::Type type, std::vector<double> buckets)
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        type_(type),
        buckets_(std::move(buckets)) {}
  void Write(std::string& out) const;

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const internal::Type type_;
  const std::vector<double> buckets_;  // histograms only
  mutable std::mutex mu_;
  std::map<LabelValues, std::unique_ptr<Metric>> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*; counters should end in `_total`. Label names
  // match [a-zA-Z_][a-zA-Z0-9_]* and must not start with "__" (nor be "le" for histograms).
  CounterFamily& AddCounter(const std::string& name, const std::string& help,
                            std::vector<std::string> label_names = {});
  GaugeFamily& AddGauge(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names = {});
  HistogramFamily& AddHistogram(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names, std::vector<double> buckets);

  // Runs before every exposition, one at a time, in the order added; sets scrape-time gauges.
  void AddCollector(std::function<void()> collector);

  // Runs the collectors, then writes every family in the order added: `# HELP`, `# TYPE` and
  // one line per sample, label values escaped (\\, \", \n).
  std::string Expose() const;

 private:
  void CheckNewName(const std::string& name, const std::vector<std::string>& label_names,
                    bool histogram);

  mutable std::mutex collect_mu_;  // one scrape at a time
  mutable std::mutex mu_;          // guards the lists below while families are added
  std::vector<std::function<void()>> collectors_;
  struct Entry {
    internal::Type type;
    std::unique_ptr<CounterFamily> counters;
    std::unique_ptr<GaugeFamily> gauges;
    std::unique_ptr<HistogramFamily> histograms;
  };
  std::vector<Entry> families_;
  std::vector<std::string> names_;
};

// Exposition helpers, public for tests.
std::string EscapeLabelValue(const std::string& v);
std::string EscapeHelp(const std::string& v);
std::string FormatSampleValue(double v);

}  // namespace rebook::metrics

#endif  // REBOOK_SERVICES_METRICS_REGISTRY_H_
