#include "services/api/operation_registry.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace rebook::api {
namespace {

constexpr char kCommit[] = "rebook.v1.PlanService/CommitPlan";

class OperationRegistryTest : public ::testing::Test {
 protected:
  FakeClock clock_{Instant(std::chrono::seconds(1'800'000'000))};
};

TEST_F(OperationRegistryTest, ShowsProgressAndTheFinalStatusToItsOwnerOnly) {
  OperationRegistry registry(&clock_);
  std::shared_ptr<Operation> op = registry.Start("planung planner A", "r-1", kCommit);
  std::optional<OperationSnapshot> s = registry.Get("planung planner A", "r-1");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->stage, "running");
  EXPECT_FALSE(s->finished);
  EXPECT_EQ(s->method, kCommit);

  clock_.Advance(std::chrono::seconds(3));
  op->Report("writing offers", 256, 1000);
  s = registry.Get("planung planner A", "r-1");
  EXPECT_EQ(s->stage, "writing offers");
  EXPECT_EQ(s->done, 256);
  EXPECT_EQ(s->total, 1000);
  EXPECT_EQ(s->update_time - s->start_time, std::chrono::seconds(3));

  // Another caller, even with the same name but other offices, does not see it.
  EXPECT_FALSE(registry.Get("planung planner B", "r-1").has_value());
  EXPECT_FALSE(registry.Get("other planner A", "r-1").has_value());
  EXPECT_FALSE(registry.Get("planung planner A", "r-2").has_value());

  op->Finish(absl::OkStatus());
  s = registry.Get("planung planner A", "r-1");
  EXPECT_TRUE(s->finished);
  EXPECT_TRUE(s->status.ok());
  EXPECT_EQ(s->stage, "done");
  EXPECT_EQ(s->done, 1000);
}

TEST_F(OperationRegistryTest, DoneNeverGoesBackWithinAStageAndStartsAgainInTheNext) {
  OperationRegistry registry(&clock_);
  std::shared_ptr<Operation> op = registry.Start("o", "r", kCommit);
  op->Report("writing offers", 512, 1000);
  op->Report("writing offers", 256, 1000);
  EXPECT_EQ(registry.Get("o", "r")->done, 512);
  op->Report("queueing messages", 0, 900);
  EXPECT_EQ(registry.Get("o", "r")->done, 0);
  EXPECT_EQ(registry.Get("o", "r")->total, 900);
}

TEST_F(OperationRegistryTest, AFailureIsKeptAndNothingChangesAfterFinish) {
  OperationRegistry registry(&clock_);
  std::shared_ptr<Operation> op = registry.Start("o", "r", kCommit);
  op->Report("writing offers", 256, 1000);
  op->Finish(absl::DeadlineExceededError("too late"));
  op->Report("writing offers", 999, 1000);
  op->Finish(absl::OkStatus());
  OperationSnapshot s = *registry.Get("o", "r");
  EXPECT_EQ(s.status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(s.stage, "writing offers");
  EXPECT_EQ(s.done, 256);
}

TEST_F(OperationRegistryTest, ForgetsFinishedOperationsAfterTheirTimeButKeepsRunningOnes) {
  OperationRegistry registry(&clock_, {.keep_finished = std::chrono::seconds(60)});
  std::shared_ptr<Operation> running = registry.Start("o", "running", kCommit);
  registry.Start("o", "finished", kCommit)->Finish(absl::OkStatus());
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_FALSE(registry.Get("o", "finished").has_value());
  EXPECT_TRUE(registry.Get("o", "running").has_value());
  registry.Start("o", "new", kCommit);  // sweeps
  EXPECT_FALSE(registry.Get("o", "finished").has_value());
  EXPECT_TRUE(registry.Get("o", "running").has_value());
}

TEST_F(OperationRegistryTest, KeepsAtMostMaxFinishedDroppingTheOldest) {
  OperationRegistry registry(&clock_, {.max_finished = 3});
  for (int i = 0; i < 6; ++i) {
    registry.Start("o", "r" + std::to_string(i), kCommit)->Finish(absl::OkStatus());
    clock_.Advance(std::chrono::seconds(1));
  }
  int kept = 0;
  for (int i = 0; i < 6; ++i) kept += registry.Get("o", "r" + std::to_string(i)).has_value();
  EXPECT_EQ(kept, 3);
  EXPECT_TRUE(registry.Get("o", "r5").has_value());
  EXPECT_FALSE(registry.Get("o", "r0").has_value());
}

TEST_F(OperationRegistryTest, ARetryReplacesTheEntryAndCallsFindTheirOperation) {
  OperationRegistry registry(&clock_);
  int call_a = 0;
  int call_b = 0;
  std::shared_ptr<Operation> first = registry.Start("o", "r", kCommit);
  registry.Attach(&call_a, first);
  first->Finish(absl::UnavailableError("connection broke"));
  std::shared_ptr<Operation> retry = registry.Start("o", "r", kCommit);
  registry.Attach(&call_b, retry);
  EXPECT_EQ(registry.ForCall(&call_a), first);
  EXPECT_EQ(registry.ForCall(&call_b), retry);
  EXPECT_FALSE(registry.Get("o", "r")->finished);
  registry.Detach(&call_a);
  EXPECT_EQ(registry.ForCall(&call_a), nullptr);
}

TEST_F(OperationRegistryTest, ReportsFromManyThreadsKeepDoneMonotone) {
  OperationRegistry registry(&clock_);
  std::shared_ptr<Operation> op = registry.Start("o", "r", kCommit);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&op, t] {
      for (int i = 0; i < 1000; ++i) op->Report("writing", i * 4 + t, 4000);
    });
  }
  std::int64_t last = 0;
  for (int i = 0; i < 1000; ++i) {
    std::int64_t done = registry.Get("o", "r")->done;
    EXPECT_GE(done, last);
    last = done;
  }
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(registry.Get("o", "r")->done, 3999);
}

}  // namespace
}  // namespace rebook::api
