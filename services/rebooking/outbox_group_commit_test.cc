#include "services/rebooking/outbox_group_commit.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking::testing {
namespace {

class GroupCommitTest : public OutboxTest {
 protected:
  bool HasOffice(const std::string& id) {
    return store_->Read({}, [&](storage::Transaction& tx) { return tx.GetOffice(id).status(); })
        .ok();
  }
  // Waits (at most 10 s) until `n` callers are queued behind the running transaction.
  static void AwaitQueued(GroupCommit& gc, int n) {
    for (int i = 0; i < 1000 && gc.queued() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  static absl::Status PutOffice(storage::Transaction& tx, const std::string& id) {
    return tx.PutOffice({.id = id, .name = id, .state = "DE-ST"});
  }
};

TEST_F(GroupCommitTest, AloneItIsAPlainWrite) {
  GroupCommit gc(store_.get());
  ASSERT_TRUE(gc.Run({}, [](storage::Transaction& tx) { return PutOffice(tx, "X"); }).ok());
  EXPECT_EQ(gc.Run({}, [](storage::Transaction&) { return absl::NotFoundError("nope"); }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(HasOffice("X"));
  EXPECT_EQ(gc.stats().calls, 2);
  EXPECT_EQ(gc.stats().largest_batch, 1);
}

TEST_F(GroupCommitTest, CallersArrivingDuringACommitShareTheNextOne) {
  GroupCommit gc(store_.get());
  std::atomic<bool> first_running{false};
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    EXPECT_TRUE(gc.Run({}, [&](storage::Transaction& tx) {
                    first_running = true;
                    AwaitQueued(gc, 7);
                    return PutOffice(tx, "T0");
                  }).ok());
  });
  while (!first_running) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (int i = 1; i < 8; ++i) {
    threads.emplace_back([&, i] {
      EXPECT_TRUE(gc.Run({}, [&](storage::Transaction& tx) {
                      return PutOffice(tx, "T" + std::to_string(i));
                    }).ok());
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(HasOffice("T" + std::to_string(i))) << i;
  EXPECT_EQ(gc.stats().largest_batch, 7);
  EXPECT_EQ(gc.stats().transactions, 2);
}

TEST_F(GroupCommitTest, AFailingFunctionDoesNotChangeTheOthersOutcome) {
  GroupCommit gc(store_.get());
  std::atomic<bool> first_running{false};
  std::thread leader([&] {
    EXPECT_TRUE(gc.Run({}, [&](storage::Transaction& tx) {
                    first_running = true;
                    AwaitQueued(gc, 3);
                    return PutOffice(tx, "L");
                  }).ok());
  });
  while (!first_running) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  absl::Status ok1, failed, ok2;
  std::thread a(
      [&] { ok1 = gc.Run({}, [](storage::Transaction& tx) { return PutOffice(tx, "A1"); }); });
  AwaitQueued(gc, 1);
  std::thread b([&] {
    failed = gc.Run({}, [](storage::Transaction& tx) -> absl::Status {
      // Writes, then fails: the write must not survive.
      REBOOK_RETURN_IF_ERROR(PutOffice(tx, "F"));
      return absl::FailedPreconditionError("lease lost");
    });
  });
  AwaitQueued(gc, 2);
  std::thread c(
      [&] { ok2 = gc.Run({}, [](storage::Transaction& tx) { return PutOffice(tx, "A2"); }); });
  for (std::thread* t : {&leader, &a, &b, &c}) t->join();
  EXPECT_TRUE(ok1.ok()) << ok1;
  EXPECT_TRUE(ok2.ok()) << ok2;
  EXPECT_EQ(failed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(HasOffice("A1"));
  EXPECT_TRUE(HasOffice("A2"));
  EXPECT_FALSE(HasOffice("F"));
  EXPECT_EQ(gc.stats().largest_batch, 3);
  EXPECT_EQ(gc.stats().transactions, 1 + 1 + 3);  // the leader, the shared try, three alone
}

}  // namespace
}  // namespace rebook::rebooking::testing
