// The offer life cycle on the Halle outage, over gRPC against a real server and SQLite file:
// commit, scripted answers (accept, decline, other time, an alternative, silence,
// self-rebooked), a clerk reported sick, a closure, reminders and expiry, re-plans (also two at
// once). The invariants are checked after every step.
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "tests/offers/halle_fixture.h"

namespace rebook::testing {
namespace {

using domain::AppointmentStatus;
using domain::OfferState;
using ::testing::HasSubstr;

std::string OfferName(const domain::Offer& o) {
  return absl::StrCat("offices/", o.office_id, "/appointments/", o.appointment_id, "/offers/",
                      o.version);
}

int CountKind(const std::vector<domain::OutboxMessage>& ms, domain::MessageKind kind) {
  int n = 0;
  for (const auto& m : ms) n += m.kind == kind ? 1 : 0;
  return n;
}

class LifecycleTest : public HalleTest {
 protected:
  // The local day of a slot as [midnight, next midnight).
  static domain::TimeInterval DayOf(Instant t) {
    domain::LocalDate day = domain::LocalDateOf("Europe/Berlin", t);
    return {domain::StartOfLocalDay("Europe/Berlin", day),
            domain::StartOfLocalDay("Europe/Berlin",
                                    domain::LocalDate(date::local_days(day) + date::days(1)))};
  }
  std::map<std::string, domain::Offer> OpenByAppointment() {
    std::map<std::string, domain::Offer> out;
    for (const auto& o : Offers(OfferState::kOpen)) out[o.appointment_id] = o;
    return out;
  }
  int CommittedPlans() {
    v1::ListPlansRequest req;
    req.set_parent(absl::StrCat("outages/", kOutage));
    req.set_page_size(1000);
    v1::ListPlansResponse resp;
    EXPECT_TRUE(plans_->ListPlans(server_.Context("admin").get(), req, &resp).ok());
    int n = 0;
    for (const auto& p : resp.plans()) n += p.state() == v1::Plan::COMMITTED ? 1 : 0;
    return n;
  }
  grpc::Status SelfRebooked(const domain::Offer& o) {
    v1::MarkSelfRebookedRequest req;
    req.set_name(absl::StrCat("offices/", o.office_id, "/appointments/", o.appointment_id));
    v1::Appointment a;
    return appointments_->MarkSelfRebooked(server_.Context("admin").get(), req, &a);
  }
};

TEST_F(LifecycleTest, AnswersCapacityChangesExpiryAndReplans) {
  const std::string first_plan = PlanAndCommit();
  std::vector<domain::Offer> open = Offers(OfferState::kOpen);
  ASSERT_GT(open.size(), 400u);
  int with_alternatives = 0;
  for (const auto& o : open) with_alternatives += o.alternatives.size() == 3 ? 1 : 0;
  EXPECT_GT(with_alternatives, static_cast<int>(open.size()) / 2);
  CheckInvariants("commit");

  // The public view needs only the token; the staff methods still need a bearer token.
  v1::GetPublicOfferRequest pub;
  pub.set_token(open[0].token);
  v1::PublicOffer view;
  ASSERT_TRUE(offers_->GetPublicOffer(server_.Context("").get(), pub, &view).ok());
  EXPECT_EQ(view.state(), v1::Offer::OPEN);
  EXPECT_FALSE(view.office_display_name().empty());
  EXPECT_EQ(view.alternatives_size(), static_cast<int>(open[0].alternatives.size()));
  pub.set_token("not-a-real-token-at-all-0000");
  EXPECT_EQ(offers_->GetPublicOffer(server_.Context("").get(), pub, &view).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetOfferRequest get;
  get.set_name(OfferName(open[0]));
  v1::Offer staff_view;
  EXPECT_EQ(offers_->GetOffer(server_.Context("").get(), get, &staff_view).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(offers_->GetOffer(server_.Context("clerk-a").get(), get, &staff_view).error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "offers of other offices do not exist for a clerk";
  ASSERT_TRUE(offers_->GetOffer(server_.Context("admin").get(), get, &staff_view).ok());
  EXPECT_EQ(staff_view.slot().clerk(), "clerks/" + open[0].slot.clerk_id);

  // Scripted answers.
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(Respond(open[i].token, v1::ACCEPT).ok()) << i;
  for (int i = 30; i < 40; ++i) ASSERT_TRUE(Respond(open[i].token, v1::DECLINE).ok()) << i;
  for (int i = 40; i < 45; ++i) {
    domain::TimeInterval day = DayOf(open[i].slot.time.start + std::chrono::hours(24));
    ASSERT_TRUE(Respond(open[i].token, v1::OTHER_TIME, nullptr, -1, {{day.start, day.end}}).ok());
  }
  const domain::Offer& picky = open[45];
  ASSERT_FALSE(picky.alternatives.empty());
  ASSERT_TRUE(Respond(picky.token, v1::OTHER_TIME, nullptr, 0).ok());
  // Self-rebooked before any message went out: withdrawn, no cancellation.
  ASSERT_TRUE(SelfRebooked(open[46]).ok());
  // Self-rebooked after the offer message was sent: withdrawn with a cancellation.
  // (What the notifier does after a successful send, done here straight in the store.)
  std::vector<domain::OutboxMessage> sent = Messages(open[47].appointment_id);
  ASSERT_FALSE(sent.empty());
  ASSERT_TRUE(server_.store()
                  .Write({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           for (domain::OutboxMessage m : sent) {
                             m.state = domain::MessageState::kSent;
                             REBOOK_RETURN_IF_ERROR(tx.UpdateMessage(m));
                           }
                           return absl::OkStatus();
                         })
                  .ok());
  ASSERT_TRUE(SelfRebooked(open[47]).ok());
  EXPECT_EQ(CountKind(Messages(open[46].appointment_id), domain::MessageKind::kCancellation), 0);
  EXPECT_EQ(CountKind(Messages(open[47].appointment_id), domain::MessageKind::kCancellation), 1);

  // Idempotent answers, refused changes.
  ASSERT_TRUE(Respond(open[0].token, v1::ACCEPT).ok());
  EXPECT_EQ(CountKind(Messages(open[0].appointment_id), domain::MessageKind::kConfirmation), 1);
  grpc::Status changed_mind = Respond(open[0].token, v1::DECLINE);
  EXPECT_EQ(changed_mind.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Respond(open[46].token, v1::ACCEPT).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Appointment(open[0].appointment_id).status, AppointmentStatus::kConfirmed);
  EXPECT_EQ(Appointment(open[30].appointment_id).status, AppointmentStatus::kDeclined);
  EXPECT_EQ(Appointment(picky.appointment_id).status, AppointmentStatus::kConfirmed);
  EXPECT_EQ(Appointment(open[46].appointment_id).status, AppointmentStatus::kSelfRebooked);
  CheckInvariants("answers");
  RememberConfirmed();
  ASSERT_EQ(confirmed_.size(), 31u);
  EXPECT_EQ(confirmed_[picky.appointment_id], picky.alternatives[0]);

  // A clerk with a confirmed citizen is reported sick for that whole day.
  const domain::OfferSlot sick_slot = confirmed_[open[0].appointment_id];
  const domain::TimeInterval sick_day = DayOf(sick_slot.time.start);
  for (const auto& [id, slot] : confirmed_) {
    if (slot.clerk_id == sick_slot.clerk_id && slot.time.Overlaps(sick_day))
      allowed_to_move_.insert(id);
  }
  std::map<std::string, domain::Offer> before = OpenByAppointment();
  v1::ReportClerkAbsenceRequest absence;
  absence.set_clerk("clerks/" + sick_slot.clerk_id);
  absence.mutable_interval()->mutable_start_time()->set_seconds(
      sick_day.start.time_since_epoch().count());
  absence.mutable_interval()->mutable_end_time()->set_seconds(
      sick_day.end.time_since_epoch().count());
  absence.set_reason("sick");
  v1::ReportClerkAbsenceResponse absence_resp;
  ASSERT_TRUE(
      capacity_->ReportClerkAbsence(server_.Context("admin").get(), absence, &absence_resp).ok());
  v1::Plan replan;
  grpc::Status st = Replan(&replan);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(replan.base_plan(), first_plan);
  EXPECT_EQ(replan.state(), v1::Plan::COMMITTED);
  CheckInvariants("clerk sick");
  const domain::Appointment moved = Appointment(open[0].appointment_id);
  EXPECT_NE(moved.status, AppointmentStatus::kConfirmed);
  auto now_open = OpenByAppointment();
  auto reoffer = now_open.find(open[0].appointment_id);
  ASSERT_NE(reoffer, now_open.end()) << "the moved citizen gets a new offer";
  EXPECT_THAT(reoffer->second.explanation, HasSubstr("nicht im Dienst"));
  EXPECT_FALSE(reoffer->second.slot.time.Overlaps(sick_slot.time) &&
               reoffer->second.slot.clerk_id == sick_slot.clerk_id);
  // Unaffected open offers kept their slot and version.
  int kept = 0;
  for (const auto& [id, o] : before) {
    if (o.slot.clerk_id == sick_slot.clerk_id && o.slot.time.Overlaps(sick_day)) continue;
    auto now = now_open.find(id);
    ASSERT_NE(now, now_open.end()) << id << " lost its open offer";
    EXPECT_EQ(now->second.version, o.version) << id;
    EXPECT_EQ(now->second.slot, o.slot) << id;
    ++kept;
  }
  EXPECT_GT(kept, 300);
  // Declined and other-time citizens have new offers, never at a slot they turned down.
  for (int i = 30; i < 45; ++i) {
    auto o = now_open.find(open[i].appointment_id);
    if (o == now_open.end()) continue;
    EXPECT_GT(o->second.version, open[i].version);
    EXPECT_FALSE(o->second.slot.time.Overlaps(open[i].slot.time)) << open[i].appointment_id;
  }
  RememberConfirmed();
  allowed_to_move_.clear();

  // A closure on a day with open offers at one office.
  const domain::Offer& victim = now_open.begin()->second;
  const domain::TimeInterval closed_day = DayOf(victim.slot.time.start);
  v1::CreateClosureRequest closure;
  closure.set_parent("offices/" + victim.slot.office_id);
  domain::LocalDate d = domain::LocalDateOf("Europe/Berlin", victim.slot.time.start);
  closure.mutable_closure()->mutable_date()->set_year(static_cast<int>(d.year()));
  closure.mutable_closure()->mutable_date()->set_month(static_cast<unsigned>(d.month()));
  closure.mutable_closure()->mutable_date()->set_day(static_cast<unsigned>(d.day()));
  closure.mutable_closure()->set_reason("Personalversammlung");
  v1::Closure created;
  st = capacity_->CreateClosure(server_.Context("admin").get(), closure, &created);
  ASSERT_TRUE(st.ok()) << st.error_message();
  for (const auto& [id, slot] : confirmed_) {
    if (slot.office_id == victim.slot.office_id && slot.time.Overlaps(closed_day))
      allowed_to_move_.insert(id);
  }
  ASSERT_TRUE(Replan().ok());
  CheckInvariants("closure");
  for (const auto& o : Offers(OfferState::kOpen)) {
    EXPECT_FALSE(o.slot.office_id == victim.slot.office_id && o.slot.time.Overlaps(closed_day));
  }
  auto open_after_closure = OpenByAppointment();
  auto after_closure = open_after_closure.find(victim.appointment_id);
  ASSERT_NE(after_closure, open_after_closure.end());
  EXPECT_THAT(after_closure->second.explanation, HasSubstr("Personalversammlung"));
  RememberConfirmed();
  allowed_to_move_.clear();

  // Reminders 25 h after the offers, expiry at 48 h.
  server_.clock().Advance(std::chrono::hours(25));
  int slot_passed = 0;  // offers whose slot began before anyone answered expire too
  for (const auto& o : Offers(OfferState::kOpen)) {
    slot_passed += o.HeldSlot().time.start <= server_.clock().Now() ? 1 : 0;
  }
  v1::ProcessExpiriesResponse ex;
  ASSERT_TRUE(ProcessExpiries(&ex).ok());
  EXPECT_GT(ex.reminders_queued(), 300);
  EXPECT_EQ(ex.expired_count(), slot_passed);
  ASSERT_TRUE(ProcessExpiries(&ex).ok());
  EXPECT_EQ(ex.reminders_queued(), 0) << "one reminder per offer";
  server_.clock().Advance(std::chrono::hours(24));
  ASSERT_TRUE(ProcessExpiries(&ex).ok());
  EXPECT_GT(ex.expired_count(), 300);
  CheckInvariants("expiry");
  // Silent citizens wait again (or are unreachable when no message could reach them).
  std::string silent;
  for (std::size_t i = 48; i < open.size() && silent.empty(); ++i) {
    const domain::Appointment a = Appointment(open[i].appointment_id);
    if (a.status == AppointmentStatus::kCancelled) silent = a.id;
    if (a.status == AppointmentStatus::kUnreachable) {
      for (const auto& m : Messages(a.id)) EXPECT_EQ(m.state, domain::MessageState::kDead);
    }
  }
  ASSERT_FALSE(silent.empty());

  // Re-plan the freed citizens; the new slots start after the notice period.
  v1::Plan after_expiry;
  ASSERT_TRUE(Replan(&after_expiry).ok());
  CheckInvariants("re-plan after expiry");
  EXPECT_EQ(Appointment(silent).status, AppointmentStatus::kOffered);
  const Instant notice = server_.clock().Now() + std::chrono::hours(12);
  for (const auto& o : Offers(OfferState::kOpen)) {
    if (o.plan_id == after_expiry.name().substr(after_expiry.name().rfind('/') + 1)) {
      EXPECT_GE(o.slot.time.start, notice);
    }
  }

  // Two re-plans at once: both succeed, at most one commits anything.
  const int committed_before = CommittedPlans();
  grpc::Status a, b;
  std::thread t1([&] { a = Replan(); });
  std::thread t2([&] { b = Replan(); });
  t1.join();
  t2.join();
  EXPECT_TRUE(a.ok()) << a.error_message();
  EXPECT_TRUE(b.ok()) << b.error_message();
  EXPECT_LE(CommittedPlans(), committed_before + 1) << "two re-plans committed on one state";
  CheckInvariants("concurrent re-plans");

  // Every citizen appears in exactly one status of the impact report.
  v1::GetOutageImpactRequest impact_req;
  impact_req.set_name(absl::StrCat("outages/", kOutage));
  v1::OutageImpact impact;
  ASSERT_TRUE(outages_->GetOutageImpact(server_.Context("admin").get(), impact_req, &impact).ok());
  std::int64_t counted = 0;
  std::map<std::string, std::int64_t> by_status;
  for (const auto& office : impact.office_statuses()) {
    for (const auto& [status, n] : office.status_counts()) {
      counted += n;
      by_status[status] += n;
    }
  }
  EXPECT_EQ(counted, impact.total_appointments());
  EXPECT_GT(by_status["CONFIRMED"], 0);
  EXPECT_EQ(by_status["SELF_REBOOKED"], 2);
}

}  // namespace
}  // namespace rebook::testing
