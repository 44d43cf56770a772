// CreatePlan and ReplanOutage on a real SQLite store, with a PlanCall that records what the use
// case asked of its caller.
#include "services/rebooking/plan_use_case.h"

#include <optional>
#include <vector>

#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "services/rebooking/slot_explain.h"
#include "services/rebooking/testing/outbox_fixture.h"
#include "services/rebooking/time_checks.h"

namespace rebook::rebooking {
namespace {

using testing::kT0;

// A caller that lets everybody plan, answers each request once, never runs out of time and
// keeps the answer.
class RecordingPlanCall final : public PlanCall {
 public:
  explicit RecordingPlanCall(storage::Store* store) : store_(store) {}

  absl::StatusOr<domain::Outage> PlannableOutage(storage::Transaction& tx,
                                                 const std::string& outage_id) override {
    if (!deny.ok()) return deny;
    return tx.GetOutage(outage_id);
  }
  absl::StatusOr<bool> Replayed(storage::Transaction&) override {
    ++reads;
    return answered_before;
  }
  const solver::TimeBudget& StartSolve(double limit_seconds) override {
    limits.push_back(limit_seconds);
    return budget_.emplace(limit_seconds);
  }
  bool Cancelled() const override { return cancelled; }
  absl::Status WriteOnce(
      absl::FunctionRef<absl::StatusOr<domain::PlanRecord>(storage::Transaction&)> write) override {
    ++writes;
    if (before_write) before_write();
    return store_->Write({}, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(answer, write(tx));
      return absl::OkStatus();
    });
  }

  // Set by the test.
  absl::Status deny;
  bool answered_before = false;
  bool cancelled = false;
  std::function<void()> before_write;  // e.g. a change by someone else

  // Recorded.
  int reads = 0;
  int writes = 0;
  std::vector<double> limits;
  std::optional<domain::PlanRecord> answer;

 private:
  storage::Store* store_;
  std::optional<solver::ManualTimeBudget> budget_;
};

class PlanUseCaseTest : public testing::OutboxTest {
 protected:
  void SetUp() override {
    OutboxTest::SetUp();
    ASSERT_TRUE(Write([](storage::Transaction& tx) -> absl::Status {
                  REBOOK_RETURN_IF_ERROR(tx.PutClerk({.id = "ka", .skills = {"kfz"}}));
                  REBOOK_RETURN_IF_ERROR(tx.PutShift(
                      {.id = "s1",
                       .clerk_id = "ka",
                       .office_id = "A",
                       .time = {kT0 + std::chrono::hours(46), kT0 + std::chrono::hours(50)}}));
                  std::vector<domain::Appointment> waiting;
                  for (const char* id : {"a1", "a2", "a3"}) {
                    waiting.push_back({.id = id,
                                       .office_id = "A",
                                       .service_id = "kfz",
                                       .original_start = kT0 + std::chrono::hours(1),
                                       .contact = Email(),
                                       .status = domain::AppointmentStatus::kCancelled,
                                       .outage_id = "out-1"});
                  }
                  REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(waiting));
                  return tx.PutOutage({.id = "out-1",
                                       .office_ids = {"A"},
                                       .window = {kT0, kT0 + std::chrono::hours(8)},
                                       .cause = "power failure",
                                       .declare_time = kT0});
                }).ok());
    params_.horizon_start = kT0 + std::chrono::hours(24);
    params_.horizon_end = kT0 + std::chrono::hours(24 * 7);
  }

  PlanContext Ctx() { return {store_.get(), {}, &clock_, ids_.get(), &policy_, ctx_notice_}; }
  CreatePlanCommand Create(const std::string& plan_id = "") {
    return {.outage_id = "out-1", .plan_id = plan_id, .params = params_, .seed = 7};
  }
  ReplanCommand Replan() { return {"out-1", ReplanParams{params_, 7, 5.0}}; }
  // Someone else closes office B on day `n` after kT0: the outage's state digest changes.
  void CloseOfficeB(int n) {
    ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                  return tx.PutClosure(
                      {"B", domain::LocalDateOf("Europe/Berlin", kT0 + std::chrono::hours(24 * n)),
                       "Betriebsversammlung"});
                }).ok());
  }
  std::optional<domain::PlanRecord> Stored(const std::string& plan_id) {
    std::optional<domain::PlanRecord> out;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) -> absl::Status {
                             absl::StatusOr<domain::PlanRecord> p = tx.GetPlan("out-1", plan_id);
                             if (p.ok()) out = *p;
                             return p.status().code() == absl::StatusCode::kNotFound
                                        ? absl::OkStatus()
                                        : p.status();
                           })
                    .ok());
    return out;
  }

  domain::PlanParams params_;
  PlanSolveOptions solve_{.improve_effort = 1.0};
  ReplanOptions replan_;
  std::chrono::seconds ctx_notice_{std::chrono::hours(12)};
};

TEST_F(PlanUseCaseTest, CreatePlanSolvesWithTheRequestAndStoresAReadyPlan) {
  RecordingPlanCall call(store_.get());
  std::vector<double> fractions;
  solve_.progress = [&](const solver::SolveProgress& p, double elapsed) {
    fractions.push_back(p.fraction);
    EXPECT_EQ(elapsed, 0.0);  // the budget StartSolve made (a manual one) measures the solve
  };
  CreatePlanCommand command = Create();
  command.time_limit_seconds = 4.0;
  ASSERT_TRUE(CreatePlan(command, Ctx(), solve_, call).ok());
  EXPECT_EQ(call.limits, std::vector<double>{4.0});
  ASSERT_FALSE(fractions.empty());
  EXPECT_EQ(fractions.back(), 1.0);
  ASSERT_TRUE(call.answer.has_value());
  EXPECT_EQ(call.answer->id, "plan-1");
  EXPECT_EQ(call.answer->state, domain::PlanState::kReady);
  EXPECT_EQ(call.answer->seed, 7u);
  EXPECT_EQ(call.answer->summary.assigned, 3);
  std::optional<domain::PlanRecord> stored = Stored("plan-1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->summary.objective, call.answer->summary.objective);
}

TEST_F(PlanUseCaseTest, PlanRowsNameTheirAppointmentsOffice) {
  RecordingPlanCall call(store_.get());
  ASSERT_TRUE(CreatePlan(Create("plan-1"), Ctx(), solve_, call).ok());
  std::vector<domain::Assignment> rows;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) {
                           return tx.ScanAssignments(
                               "out-1", "plan-1",
                               [&](const domain::Assignment& a) { rows.push_back(a); });
                         })
                  .ok());
  ASSERT_EQ(rows.size(), 3u);
  for (const domain::Assignment& a : rows)
    EXPECT_EQ(a.appointment_office_id, "A") << a.appointment_id;
}

// Ids are unique per office only, but one plan names its outage's appointments by id: two
// offices' "a1" in one outage are refused plainly, and nothing is stored.
TEST_F(PlanUseCaseTest, OneOutagesAppointmentsWithTheSameIdAtTwoOfficesAreRefused) {
  ASSERT_TRUE(Write([](storage::Transaction& tx) -> absl::Status {
                const domain::Appointment at_b{.id = "a1",
                                               .office_id = "B",
                                               .service_id = "kfz",
                                               .original_start = kT0 + std::chrono::hours(1),
                                               .contact = Email(),
                                               .status = domain::AppointmentStatus::kCancelled,
                                               .outage_id = "out-1"};
                REBOOK_RETURN_IF_ERROR(tx.InsertAppointments({&at_b, 1}));
                return tx.PutOutage({.id = "out-1",
                                     .office_ids = {"A", "B"},
                                     .window = {kT0, kT0 + std::chrono::hours(8)},
                                     .cause = "power failure",
                                     .declare_time = kT0});
              }).ok());
  RecordingPlanCall call(store_.get());
  absl::Status s = CreatePlan(Create("plan-1"), Ctx(), solve_, call);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(std::string(s.message()).find("\"a1\""), std::string::npos) << s;
  EXPECT_FALSE(Stored("plan-1").has_value());
}

TEST_F(PlanUseCaseTest, CreatePlanReplaysATakenPlanIdAndAClosedOutageWithoutStoring) {
  RecordingPlanCall first(store_.get());
  ASSERT_TRUE(CreatePlan(Create("p"), Ctx(), solve_, first).ok());

  RecordingPlanCall again(store_.get());
  absl::Status taken = CreatePlan(Create("p"), Ctx(), solve_, again);
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(taken.message(), "plan \"p\" exists");

  RecordingPlanCall retry(store_.get());
  retry.answered_before = true;
  ASSERT_TRUE(CreatePlan(Create("p"), Ctx(), solve_, retry).ok());
  EXPECT_TRUE(retry.limits.empty());  // not solved again
  EXPECT_EQ(retry.writes, 0);

  ASSERT_TRUE(Write([](storage::Transaction& tx) -> absl::Status {
                REBOOK_ASSIGN_OR_RETURN(domain::Outage o, tx.GetOutage("out-1"));
                o.state = domain::OutageState::kClosed;
                return tx.PutOutage(o);
              }).ok());
  RecordingPlanCall closed(store_.get());
  absl::Status s = CreatePlan(Create(), Ctx(), solve_, closed);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "the outage is closed");
  EXPECT_EQ(closed.writes, 0);
}

TEST_F(PlanUseCaseTest, CallersRefusalAndCancellationStoreNothing) {
  RecordingPlanCall denied(store_.get());
  denied.deny = absl::PermissionDeniedError("not your office");
  EXPECT_EQ(CreatePlan(Create(), Ctx(), solve_, denied).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReplanOutage(Replan(), Ctx(), solve_, replan_, denied).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.reads, 0);
  EXPECT_TRUE(denied.limits.empty());

  RecordingPlanCall gone(store_.get());
  gone.cancelled = true;
  absl::Status s = CreatePlan(Create(), Ctx(), solve_, gone);
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(s.message(), "the client cancelled the solve");
  s = ReplanOutage(Replan(), Ctx(), solve_, replan_, gone);
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(s.message(), "the client cancelled the re-plan");
  EXPECT_EQ(gone.writes, 0);
}

TEST_F(PlanUseCaseTest, ReplanReadsAndSolvesAgainWhenTheOutageChangedBeforeCommit) {
  RecordingPlanCall call(store_.get());
  call.before_write = [&] {
    if (call.writes == 1) CloseOfficeB(3);
  };
  ASSERT_TRUE(ReplanOutage(Replan(), Ctx(), solve_, replan_, call).ok());
  EXPECT_EQ(call.reads, 2);
  EXPECT_EQ(call.limits, (std::vector<double>{5.0, 5.0}));
  EXPECT_EQ(call.writes, 2);
  ASSERT_TRUE(call.answer.has_value());
  EXPECT_EQ(call.answer->state, domain::PlanState::kCommitted);
  // Each attempt takes a new plan id; the first one was never stored.
  EXPECT_EQ(call.answer->id, "replan-2");
  EXPECT_FALSE(Stored("replan-1").has_value());
}

TEST_F(PlanUseCaseTest, ReplanGivesUpAfterItsAttempts) {
  RecordingPlanCall call(store_.get());
  call.before_write = [&] { CloseOfficeB(call.writes); };
  replan_.attempts = 2;
  absl::Status s = ReplanOutage(Replan(), Ctx(), solve_, replan_, call);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(call.writes, 2);
  EXPECT_FALSE(call.answer.has_value());
}

// The clock stands 36 h after kT0, where the horizon starts; the shift runs from 46 h to 50 h. With
// 12 h notice no slot starts before 48 h (rounded up to the quarter hour), and the plan records
// that horizon.
TEST_F(PlanUseCaseTest, CreatePlanOffersNoSlotWithinTheMinimumNotice) {
  clock_.Set(kT0 + std::chrono::hours(36));
  params_.horizon_start = clock_.Now();  // now itself is not in the past
  const Instant earliest = EarliestSlotStart(clock_.Now(), std::chrono::hours(12));
  EXPECT_EQ(earliest, kT0 + std::chrono::hours(48) + std::chrono::minutes(10));  // 11:00Z
  RecordingPlanCall call(store_.get());
  ASSERT_TRUE(CreatePlan(Create("p"), Ctx(), solve_, call).ok());
  ASSERT_TRUE(call.answer.has_value());
  EXPECT_EQ(call.answer->params.horizon_start, earliest);
  EXPECT_EQ(call.answer->summary.assigned, 3);
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) {
                           return tx.ScanAssignments(
                               "out-1", "p", [&](const domain::Assignment& a) {
                                 EXPECT_GE(a.time.start, earliest) << a.appointment_id;
                               });
                         })
                  .ok());
}

TEST_F(PlanUseCaseTest, CreatePlanRefusesAHorizonThatStartsInThePast) {
  clock_.Set(kT0 + std::chrono::hours(25));  // one hour after the requested horizon start
  RecordingPlanCall call(store_.get());
  absl::Status s = CreatePlan(Create("p"), Ctx(), solve_, call);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(s.message(),
            "parameters.horizon.start_time 2026-01-28T11:50+01:00 lies in the past (server time "
            "2026-01-28T11:50:00Z); with the minimum notice of 12 h a plan may start at "
            "2026-01-29T01:00+01:00");
  EXPECT_EQ(call.writes, 0);
  EXPECT_TRUE(call.limits.empty());  // refused before solving

  // A horizon that ends before the first slot the notice allows leaves nothing to plan.
  clock_.Set(kT0);
  params_.horizon_end = kT0 + std::chrono::hours(24) + std::chrono::minutes(30);
  ctx_notice_ = std::chrono::hours(25);
  s = CreatePlan(Create("p"), Ctx(), solve_, call);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("parameters.horizon.end_time 2026-01-28T12:20+01:00"),
            absl::string_view::npos)
      << s;
  EXPECT_EQ(call.writes, 0);
}

// A plan solved yesterday whose slots are now too close is not committed; one that still lies
// ahead is.
TEST_F(PlanUseCaseTest, CommitRefusesAPlanWhoseSlotsAreNoLongerAhead) {
  RecordingPlanCall call(store_.get());
  ASSERT_TRUE(CreatePlan(Create("p"), Ctx(), solve_, call).ok());
  auto commit_at = [&](Instant now) {
    absl::StatusOr<CommitResult> r;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      r = CommitPlanOnTime(tx, "out-1", "p", {now, ids_.get(), &policy_}, std::chrono::hours(12));
      return r.status();
    });
    return s;
  };
  absl::Status late = commit_at(kT0 + std::chrono::hours(40));  // slots from 46 h: within 12 h
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition) << late;
  EXPECT_NE(late.message().find("plan \"p\" offers 3 slots that start in the past or within the "
                                "minimum notice of 12 h (the first at 2026-01-29T09:50+01:00"),
            absl::string_view::npos)
      << late;
  EXPECT_NE(late.message().find("create a new plan"), absl::string_view::npos) << late;
  ASSERT_TRUE(Stored("p").has_value());
  EXPECT_EQ(Stored("p")->state, domain::PlanState::kReady);

  ASSERT_TRUE(commit_at(kT0 + std::chrono::hours(20)).ok());
  EXPECT_EQ(Stored("p")->state, domain::PlanState::kCommitted);
  // Committing it again later returns the committed plan: the check is for READY plans only.
  EXPECT_TRUE(commit_at(kT0 + std::chrono::hours(60)).ok());
}

// A commit reads the outage's appointments once, for its own checks and for the alternatives;
// a planned citizen who has since left that set is read by key: skipped if they still exist,
// NOT_FOUND if they do not.
TEST_F(PlanUseCaseTest, CommitSkipsPlannedCitizensWhoLeftTheOutageAndFailsForErasedOnes) {
  // A second day of the clerk: alternatives are one per office-day, so each offer gets one.
  ASSERT_TRUE(Write([](storage::Transaction& tx) {
                return tx.PutShift(
                    {.id = "s2",
                     .clerk_id = "ka",
                     .office_id = "A",
                     .time = {kT0 + std::chrono::hours(70), kT0 + std::chrono::hours(74)}});
              }).ok());
  RecordingPlanCall call(store_.get());
  ASSERT_TRUE(CreatePlan(Create("p"), Ctx(), solve_, call).ok());
  absl::StatusOr<CommitResult> r;
  auto commit = [&] {
    return Write([&](storage::Transaction& tx) -> absl::Status {
      r = CommitPlanOnTime(tx, "out-1", "p", {kT0, ids_.get(), &policy_, 2},
                           std::chrono::hours(12));
      return r.status();
    });
  };
  domain::Appointment a3;
  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                REBOOK_ASSIGN_OR_RETURN(a3, tx.GetAppointment("A", "a3"));
                return tx.DeleteAppointment("A", "a3");
              }).ok());
  absl::Status erased = commit();
  EXPECT_EQ(erased.code(), absl::StatusCode::kNotFound) << erased;
  EXPECT_NE(erased.message().find("appointment a3 of office A no longer exists"),
            absl::string_view::npos)
      << erased;

  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                REBOOK_RETURN_IF_ERROR(tx.InsertAppointments({{a3}}));
                REBOOK_ASSIGN_OR_RETURN(domain::Appointment a2, tx.GetAppointment("A", "a2"));
                a2.outage_id = "out-2";
                return tx.UpdateAppointment(a2);
              }).ok());
  ASSERT_TRUE(commit().ok()) << r.status();
  EXPECT_EQ(r->offers_created, 2);
  EXPECT_EQ(r->skipped, 1);
  std::vector<domain::Offer> offers;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) {
                           return tx.ScanOffers(
                               {}, [&](const domain::Offer& o) { offers.push_back(o); });
                         })
                  .ok());
  ASSERT_EQ(offers.size(), 2u);
  for (const domain::Offer& o : offers) {
    EXPECT_NE(o.appointment_id, "a2");
    EXPECT_FALSE(o.alternatives.empty()) << o.appointment_id;  // read from the one scan
  }
}

// Two plans of one outage committed at once: the loser, READY when its request began and
// SUPERSEDED in its write transaction, is ABORTED naming the winner; a commit of a plan that was
// superseded before the request began is FAILED_PRECONDITION.
TEST_F(PlanUseCaseTest, CommitThatLostARaceIsAbortedAndAStaleOneFailsItsPrecondition) {
  RecordingPlanCall call(store_.get());
  ASSERT_TRUE(CreatePlan(Create("p"), Ctx(), solve_, call).ok());
  ASSERT_TRUE(CreatePlan(Create("q"), Ctx(), solve_, call).ok());
  auto commit = [&](const std::string& plan_id, std::optional<domain::PlanState> at_start) {
    return Write([&](storage::Transaction& tx) -> absl::Status {
      CommitContext ctx{kT0 + std::chrono::hours(20), ids_.get(), &policy_, 0, at_start};
      return CommitPlanOnTime(tx, "out-1", plan_id, ctx, std::chrono::hours(12)).status();
    });
  };
  const std::optional<domain::PlanState> p_at_start = PlanStateAtStart(*store_, {}, "out-1", "p");
  ASSERT_EQ(p_at_start, domain::PlanState::kReady);
  ASSERT_TRUE(commit("q", PlanStateAtStart(*store_, {}, "out-1", "q")).ok());

  absl::Status lost = commit("p", p_at_start);
  EXPECT_EQ(lost.code(), absl::StatusCode::kAborted) << lost;
  EXPECT_NE(lost.message().find("another commit of outage \"out-1\" won (plan \"q\" is "
                                "committed); re-read the outage's plans"),
            absl::string_view::npos)
      << lost;
  absl::Status stale = commit("p", PlanStateAtStart(*store_, {}, "out-1", "p"));
  EXPECT_EQ(stale.code(), absl::StatusCode::kFailedPrecondition) << stale;
  EXPECT_EQ(commit("p", std::nullopt).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(PlanStateAtStart(*store_, {}, "out-1", "nope"), std::nullopt);
  EXPECT_EQ(Stored("p")->state, domain::PlanState::kSuperseded);
  EXPECT_EQ(Stored("q")->state, domain::PlanState::kCommitted);
}

// A what-if plan solves with capacity that is not stored, is stored as WHAT_IF, and no commit
// takes it.
TEST_F(PlanUseCaseTest, WhatIfPlansChangeNoCapacityAndCannotBeCommitted) {
  const domain::LocalDate shift_day =
      domain::LocalDateOf("Europe/Berlin", kT0 + std::chrono::hours(46));
  CreatePlanCommand absent = Create("absent");
  absent.what_if = CapacityChanges{.absences = {{"ka", shift_day, shift_day}}};
  RecordingPlanCall first(store_.get());
  ASSERT_TRUE(CreatePlan(absent, Ctx(), solve_, first).ok());
  ASSERT_TRUE(first.answer.has_value());
  EXPECT_EQ(first.answer->state, domain::PlanState::kWhatIf);
  EXPECT_EQ(first.answer->summary.assigned, 0);  // the only clerk is away

  CreatePlanCommand stand_in = Create("stand-in");
  stand_in.what_if = CapacityChanges{
      .extra_shifts = {{"A", shift_day, "kfz", 60, 9 * 60}},
      .absences = {{"ka", shift_day, shift_day}},
      .reserve_share = 0.25,
  };
  RecordingPlanCall second(store_.get());
  ASSERT_TRUE(CreatePlan(stand_in, Ctx(), solve_, second).ok());
  EXPECT_EQ(second.answer->summary.assigned, 3);
  EXPECT_EQ(second.answer->summary.overtime_minutes, 45);  // the stand-in's shift is overtime
  EXPECT_EQ(Stored("stand-in")->params.reserve_share, 0.25);

  // Nothing of it became capacity: the shift is there, no stand-in clerk exists.
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           EXPECT_TRUE(tx.GetShift("A", "s1").ok());
                           EXPECT_EQ(tx.GetClerk("what-if-1").status().code(),
                                     absl::StatusCode::kNotFound);
                           return absl::OkStatus();
                         })
                  .ok());
  absl::Status commit = Write([&](storage::Transaction& tx) -> absl::Status {
    return CommitPlanOnTime(tx, "out-1", "stand-in", {kT0, ids_.get(), &policy_},
                            std::chrono::hours(12))
        .status();
  });
  EXPECT_EQ(commit.code(), absl::StatusCode::kFailedPrecondition) << commit;
  EXPECT_NE(commit.message().find("what-if"), absl::string_view::npos) << commit;
  EXPECT_EQ(Stored("stand-in")->state, domain::PlanState::kWhatIf);

  // Changes at an office no citizen may go to are refused before solving.
  CreatePlanCommand elsewhere = Create("elsewhere");
  elsewhere.what_if = CapacityChanges{.extra_shifts = {{"B", shift_day, "kfz", 60}}};
  RecordingPlanCall third(store_.get());
  EXPECT_EQ(CreatePlan(elsewhere, Ctx(), solve_, third).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(third.limits.empty());
}

// "Why this slot?" over the store: after a commit, the citizen with the latest slot of the one
// shift hears that the earlier places are taken and the day before has no opening hours; a
// what-if plan then plans all three again (their held slots free) and keeps the plan in force.
TEST_F(PlanUseCaseTest, ExplainsACommittedSlotAndWhatIfPlansTheHeldCitizensAgain) {
  RecordingPlanCall call(store_.get());
  ASSERT_TRUE(CreatePlan(Create("p"), Ctx(), solve_, call).ok());
  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                return CommitPlanOnTime(tx, "out-1", "p", {kT0, ids_.get(), &policy_},
                                        std::chrono::hours(12))
                    .status();
              }).ok());
  absl::StatusOr<SlotExplanationResult> last;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           std::optional<domain::Appointment> latest;
                           REBOOK_RETURN_IF_ERROR(
                               tx.ScanAppointments({}, [&](const domain::Appointment& a) {
                                 if (!a.held_slot.has_value()) return;
                                 if (!latest ||
                                     a.held_slot->time.start > latest->held_slot->time.start) {
                                   latest = a;
                                 }
                               }));
                           if (!latest) return absl::NotFoundError("no held slot");
                           last = ExplainAppointmentSlot(tx, latest->Key());
                           return absl::OkStatus();
                         })
                  .ok());
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->plan_id, "p");
  EXPECT_EQ(last->outage_id, "out-1");
  const SlotExplanation& e = last->explanation;
  ASSERT_TRUE(e.slot.has_value());
  ASSERT_FALSE(e.days.empty());
  EXPECT_EQ(e.days.front().reason, DayReason::kNoOpening);  // the day the horizon starts
  const DayExplanation& slot_day = e.days.back();
  EXPECT_EQ(slot_day.day, e.slot_day);
  EXPECT_EQ(slot_day.reason, DayReason::kFull);
  EXPECT_EQ(slot_day.places_taken, 2);  // the other two citizens' offers
  EXPECT_EQ(slot_day.free_minutes, 0);

  // The holders are read back with their rules: with a deadline (earlier than none) the two
  // places before this citizen's went to priority, not to an equal claim.
  const domain::AppointmentKey asked{last->explanation.appointment_office_id,
                                     last->explanation.appointment_id};
  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                std::vector<domain::Appointment> others;
                REBOOK_RETURN_IF_ERROR(tx.ScanAppointments({}, [&](const domain::Appointment& a) {
                  if (a.Key() != asked) others.push_back(a);
                }));
                for (domain::Appointment& a : others) {
                  a.deadline = kT0 + std::chrono::hours(24 * 6);
                  REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
                }
                return absl::OkStatus();
              }).ok());
  absl::StatusOr<SlotExplanationResult> again;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           again = ExplainAppointmentSlot(tx, asked);
                           return absl::OkStatus();
                         })
                  .ok());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->explanation.days.back().places_taken, 2);
  EXPECT_EQ(again->explanation.days.back().priority_places, 2);
  EXPECT_EQ(again->explanation.days.back().reason, DayReason::kDeadlinePriority);

  CreatePlanCommand what_if = Create("what-if");
  what_if.what_if = CapacityChanges{.reserve_share = 0.0};
  RecordingPlanCall second(store_.get());
  ASSERT_TRUE(CreatePlan(what_if, Ctx(), solve_, second).ok());
  EXPECT_EQ(second.answer->state, domain::PlanState::kWhatIf);
  EXPECT_EQ(second.answer->summary.assigned, 3);
}

}  // namespace
}  // namespace rebook::rebooking
