// Deadlines on the Halle scenario: a commit whose client deadline passes before it commits
// changes nothing, so DEADLINE_EXCEEDED always means "nothing happened"; the client's retry with
// the same request id then commits exactly once.
#include <chrono>
#include <thread>

#include "tests/offers/halle_fixture.h"

namespace rebook::testing {
namespace {

using std::chrono::milliseconds;

class DeadlineTest : public HalleTest {
 protected:
  // Waits until no write transaction runs on the server: its single writer connection is
  // ours once an in-flight commit has committed or rolled back. The short sleep first lets a
  // handler that the client gave up on reach its transaction.
  void WaitForInFlightWrites() {
    std::this_thread::sleep_for(milliseconds(150));
    ASSERT_TRUE(
        server_.store().Write({}, [](storage::Transaction&) { return absl::OkStatus(); }).ok());
  }

  v1::Plan::State PlanState(const std::string& name) {
    v1::GetPlanRequest get;
    get.set_name(name);
    v1::Plan plan;
    grpc::Status s = plans_->GetPlan(server_.Context("admin").get(), get, &plan);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return plan.state();
  }
};

TEST_F(DeadlineTest, ACommitPastItsDeadlineChangesNothingAndItsRetryCommitsOnce) {
  const std::string plan = SolvePlan();
  v1::CommitPlanRequest req;
  req.set_name(plan);
  req.set_request_id("commit-with-a-deadline");

  // Deadlines from 1 ms up, doubling: the first ones pass before the server starts, later ones
  // while it writes the offers (it then rolls back), the last ones after it committed.
  int exceeded = 0;
  v1::Plan committed;
  grpc::Status s;
  for (int ms = 1; ms <= 64000; ms *= 2) {
    auto ctx = server_.Context("planner");
    ctx->set_deadline(std::chrono::system_clock::now() + milliseconds(ms));
    s = plans_->CommitPlan(ctx.get(), req, &committed);
    if (s.ok()) break;
    ASSERT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
        << ms << " ms: " << s.error_message();
    ++exceeded;
    WaitForInFlightWrites();
    ASSERT_TRUE(Offers().empty()) << "a commit that ran out of time after " << ms
                                  << " ms wrote offers";
    ASSERT_EQ(PlanState(plan), v1::Plan::READY) << ms << " ms";
  }
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GT(exceeded, 0);
  EXPECT_EQ(committed.state(), v1::Plan::COMMITTED);
  const std::size_t offers = Offers().size();
  EXPECT_EQ(static_cast<std::int64_t>(offers), committed.summary().assigned_count());
  EXPECT_GT(offers, 400u);

  // The same request id again: the stored answer, and nothing written twice.
  v1::Plan again;
  ASSERT_TRUE(plans_->CommitPlan(server_.Context("planner").get(), req, &again).ok());
  EXPECT_EQ(again.commit_time().seconds(), committed.commit_time().seconds());
  EXPECT_EQ(Offers().size(), offers);
  CheckInvariants("after the retried commit");
}

}  // namespace
}  // namespace rebook::testing
