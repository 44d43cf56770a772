// Plans and their assignments (storage/outreach_store.h, PlanTables).
#include <algorithm>

#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using IdList = std::vector<std::string>;

TEST_P(StoreConformanceTest, PlanRoundTripReplaceAndNotFound) {
  domain::PlanRecord plan = MakePlan("out-1", "plan-1", At(3, 10));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutPlan(plan); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord got, tx.GetPlan("out-1", "plan-1"));
    ExpectSamePlan(got, plan);
    EXPECT_THAT(tx.GetPlan("out-1", "plan-2"), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(tx.GetPlan("out-2", "plan-1"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));

  // Replaced by key: optional fields and lists go away.
  plan.state = domain::PlanState::kFailed;
  plan.params.reserve_share = 0.0;
  plan.seed = 1;
  plan.summary = {};
  plan.commit_time.reset();
  plan.base_plan_id = "";
  plan.failure_reason = "solver ran out of time";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutPlan(plan); }));
  // The same id under another outage is another plan.
  domain::PlanRecord other = MakePlan("out-2", "plan-1", At(3, 11));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutPlan(other); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord got, tx.GetPlan("out-1", "plan-1"));
    ExpectSamePlan(got, plan);
    REBOOK_ASSIGN_OR_RETURN(got, tx.GetPlan("out-2", "plan-1"));
    ExpectSamePlan(got, other);
    REBOOK_ASSIGN_OR_RETURN(Page<domain::PlanRecord> page, tx.ListPlans("out-1", {}));
    EXPECT_EQ(Ids(page.items), IdList{"plan-1"});
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, PlansAreListedNewestFirstPerOutage) {
  // Ties on create time are broken by id, descending.
  const std::vector<std::pair<std::string, Instant>> plans = {
      {"p-a", At(3, 9)}, {"p-b", At(3, 12)}, {"p-c", At(3, 12)}, {"p-d", At(3, 8)},
      {"p-e", At(4, 1)}, {"p-f", At(3, 12)}, {"p-g", At(2, 23)}};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    for (const auto& [id, created] : plans)
      REBOOK_RETURN_IF_ERROR(tx.PutPlan(MakePlan("out-1", id, created)));
    return tx.PutPlan(MakePlan("out-2", "p-z", At(5, 0)));
  }));
  const IdList newest_first = {"p-e", "p-f", "p-c", "p-b", "p-a", "p-d", "p-g"};
  for (int size : {1, 2, 3, 7, 100}) {
    SCOPED_TRACE(size);
    auto walked = WalkPages<domain::PlanRecord>(
        store(), size,
        [](Transaction& tx, const PageRequest& p) { return tx.ListPlans("out-1", p); });
    EXPECT_EQ(Ids(walked), newest_first);
  }
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.ListPlans("out-3", {}).value().items, IsEmpty());
    const std::string token = tx.ListPlans("out-1", {.page_size = 2}).value().next_page_token;
    EXPECT_THAT(tx.ListPlans("out-2", {.page_size = 2, .page_token = token}),
                StatusIs(StatusCode::kInvalidArgument));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AssignmentsRoundTripAndDuplicatesInsertNothing) {
  const std::vector<domain::Assignment> first = {MakeUnassigned("a3"),
                                                 MakeAssigned("a1", "o2", At(5, 9)),
                                                 MakeAssigned("a2", "o1", At(5, 10))};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutPlan(MakePlan("out-1", "plan-1", At(3, 10))));
    return tx.InsertAssignments("out-1", "plan-1", first);
  }));
  // The same appointment in another plan, or another outage's plan of the same id, is fine.
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.InsertAssignments("out-1", "plan-2", first));
    return tx.InsertAssignments("out-2", "plan-1", {&first[0], 1});
  }));

  // A batch holding one existing appointment inserts none of its rows, even if the
  // transaction goes on and commits; so does a batch naming one appointment twice.
  const std::vector<domain::Assignment> clash = {MakeAssigned("a4", "o1", At(6, 9)),
                                                 MakeUnassigned("a1")};
  const std::vector<domain::Assignment> twice = {MakeUnassigned("a5"), MakeUnassigned("a5")};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    EXPECT_THAT(tx.InsertAssignments("out-1", "plan-1", clash),
                StatusIs(StatusCode::kAlreadyExists));
    EXPECT_THAT(tx.InsertAssignments("out-1", "plan-1", twice),
                StatusIs(StatusCode::kAlreadyExists));
    return absl::OkStatus();
  }));

  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    std::vector<domain::Assignment> scanned;
    REBOOK_RETURN_IF_ERROR(tx.ScanAssignments(
        "out-1", "plan-1", [&](const domain::Assignment& a) { scanned.push_back(a); }));
    EXPECT_THAT(scanned, ElementsAre(first[1], first[2], first[0]));  // appointment id order
    REBOOK_ASSIGN_OR_RETURN(Page<domain::Assignment> page,
                            tx.ListAssignments("out-1", "plan-1", {}, {}));
    EXPECT_EQ(page.items, scanned);
    REBOOK_ASSIGN_OR_RETURN(page, tx.ListAssignments("out-2", "plan-1", {}, {}));
    EXPECT_THAT(page.items, ElementsAre(first[0]));
    REBOOK_ASSIGN_OR_RETURN(page, tx.ListAssignments("out-9", "plan-1", {}, {}));
    EXPECT_THAT(page.items, IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AssignmentFilterFields) {
  SeedWorld();
  InsertOrDie({MakeAppointment("a1", "o1", "s1", At(2, 9)),
               MakeAppointment("a2", "o2", "s1", At(2, 9)),
               MakeAppointment("a3", "o3", "s1", At(2, 9))});
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    // a1 moves from o1 to o2; a2 (from o2) stays unplaced; "ghost" (from o4) is no stored
    // appointment: the filter reads the assignment's own appointment office.
    auto from = [](const std::string& office, domain::Assignment a) {
      a.appointment_office_id = office;
      return a;
    };
    const std::vector<domain::Assignment> assignments = {
        from("o1", MakeAssigned("a1", "o2", At(5, 9))), from("o2", MakeUnassigned("a2")),
        from("o3", MakeAssigned("a3", "o3", At(5, 9))),
        from("o4", MakeAssigned("ghost", "o2", At(5, 11)))};
    REBOOK_RETURN_IF_ERROR(tx.InsertAssignments("out-1", "plan-1", assignments));
    return tx.InsertAssignments("out-1", "other", assignments);
  }));
  auto listed = [&](const AssignmentFilter& filter) {
    IdList ids;
    EXPECT_TRUE(Read([&](Transaction& tx) -> absl::Status {
                  REBOOK_ASSIGN_OR_RETURN(Page<domain::Assignment> page,
                                          tx.ListAssignments("out-1", "plan-1", filter, {}));
                  ids = AppointmentIds(page.items);
                  return absl::OkStatus();
                }).ok());
    return ids;
  };
  EXPECT_EQ(listed({}), (IdList{"a1", "a2", "a3", "ghost"}));
  EXPECT_EQ(listed({.office_ids = IdList{"o1"}}), IdList{"a1"});  // originally from o1
  EXPECT_EQ(listed({.office_ids = IdList{"o2"}}), (IdList{"a1", "a2", "ghost"}));
  EXPECT_EQ(listed({.office_ids = IdList{"o3", "o1"}}), (IdList{"a1", "a3"}));
  EXPECT_EQ(listed({.office_ids = IdList{}}), IdList{});
  EXPECT_EQ(listed({.office_ids = IdList{"nowhere"}}), IdList{});
  EXPECT_EQ(listed({.unassigned_only = true}), IdList{"a2"});
  EXPECT_EQ(listed({.office_ids = IdList{"o2"}, .unassigned_only = true}), IdList{"a2"});
  EXPECT_EQ(listed({.office_ids = IdList{"o1"}, .unassigned_only = true}), IdList{});
}

TEST_P(StoreConformanceTest, AssignmentPagesVisitEveryRowOnce) {
  std::vector<domain::Assignment> all;
  for (int i = 0; i < 23; ++i) {
    const std::string id = "ap-" + std::to_string((i * 7) % 23 + 100);
    all.push_back(i % 3 == 0 ? MakeUnassigned(id)
                             : MakeAssigned(id, i % 2 ? "o1" : "o2", At(5, 9)));
  }
  REBOOK_ASSERT_OK(
      Write([&](Transaction& tx) { return tx.InsertAssignments("out-1", "plan-1", all); }));
  IdList sorted = AppointmentIds(all);
  std::sort(sorted.begin(), sorted.end());
  IdList at_o1;
  for (const std::string& id : sorted) {
    for (const domain::Assignment& a : all) {
      if (a.appointment_id == id && a.office_id == "o1") at_o1.push_back(id);
    }
  }
  for (int size : {1, 4, 23, 1000}) {
    SCOPED_TRACE(size);
    EXPECT_EQ(AppointmentIds(WalkPages<domain::Assignment>(
                  store(), size,
                  [](Transaction& tx, const PageRequest& p) {
                    return tx.ListAssignments("out-1", "plan-1", {}, p);
                  })),
              sorted);
    EXPECT_EQ(AppointmentIds(WalkPages<domain::Assignment>(
                  store(), size,
                  [](Transaction& tx, const PageRequest& p) {
                    return tx.ListAssignments("out-1", "plan-1", {.office_ids = IdList{"o1"}}, p);
                  })),
              at_o1);
  }
}

}  // namespace
}  // namespace rebook::storage::conformance
