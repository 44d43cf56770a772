#include "services/metrics/registry.h"

#include <cmath>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace rebook::metrics {
namespace {

TEST(RegistryTest, ExposesCountersWithHelpTypeAndLabels) {
  Registry r;
  auto& calls = r.AddCounter("rpc_total", "Calls handled.", {"method", "code"});
  calls.WithLabels({"a.B/C", "OK"}).Increment();
  calls.WithLabels({"a.B/C", "OK"}).Increment(2);
  calls.WithLabels({"a.B/C", "NOT_FOUND"}).Increment();
  EXPECT_EQ(r.Expose(),
            "# HELP rpc_total Calls handled.\n"
            "# TYPE rpc_total counter\n"
            "rpc_total{method=\"a.B/C\",code=\"NOT_FOUND\"} 1\n"
            "rpc_total{method=\"a.B/C\",code=\"OK\"} 3\n");
}

TEST(RegistryTest, EscapesLabelValuesAndHelp) {
  Registry r;
  r.AddGauge("g", "line one\nback\\slash", {"l"}).WithLabels({"q\"uo\\te\nnl"}).Set(1.5);
  EXPECT_EQ(r.Expose(),
            "# HELP g line one\\nback\\\\slash\n"
            "# TYPE g gauge\n"
            "g{l=\"q\\\"uo\\\\te\\nnl\"} 1.5\n");
}

TEST(RegistryTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry r;
  auto& h = r.AddHistogram("lat_seconds", "Latency.", {"m"}, {0.1, 1});
  auto& s = h.WithLabels({"x"});
  s.Observe(0.05);
  s.Observe(0.1);  // on the bound: counted in le="0.1"
  s.Observe(0.5);
  s.Observe(7);
  EXPECT_EQ(r.Expose(),
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{m=\"x\",le=\"0.1\"} 2\n"
            "lat_seconds_bucket{m=\"x\",le=\"1\"} 3\n"
            "lat_seconds_bucket{m=\"x\",le=\"+Inf\"} 4\n"
            "lat_seconds_sum{m=\"x\"} 7.65\n"
            "lat_seconds_count{m=\"x\"} 4\n");
}

TEST(RegistryTest, UnlabelledSeriesAndSpecialValues) {
  Registry r;
  r.AddGauge("up", "Up.").WithLabels({}).Set(1);
  auto& g = r.AddGauge("odd", "Odd values.", {"k"});
  g.WithLabels({"inf"}).Set(INFINITY);
  g.WithLabels({"nan"}).Set(NAN);
  g.WithLabels({"neg"}).Set(-2.25);
  EXPECT_EQ(r.Expose(),
            "# HELP up Up.\n# TYPE up gauge\nup 1\n"
            "# HELP odd Odd values.\n# TYPE odd gauge\n"
            "odd{k=\"inf\"} +Inf\nodd{k=\"nan\"} NaN\nodd{k=\"neg\"} -2.25\n");
}

TEST(RegistryTest, CollectorsRunAtEveryScrapeAndClearDropsStaleSeries) {
  Registry r;
  auto& g = r.AddGauge("msgs", "Messages.", {"state"});
  int scrapes = 0;
  r.AddCollector([&] {
    g.Clear();
    ++scrapes;
    g.WithLabels({scrapes == 1 ? "pending" : "sent"}).Set(scrapes);
  });
  EXPECT_NE(r.Expose().find("msgs{state=\"pending\"} 1\n"), std::string::npos);
  const std::string second = r.Expose();
  EXPECT_EQ(second.find("pending"), std::string::npos);
  EXPECT_NE(second.find("msgs{state=\"sent\"} 2\n"), std::string::npos);
}

TEST(RegistryTest, ConcurrentIncrementsAreNotLost) {
  Registry r;
  auto& c = r.AddCounter("c_total", "C.", {"t"});
  auto& h = r.AddHistogram("h", "H.", {}, {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.WithLabels({"x"}).Increment();
        h.WithLabels({}).Observe(0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.WithLabels({"x"}).value(), 40000);
  EXPECT_EQ(h.WithLabels({}).Take().count, 40000u);
}

TEST(RegistryDeathTest, RejectsBadNamesDuplicatesAndWrongLabelCounts) {
  Registry r;
  r.AddCounter("ok_total", "x", {"a"});
  EXPECT_DEATH(r.AddCounter("ok_total", "x"), "added twice");
  EXPECT_DEATH(r.AddGauge("1bad", "x"), "bad metric name");
  EXPECT_DEATH(r.AddGauge("g", "x", {"__reserved"}), "bad label name");
  EXPECT_DEATH(r.AddHistogram("h", "x", {"le"}, {1}), "bad label name");
  EXPECT_DEATH(r.AddHistogram("h2", "x", {}, {2, 1}), "strictly increasing");
  Registry r2;
  auto& c = r2.AddCounter("c_total", "x", {"a"});
  EXPECT_DEATH(c.WithLabels({"1", "2"}), "expected 1 label values");
  EXPECT_DEATH(c.WithLabels({"1"}).Increment(-1), "cannot go down");
}

}  // namespace
}  // namespace rebook::metrics
