// Transactions over plans, offers and the outbox: a failed write leaves nothing, a read
// transaction writes nothing.
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::IsEmpty;

// Writes one of everything of storage/outreach_store.h.
absl::Status WriteOutreach(Transaction& tx) {
  REBOOK_RETURN_IF_ERROR(tx.PutPlan(MakePlan("out-1", "plan-1", At(3, 10))));
  const domain::Assignment a = MakeUnassigned("a1");
  REBOOK_RETURN_IF_ERROR(tx.InsertAssignments("out-1", "plan-1", {&a, 1}));
  REBOOK_RETURN_IF_ERROR(tx.PutOffer(MakeOffer("a1", 1, "o1")));
  const domain::OutboxMessage m = MakeMessage("m1", "a1", "email", At(4, 8));
  REBOOK_RETURN_IF_ERROR(tx.InsertMessages({&m, 1}));
  const domain::MessageEvent e{.message_id = "m1", .time = At(4, 8), .reason = "queued"};
  return tx.AddMessageEvents({&e, 1});
}

void ExpectNoOutreach(Store& store) {
  EXPECT_TRUE(
      store
          .Read({},
                [](Transaction& tx) {
                  EXPECT_THAT(tx.GetPlan("out-1", "plan-1"), StatusIs(StatusCode::kNotFound));
                  EXPECT_THAT(tx.ListAssignments("out-1", "plan-1", {}, {}).value().items,
                              IsEmpty());
                  EXPECT_THAT(tx.GetOffer({"o1", "a1"}, 1), StatusIs(StatusCode::kNotFound));
                  EXPECT_THAT(tx.GetMessage("m1"), StatusIs(StatusCode::kNotFound));
                  EXPECT_THAT(tx.ListMessageEvents("m1").value(), IsEmpty());
                  return absl::OkStatus();
                })
          .ok());
}

TEST_P(StoreConformanceTest, FailedWriteLeavesNoPlansOffersOrMessages) {
  const absl::Status failure = absl::AbortedError("commit rejected");
  EXPECT_EQ(Write([&](Transaction& tx) -> absl::Status {
              REBOOK_RETURN_IF_ERROR(WriteOutreach(tx));
              return failure;
            }),
            failure);
  ExpectNoOutreach(store());
  REBOOK_ASSERT_OK(Write(WriteOutreach));  // and it all fits in one transaction
}

TEST_P(StoreConformanceTest, ReadTransactionsRejectOutreachWrites) {
  const auto kFailedPrecondition = StatusIs(StatusCode::kFailedPrecondition);
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    const domain::Assignment a = MakeUnassigned("a1");
    const domain::OutboxMessage m = MakeMessage("m1", "a1", "email", At(4, 8));
    const domain::MessageEvent e{.message_id = "m1", .time = At(4, 8)};
    EXPECT_THAT(tx.PutPlan(MakePlan("out-1", "plan-1", At(3, 10))), kFailedPrecondition);
    EXPECT_THAT(tx.InsertAssignments("out-1", "plan-1", {&a, 1}), kFailedPrecondition);
    EXPECT_THAT(tx.PutOffer(MakeOffer("a1", 1, "o1")), kFailedPrecondition);
    EXPECT_THAT(tx.InsertMessages({&m, 1}), kFailedPrecondition);
    EXPECT_THAT(tx.UpdateMessage(m), kFailedPrecondition);
    EXPECT_THAT(tx.AddMessageEvents({&e, 1}), kFailedPrecondition);
    return absl::OkStatus();
  }));
  ExpectNoOutreach(store());
}

}  // namespace
}  // namespace rebook::storage::conformance
