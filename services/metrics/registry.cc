#include "services/metrics/registry.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rebook::metrics {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "metrics: " << what << "\n";
  std::abort();
}

bool ValidName(const std::string& s, bool allow_colon) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void AtomicAdd(std::atomic<double>& a, double by) {
  double old = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(old, old + by, std::memory_order_relaxed)) {
  }
}

// `{a="x",b="y"}` (with `extra` appended, e.g. le="0.5"), or "" without any label.
std::string LabelText(const std::vector<std::string>& names, const LabelValues& values,
                      const std::string& extra = "") {
  if (names.empty() && extra.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ",";
    absl::StrAppend(&out, names[i], "=\"", EscapeLabelValue(values[i]), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, names.empty() ? "" : ",", extra);
  return out + "}";
}

const char* TypeName(internal::Type t) {
  switch (t) {
    case internal::Type::kCounter:
      return "counter";
    case internal::Type::kGauge:
      return "gauge";
    case internal::Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

void Counter::Increment(double by) {
  if (!(by >= 0)) Die("a counter cannot go down");
  AtomicAdd(value_, by);
}

void Gauge::Add(double by) { AtomicAdd(value_, by); }

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)), counts_(upper_bounds_.size() + 1, 0) {
  for (std::size_t i = 0; i < upper_bounds_.size(); ++i) {
    if (!std::isfinite(upper_bounds_[i]) || (i > 0 && upper_bounds_[i] <= upper_bounds_[i - 1])) {
      Die("histogram bounds must be finite and strictly increasing");
    }
  }
}

void Histogram::Observe(double v) {
  std::size_t i = 0;
  while (i < upper_bounds_.size() && v > upper_bounds_[i]) ++i;
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[i];
  sum_ += v;
}

Histogram::Snapshot Histogram::Take() const {
  Snapshot s;
  s.upper_bounds = upper_bounds_;
  std::lock_guard<std::mutex> lock(mu_);
  std::uint64_t running = 0;
  for (std::uint64_t c : counts_) {
    running += c;
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_;
  return s;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

// The exposition format's escapes: backslash and newline, and in label values also '"'.
std::string Escape(const std::string& v, bool quotes) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quotes && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeLabelValue(const std::string& v) { return Escape(v, /*quotes=*/true); }
std::string EscapeHelp(const std::string& v) { return Escape(v, /*quotes=*/false); }

std::string FormatSampleValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return absl::StrFormat("%.0f", v);
  // The shortest of %.15g..%.17g that reads back as the same double: "0.1", not
  // "0.10000000000000001".
  std::string text;
  for (int precision = 15; precision <= 17; ++precision) {
    text = absl::StrFormat("%.*g", precision, v);
    if (std::strtod(text.c_str(), nullptr) == v) break;
  }
  return text;
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(const LabelValues& values) {
  if (values.size() != label_names_.size()) {
    Die(absl::StrCat(name_, ": expected ", label_names_.size(), " label values"));
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = series_.find(values);
  if (it == series_.end()) {
    std::unique_ptr<Metric> m;
    if constexpr (std::is_same_v<Metric, Histogram>) {
      m = std::make_unique<Histogram>(buckets_);
    } else {
      m = std::make_unique<Metric>();
    }
    it = series_.emplace(values, std::move(m)).first;
  }
  return *it->second;
}

template <typename Metric>
void Family<Metric>::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  series_.clear();
}

template <typename Metric>
void Family<Metric>::Write(std::string& out) const {
  absl::StrAppend(&out, "# HELP ", name_, " ", EscapeHelp(help_), "\n");
  absl::StrAppend(&out, "# TYPE ", name_, " ", TypeName(type_), "\n");
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [values, metric] : series_) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      const Histogram::Snapshot s = metric->Take();
      for (std::size_t i = 0; i <= s.upper_bounds.size(); ++i) {
        const std::string le =
            i < s.upper_bounds.size() ? FormatSampleValue(s.upper_bounds[i]) : "+Inf";
        absl::StrAppend(&out, name_, "_bucket",
                        LabelText(label_names_, values, absl::StrCat("le=\"", le, "\"")), " ",
                        s.cumulative[i], "\n");
      }
      absl::StrAppend(&out, name_, "_sum", LabelText(label_names_, values), " ",
                      FormatSampleValue(s.sum), "\n");
      absl::StrAppend(&out, name_, "_count", LabelText(label_names_, values), " ", s.count, "\n");
    } else {
      absl::StrAppend(&out, name_, LabelText(label_names_, values), " ",
                      FormatSampleValue(metric->value()), "\n");
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

void Registry::CheckNewName(const std::string& name, const std::vector<std::string>& label_names,
                            bool histogram) {
  if (!ValidName(name, /*allow_colon=*/true)) Die(absl::StrCat("bad metric name ", name));
  for (const std::string& l : label_names) {
    if (!ValidName(l, false) || l.rfind("__", 0) == 0 || (histogram && l == "le")) {
      Die(absl::StrCat(name, ": bad label name ", l));
    }
  }
  for (const std::string& n : names_) {
    if (n == name) Die(absl::StrCat("metric ", name, " added twice"));
  }
  names_.push_back(name);
}

CounterFamily& Registry::AddCounter(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mu_);
  CheckNewName(name, label_names, false);
  Entry e{internal::Type::kCounter, nullptr, nullptr, nullptr};
  e.counters.reset(
      new CounterFamily(name, help, std::move(label_names), internal::Type::kCounter, {}));
  families_.push_back(std::move(e));
  return *families_.back().counters;
}

GaugeFamily& Registry::AddGauge(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mu_);
  CheckNewName(name, label_names, false);
  Entry e{internal::Type::kGauge, nullptr, nullptr, nullptr};
  e.gauges.reset(new GaugeFamily(name, help, std::move(label_names), internal::Type::kGauge, {}));
  families_.push_back(std::move(e));
  return *families_.back().gauges;
}

HistogramFamily& Registry::AddHistogram(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> buckets) {
  std::lock_guard<std::mutex> lock(mu_);
  CheckNewName(name, label_names, true);
  Histogram check(buckets);  // dies on bad bounds now rather than at the first observation
  Entry e{internal::Type::kHistogram, nullptr, nullptr, nullptr};
  e.histograms.reset(new HistogramFamily(name, help, std::move(label_names),
                                         internal::Type::kHistogram, std::move(buckets)));
  families_.push_back(std::move(e));
  return *families_.back().histograms;
}

void Registry::AddCollector(std::function<void()> collector) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::Expose() const {
  std::lock_guard<std::mutex> scrape(collect_mu_);
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    collectors = collectors_;
  }
  for (const auto& c : collectors) c();
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const Entry& e : families_) {
    if (e.counters) e.counters->Write(out);
    if (e.gauges) e.gauges->Write(out);
    if (e.histograms) e.histograms->Write(out);
  }
  return out;
}

}  // namespace rebook::metrics
