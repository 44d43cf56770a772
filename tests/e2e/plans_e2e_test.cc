// Plans over gRPC: solve with streamed progress, idempotent retries, assignments, comparison,
// atomic and idempotent commit, held slots never given away twice.
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "services/rebooking/planning.h"
#include "services/solver/plan_checker.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::Gt;

// 2026-01-28T07:00 Berlin.
constexpr std::int64_t kHorizonStart = 1769580000;
constexpr std::int64_t kDay = 86400;

class PlansTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.SeedCapacity();
    v1::ImportCapacityRequest cap;
    // Wednesday to Friday, 08:00-10:00 Berlin at both offices.
    for (int day = 0; day < 3; ++day) {
      for (const auto& [office, clerk] : {std::pair{"A", "ka"}, std::pair{"B", "kb"}}) {
        v1::Shift* s = cap.add_shifts();
        s->set_name(absl::StrCat("offices/", office, "/shifts/d", day));
        s->set_clerk(absl::StrCat("clerks/", clerk));
        s->mutable_interval()->mutable_start_time()->set_seconds(kHorizonStart + day * kDay + 3600);
        s->mutable_interval()->mutable_end_time()->set_seconds(kHorizonStart + day * kDay +
                                                               3 * 3600);
      }
    }
    std::vector<v1::Appointment> appts;
    for (int i = 0; i < 12; ++i) {
      v1::Appointment a = MakeAppointment("A", absl::StrCat("p", i), 5 * i);
      if (i % 3 == 0) a.add_allowed_offices("offices/A"), a.add_allowed_offices("offices/B");
      appts.push_back(a);
    }
    ImportAll(cap, appts);
    v1::DeclareOutageRequest declare;
    declare.set_outage_id("o1");
    declare.mutable_outage()->add_offices("offices/A");
    declare.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(
        kOutageStart.time_since_epoch().count());
    declare.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(
        kOutageStart.time_since_epoch().count() + 5 * 3600);
    v1::Outage o;
    ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), declare, &o).ok());
    ASSERT_EQ(o.cancelled_appointment_count(), 12);
  }

  void ImportAll(const v1::ImportCapacityRequest& cap, const std::vector<v1::Appointment>& appts) {
    v1::ImportBundleRequest req;
    *req.mutable_capacity() = cap;
    for (const auto& a : appts) *req.mutable_appointments()->add_appointments() = a;
    v1::ImportBundleResponse resp;
    auto ctx = server_.Context("admin");
    auto w = appointments_->ImportBundle(ctx.get(), &resp);
    w->Write(req);
    w->WritesDone();
    grpc::Status s = w->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  v1::CreatePlanRequest Request(const std::string& request_id, std::int64_t seed = 1) {
    v1::CreatePlanRequest req;
    req.set_parent("outages/o1");
    req.set_request_id(request_id);
    v1::PlanParameters* p = req.mutable_parameters();
    p->mutable_horizon()->mutable_start_time()->set_seconds(kHorizonStart);
    p->mutable_horizon()->mutable_end_time()->set_seconds(kHorizonStart + 7 * kDay);
    p->set_reserve_share(0.25);
    p->mutable_time_limit()->set_seconds(5);
    p->set_seed(seed);
    return req;
  }

  // Runs CreatePlan; returns the plan and counts the progress messages.
  grpc::Status Create(const v1::CreatePlanRequest& req, v1::Plan* plan, int* progress = nullptr,
                      const std::string& token = "planner") {
    auto ctx = server_.Context(token);
    auto reader = plans_->CreatePlan(ctx.get(), req);
    v1::CreatePlanResponse msg;
    int n = 0;
    while (reader->Read(&msg)) {
      if (msg.has_progress()) ++n;
      if (msg.has_plan()) *plan = msg.plan();
    }
    if (progress) *progress = n;
    return reader->Finish();
  }

  std::vector<v1::PlanAssignment> Assignments(const std::string& plan, int page_size = 5) {
    std::vector<v1::PlanAssignment> out;
    v1::ListPlanAssignmentsRequest req;
    req.set_parent(plan);
    req.set_page_size(page_size);
    for (int i = 0; i < 50; ++i) {
      v1::ListPlanAssignmentsResponse page;
      EXPECT_TRUE(plans_->ListPlanAssignments(server_.Context("admin").get(), req, &page).ok());
      out.insert(out.end(), page.assignments().begin(), page.assignments().end());
      if (page.next_page_token().empty()) break;
      req.set_page_token(page.next_page_token());
    }
    return out;
  }

  TestServer server_;
  std::unique_ptr<v1::OutageService::Stub> outages_ = v1::OutageService::NewStub(server_.channel());
  std::unique_ptr<v1::AppointmentService::Stub> appointments_ =
      v1::AppointmentService::NewStub(server_.channel());
  std::unique_ptr<v1::PlanService::Stub> plans_ = v1::PlanService::NewStub(server_.channel());
};

TEST_F(PlansTest, SolvesWithProgressAndEveryPlanPassesTheChecker) {
  v1::Plan plan;
  int progress = 0;
  grpc::Status s = Create(Request("c1"), &plan, &progress);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(progress, Gt(0));
  EXPECT_EQ(plan.state(), v1::Plan::READY);
  EXPECT_EQ(plan.summary().assigned_count() + plan.summary().unassigned_count(), 12);
  EXPECT_EQ(plan.summary().assigned_count(), 12);

  std::vector<v1::PlanAssignment> rows = Assignments(plan.name());
  ASSERT_EQ(rows.size(), 12u);
  // The independent checker agrees with the plan, on the scenario the server solved.
  std::vector<domain::Assignment> assignments;
  for (const auto& r : rows) {
    domain::Assignment a;
    a.appointment_id = r.appointment().substr(r.appointment().rfind('/') + 1);
    a.status =
        r.assigned() ? domain::AssignmentStatus::kAssigned : domain::AssignmentStatus::kUnassigned;
    if (r.assigned()) {
      a.office_id = r.office().substr(8);
      a.clerk_id = r.clerk().substr(7);
      a.time = {Instant(std::chrono::seconds(r.interval().start_time().seconds())),
                Instant(std::chrono::seconds(r.interval().end_time().seconds()))};
    }
    assignments.push_back(a);
  }
  domain::PlanParams params;
  params.horizon_start = Instant(std::chrono::seconds(kHorizonStart));
  params.horizon_end = Instant(std::chrono::seconds(kHorizonStart + 7 * kDay));
  params.reserve_share = 0.25;
  rebooking::PlanningInput input;
  ASSERT_TRUE(server_.store()
                  .Read({},
                        [&](storage::Transaction& tx) -> absl::Status {
                          auto outage = tx.GetOutage("o1");
                          if (!outage.ok()) return outage.status();
                          auto in = rebooking::LoadPlanningInput(tx, *outage, params,
                                                                 rebooking::PlanScope::kOpen);
                          if (!in.ok()) return in.status();
                          input = std::move(*in);
                          return absl::OkStatus();
                        })
                  .ok());
  auto report = solver::CheckPlan(input.scenario, assignments);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->violations[0].message;
  EXPECT_NEAR(report->objective, plan.summary().objective(), 1e-6);
}

TEST_F(PlansTest, RetriedCreateReturnsTheSamePlan) {
  v1::Plan first, again;
  ASSERT_TRUE(Create(Request("same"), &first).ok());
  ASSERT_TRUE(Create(Request("same"), &again).ok());
  EXPECT_EQ(first.name(), again.name());
  v1::ListPlansRequest list;
  list.set_parent("outages/o1");
  v1::ListPlansResponse plans;
  ASSERT_TRUE(plans_->ListPlans(server_.Context("admin").get(), list, &plans).ok());
  EXPECT_EQ(plans.plans_size(), 1);
  EXPECT_EQ(Create(Request("same", 2), &again).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(PlansTest, BadParametersAreFieldViolations) {
  v1::CreatePlanRequest req = Request("bad");
  req.mutable_parameters()->set_reserve_share(1.5);
  req.mutable_parameters()->mutable_horizon()->mutable_end_time()->set_seconds(kHorizonStart - 1);
  v1::Plan plan;
  grpc::Status s = Create(req, &plan);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ::testing::UnorderedElementsAre("parameters.horizon.end_time",
                                                                  "parameters.reserve_share"));
}

TEST_F(PlansTest, CompareAndCommitAtomicallyAndOnce) {
  v1::Plan a, b;
  ASSERT_TRUE(Create(Request("a", 1), &a).ok());
  ASSERT_TRUE(Create(Request("b", 2), &b).ok());
  v1::ComparePlansRequest cmp;
  cmp.set_plan_a(a.name());
  cmp.set_plan_b(b.name());
  v1::PlanComparison diff;
  ASSERT_TRUE(plans_->ComparePlans(server_.Context("admin").get(), cmp, &diff).ok());
  EXPECT_NEAR(diff.objective_delta(), b.summary().objective() - a.summary().objective(), 1e-6);

  v1::CommitPlanRequest commit;
  commit.set_name(a.name());
  commit.set_request_id("commit-a");
  v1::Plan committed, again;
  ASSERT_TRUE(plans_->CommitPlan(server_.Context("planner").get(), commit, &committed).ok());
  EXPECT_EQ(committed.state(), v1::Plan::COMMITTED);
  commit.set_request_id("commit-a-retry");
  ASSERT_TRUE(plans_->CommitPlan(server_.Context("planner").get(), commit, &again).ok());
  EXPECT_EQ(again.commit_time().seconds(), committed.commit_time().seconds());

  v1::ListAppointmentsRequest offered;
  offered.set_parent("offices/A");
  offered.add_statuses(v1::OFFERED);
  v1::ListAppointmentsResponse list;
  ASSERT_TRUE(appointments_->ListAppointments(server_.Context("admin").get(), offered, &list).ok());
  EXPECT_EQ(list.total_size(), 12);

  // The other plan was solved before the commit: it is superseded and cannot be committed.
  v1::GetPlanRequest get;
  get.set_name(b.name());
  ASSERT_TRUE(plans_->GetPlan(server_.Context("admin").get(), get, &b).ok());
  EXPECT_EQ(b.state(), v1::Plan::SUPERSEDED);
  commit.set_name(b.name());
  commit.set_request_id("commit-b");
  EXPECT_EQ(plans_->CommitPlan(server_.Context("planner").get(), commit, &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(PlansTest, ANewPlanNeverUsesHeldSlots) {
  v1::Plan first;
  ASSERT_TRUE(Create(Request("first"), &first).ok());
  v1::CommitPlanRequest commit;
  commit.set_name(first.name());
  v1::Plan committed;
  ASSERT_TRUE(plans_->CommitPlan(server_.Context("planner").get(), commit, &committed).ok());

  // More cancelled citizens arrive; the next plan must go around the held slots.
  std::vector<v1::Appointment> late;
  for (int i = 0; i < 6; ++i)
    late.push_back(MakeAppointment("A", absl::StrCat("late", i), 100 + i));
  ImportAll({}, late);
  v1::Plan second;
  ASSERT_TRUE(Create(Request("second"), &second).ok());
  EXPECT_EQ(second.summary().assigned_count() + second.summary().unassigned_count(), 6);
  std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> held;
  for (const auto& a : Assignments(first.name())) {
    held[a.clerk()].push_back(
        {a.interval().start_time().seconds(), a.interval().end_time().seconds()});
  }
  for (const auto& a : Assignments(second.name())) {
    if (!a.assigned()) continue;
    for (const auto& [start, end] : held[a.clerk()]) {
      EXPECT_FALSE(a.interval().start_time().seconds() < end &&
                   start < a.interval().end_time().seconds())
          << a.appointment() << " overlaps a held slot";
    }
  }
}

TEST_F(PlansTest, ClosingAnOfferedAppointmentFreesItsSlot) {
  v1::Plan plan;
  ASSERT_TRUE(Create(Request("p"), &plan).ok());
  v1::CommitPlanRequest commit;
  commit.set_name(plan.name());
  v1::Plan committed;
  ASSERT_TRUE(plans_->CommitPlan(server_.Context("planner").get(), commit, &committed).ok());
  v1::CloseAppointmentRequest close;
  close.set_name("offices/A/appointments/p3");
  close.set_reason("Antrag zurückgezogen");
  v1::Appointment closed;
  ASSERT_TRUE(
      appointments_->CloseAppointment(server_.Context("clerk-a").get(), close, &closed).ok());
  EXPECT_EQ(closed.status(), v1::CLOSED);
  auto offers = v1::OfferService::NewStub(server_.channel());
  v1::ListOffersRequest list;
  list.set_parent("offices/A/appointments/p3");
  v1::ListOffersResponse resp;
  ASSERT_TRUE(offers->ListOffers(server_.Context("admin").get(), list, &resp).ok());
  ASSERT_EQ(resp.offers_size(), 1);
  EXPECT_EQ(resp.offers(0).state(), v1::Offer::WITHDRAWN);
}

TEST_F(PlansTest, ForeignOfficesSeeNoPlan) {
  v1::Plan plan;
  ASSERT_TRUE(Create(Request("p"), &plan).ok());
  v1::GetPlanRequest get;
  get.set_name(plan.name());
  v1::Plan out;
  EXPECT_EQ(plans_->GetPlan(server_.Context("clerk-b").get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Create(Request("p2"), &out, nullptr, "clerk-a").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace rebook::testing
