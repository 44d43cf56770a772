#include "tools/rebook_notifier/report_batcher.h"

#include <atomic>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace rebook::notifier {
namespace {

namespace v1 = ::rebook::v1;
using std::chrono::milliseconds;

v1::ReportDeliveryRequest Named(const std::string& name) {
  v1::ReportDeliveryRequest r;
  r.set_name(name);
  return r;
}

// Records the batches it is given and answers each report by its name: names ending in "-x"
// fail with FAILED_PRECONDITION. Checks that it is never called by two threads at once.
struct Recorder {
  std::mutex mu;
  std::vector<std::vector<std::string>> batches;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  milliseconds delay{0};

  ReportBatcher::SendFn Fn() {
    return [this](const std::vector<const v1::ReportDeliveryRequest*>& reports) {
      if (inside++ != 0) overlapped = true;
      std::this_thread::sleep_for(delay);
      std::vector<grpc::Status> out;
      std::vector<std::string> names;
      for (const auto* r : reports) {
        names.push_back(r->name());
        out.push_back(r->name().ends_with("-x")
                          ? grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "taken")
                          : grpc::Status::OK);
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        batches.push_back(names);
      }
      --inside;
      return out;
    };
  }
};

TEST(ReportBatcherTest, OneCallerSendsAtOnceWithoutLingering) {
  Recorder rec;
  ReportBatcher batcher(rec.Fn(), {.flush_count = 1, .linger = std::chrono::seconds(10)});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(batcher.Report(Named("m-1")).ok());
  EXPECT_EQ(batcher.Report(Named("m-2-x")).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(rec.batches.size(), 2u);
  EXPECT_EQ(batcher.stats().calls, 2);
  EXPECT_EQ(batcher.stats().reports, 2);
}

TEST(ReportBatcherTest, WaitingSendersShareCallsAndGetTheirOwnStatus) {
  Recorder rec;
  rec.delay = milliseconds(20);  // reports pile up while a call is in flight
  constexpr int kSenders = 8;
  constexpr int kEach = 10;
  ReportBatcher batcher(rec.Fn(), {.flush_count = kSenders, .linger = milliseconds(50)});
  std::atomic<int> wrong{0};
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      for (int i = 0; i < kEach; ++i) {
        const bool fail = (s + i) % 3 == 0;
        const std::string name = absl::StrCat("m-", s, "-", i, fail ? "-x" : "");
        const grpc::Status status = batcher.Report(Named(name));
        if (status.ok() == fail) ++wrong;
      }
    });
  }
  for (std::thread& t : senders) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_FALSE(rec.overlapped.load());
  std::set<std::string> seen;
  for (const auto& batch : rec.batches) {
    EXPECT_LE(static_cast<int>(batch.size()), kSenders);
    for (const std::string& name : batch) EXPECT_TRUE(seen.insert(name).second) << name;
  }
  EXPECT_EQ(static_cast<int>(seen.size()), kSenders * kEach);
  const ReportBatcher::Stats stats = batcher.stats();
  EXPECT_EQ(stats.reports, kSenders * kEach);
  // Eight senders with one report each outstanding: far fewer calls than reports.
  EXPECT_LE(stats.calls, kSenders * kEach / 2);
  EXPECT_GT(stats.largest_batch, 1);
}

TEST(ReportBatcherTest, LingerBoundsTheWaitForMoreReports) {
  Recorder rec;
  // Waits for 4 reports that never come: the linger ends the wait.
  ReportBatcher batcher(rec.Fn(), {.flush_count = 4, .linger = milliseconds(30)});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(batcher.Report(Named("m-1")).ok());
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, milliseconds(25));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST(ReportBatcherTest, ASenderThatLeavesIsNotWaitedFor) {
  Recorder rec;
  ReportBatcher batcher(rec.Fn(), {.linger = std::chrono::seconds(20)});
  batcher.AddSender();
  batcher.AddSender();
  // The second sender has no more messages: the first one's report goes out without lingering.
  std::thread leaving([&] {
    std::this_thread::sleep_for(milliseconds(20));
    batcher.RemoveSender();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(batcher.Report(Named("m-1")).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  leaving.join();
  batcher.RemoveSender();
}

TEST(ReportBatcherTest, MaxBatchSplitsCalls) {
  Recorder rec;
  rec.delay = milliseconds(30);
  ReportBatcher batcher(rec.Fn(), {.flush_count = 6, .linger = milliseconds(200), .max_batch = 2});
  std::vector<std::thread> senders;
  for (int s = 0; s < 6; ++s) {
    senders.emplace_back(
        [&, s] { EXPECT_TRUE(batcher.Report(Named(absl::StrCat("m-", s))).ok()); });
  }
  for (std::thread& t : senders) t.join();
  for (const auto& batch : rec.batches) EXPECT_LE(batch.size(), 2u);
  EXPECT_EQ(batcher.stats().reports, 6);
  EXPECT_GE(batcher.stats().calls, 3);
}

TEST(ReportBatcherTest, MissingResultsAreErrors) {
  ReportBatcher batcher(
      [](const std::vector<const v1::ReportDeliveryRequest*>&) {
        return std::vector<grpc::Status>{};
      },
      {});
  EXPECT_EQ(batcher.Report(Named("m-1")).error_code(), grpc::StatusCode::INTERNAL);
}

}  // namespace
}  // namespace rebook::notifier
