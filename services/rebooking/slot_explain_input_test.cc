// ExplainAppointmentSlot on its scoped input (slot_explain_input.h) against the explanation
// from the whole outage's planning input, as it was computed before, for every appointment of
// a store with five offices, clerks shared between offices, appointments allowed several
// offices, and held and rebooked slots of two outages at those offices and elsewhere.
#include "services/rebooking/slot_explain_input.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "services/rebooking/planning.h"
#include "services/rebooking/slot_explain.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::OfferState;
using std::chrono::hours;
using std::chrono::minutes;
using testing::kT0;

// Local time in Berlin `day` days after Wed 28 Jan 2026.
Instant Local(int day, int hour, int minute = 0) {
  date::local_seconds t =
      date::local_days{date::year{2026} / 1 / 28} + date::days(day) + hours(hour) + minutes(minute);
  return *domain::LocalToInstant("Europe/Berlin", t);
}

// The explanation as ExplainAppointmentSlot computed it before it had a scoped input: from the
// outage's whole planning input (LoadPlanningInput, PlanScope::kOpen), with the places at the
// allowed offices found by scanning every holding offer. That input held the capacity of the
// outage's offices and of those its waiting citizens may go to, so a held citizen's other
// offices had no shifts in it; `own_offices` adds them to the outage's offices, as they should
// have been.
absl::StatusOr<SlotExplanation> FromWholeOutage(storage::Transaction& tx,
                                                const domain::AppointmentKey& key,
                                                const std::string& plan_id, bool own_offices) {
  REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, tx.GetAppointment(key.office_id, key.id));
  SlotQuestion q;
  if (a.status == AppointmentStatus::kOffered) q.slot = a.held_slot;
  if (a.status == AppointmentStatus::kConfirmed) q.slot = a.rebooked_slot->slot;
  storage::OfferFilter mine;
  mine.appointment = a.Key();
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(mine, [&](const domain::Offer& o) {
    if (o.state == OfferState::kDeclined || o.state == OfferState::kOtherTimeRequested) {
      a.unavailable.push_back(o.slot.time);
    }
  }));
  REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord plan, tx.GetPlan(a.outage_id, plan_id));
  REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(a.outage_id));
  if (own_offices) {
    for (const std::string& o : a.EffectiveAllowedOffices()) outage.office_ids.push_back(o);
    if (q.slot.has_value()) outage.office_ids.push_back(q.slot->office_id);
  }
  REBOOK_ASSIGN_OR_RETURN(PlanningInput input,
                          LoadPlanningInput(tx, outage, plan.params, PlanScope::kOpen));
  domain::Scenario& s = input.scenario;
  const std::string own_prefix = absl::StrCat("held.", a.office_id, ".", a.id, ".v");
  std::erase_if(s.bookings, [&](const domain::StandingBooking& b) {
    return absl::StartsWith(b.id, own_prefix);
  });
  const std::vector<std::string> allowed = a.EffectiveAllowedOffices();
  for (const std::string& office : allowed) {
    bool known = false;
    for (const domain::Office& o : s.offices) known = known || o.id == office;
    if (!known) {
      REBOOK_ASSIGN_OR_RETURN(domain::Office o, tx.GetOffice(office));
      s.offices.push_back(std::move(o));
    }
  }
  std::set<std::string> blocking;
  for (const domain::StandingBooking& b : s.bookings) {
    if (std::find(allowed.begin(), allowed.end(), b.office_id) != allowed.end()) {
      blocking.insert(b.id);
    }
  }
  std::unordered_map<std::string, Occupant> occupants;
  storage::OfferFilter holding;
  holding.states = {OfferState::kOpen, OfferState::kAccepted};
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(holding, [&](const domain::Offer& o) {
    std::string id = absl::StrCat("held.", o.office_id, ".", o.appointment_id, ".v", o.version);
    if (blocking.count(id) == 0) return;
    absl::StatusOr<domain::Appointment> h = tx.GetAppointment(o.office_id, o.appointment_id);
    occupants.emplace(id, h.ok() ? Occupant{h->deadline, h->priority} : Occupant{});
  }));
  q.appointment = std::move(a);
  return ExplainSlot(s, q, occupants);
}

// Every figure of an explanation, one day per line.
std::string Dump(const SlotExplanation& e) {
  std::string out = absl::StrCat(e.appointment_office_id, "/", e.appointment_id, " slot_day ",
                                 domain::FormatLocalDate(e.slot_day), " earliest ",
                                 domain::FormatUtc(e.earliest_possible), " allowed ",
                                 absl::StrJoin(e.allowed_offices, ","), "\n");
  for (const DayExplanation& d : e.days) {
    absl::StrAppend(&out, domain::FormatLocalDate(d.day), " ", d.office_id, " ",
                    std::string(ToString(d.reason)), " '", d.detail, "' need ", d.needed_minutes,
                    " free ", d.free_minutes, " longest ", d.longest_free_minutes, " cap ",
                    d.regular_cap_minutes, " rebooked ", d.rebooked_minutes, " reserve ",
                    d.reserve_percent, " priority ", d.priority_places, " taken ", d.places_taken,
                    "\n");
  }
  return out;
}

// Offices A and B (out-1) and E (out-2) lost appointments; C and D are neighbours. Clerk kab
// works at A in the morning and B in the afternoon; kcd at C and, overlapping, at D. kx at A
// handles another service only. C is closed on Friday.
class SlotExplainInputTest : public testing::OutboxTest {
 protected:
  struct Work {
    const char* clerk;
    const char* office;
    int from, to;  // local hours
  };
  static constexpr Work kShifts[] = {
      {"ka", "A", 8, 12}, {"kab", "A", 8, 10},  {"kab", "B", 13, 16}, {"kb", "B", 8, 12},
      {"kc", "C", 8, 12}, {"kcd", "C", 12, 14}, {"kcd", "D", 13, 15}, {"kd", "D", 10, 14},
      {"ke", "E", 8, 12}, {"kx", "A", 8, 12}};
  static constexpr int kDays[] = {0, 1, 2, 5, 6};  // Wed, Thu, Fri, Mon, Tue

  void SetUp() override {
    OutboxTest::SetUp();
    params_.horizon_start = kT0 + hours(12);
    params_.horizon_end = kT0 + hours(24 * 9);
    params_.reserve_share = 0.2;
    ASSERT_TRUE(
        Write([&](storage::Transaction& tx) -> absl::Status {
          for (const char* id : {"C", "D", "E"}) {
            REBOOK_RETURN_IF_ERROR(tx.PutOffice({.id = id, .name = id, .state = "DE-ST"}));
          }
          REBOOK_RETURN_IF_ERROR(tx.PutService({.id = "pass", .name = "Reisepass"}));
          for (const char* k : {"ka", "kab", "kb", "kc", "kcd", "kd", "ke"}) {
            REBOOK_RETURN_IF_ERROR(tx.PutClerk({.id = k, .skills = {"kfz"}}));
          }
          REBOOK_RETURN_IF_ERROR(tx.PutClerk({.id = "kx", .skills = {"pass"}}));
          for (const Work& w : kShifts) {
            for (int d : kDays) {
              REBOOK_RETURN_IF_ERROR(tx.PutShift({.id = absl::StrCat(w.clerk, "-", d),
                                                  .clerk_id = w.clerk,
                                                  .office_id = w.office,
                                                  .time = {Local(d, w.from), Local(d, w.to)}}));
            }
          }
          REBOOK_RETURN_IF_ERROR(tx.PutShift({.id = "ke-ot",
                                              .clerk_id = "ke",
                                              .office_id = "E",
                                              .time = {Local(6, 14), Local(6, 16)},
                                              .kind = domain::ShiftKind::kOvertime}));
          REBOOK_RETURN_IF_ERROR(
              tx.PutClosure({"C", domain::LocalDateOf("Europe/Berlin", Local(2, 12)), "Umzug"}));
          // Regular bookings: ka's first hour daily, kb and kc full days, kcd at D.
          for (int d : kDays) {
            REBOOK_RETURN_IF_ERROR(tx.PutStandingBooking(
                {absl::StrCat("r-ka-", d), "ka", "A", {Local(d, 8), Local(d, 9)}}));
          }
          REBOOK_RETURN_IF_ERROR(
              tx.PutStandingBooking({"r-kb", "kb", "B", {Local(0, 8), Local(0, 12)}}));
          REBOOK_RETURN_IF_ERROR(
              tx.PutStandingBooking({"r-kc", "kc", "C", {Local(5, 8), Local(5, 12)}}));
          REBOOK_RETURN_IF_ERROR(
              tx.PutStandingBooking({"r-kcd", "kcd", "D", {Local(1, 13), Local(1, 14, 30)}}));
          return absl::OkStatus();
        }).ok());
    SeedOutage("out-1", {"A", "B"}, 30);
    SeedOutage("out-2", {"E"}, 12);
    // Days made full by other citizens' places (of out-2, with early deadlines) and, at A, by
    // a regular booking: A on Thursday, D on Wednesday.
    FillWithPlaces("kab", "A", 1, 8, 10);
    FillWithPlaces("kd", "D", 0, 10, 14);
    ASSERT_TRUE(Write([](storage::Transaction& tx) {
                  return tx.PutStandingBooking({"r-ka-1b", "ka", "A", {Local(1, 9), Local(1, 12)}});
                }).ok());
  }

  // Open offers of out-2 citizens for every quarter hour of `clerk` at `office` on `day`.
  void FillWithPlaces(const std::string& clerk, const std::string& office, int day, int from,
                      int to) {
    ASSERT_TRUE(
        Write([&](storage::Transaction& tx) -> absl::Status {
          for (Instant t = Local(day, from); t < Local(day, to); t += minutes(15)) {
            domain::Appointment a{
                .id = absl::StrCat("fill-", clerk, "-", t.time_since_epoch().count()),
                .office_id = "E",
                .service_id = "kfz",
                .original_start = kT0 + hours(2),
                .deadline = kT0 + hours(48),
                .allowed_offices = {office},
                .contact = Email(),
                .status = AppointmentStatus::kOffered,
                .outage_id = "out-2"};
            domain::Offer o{
                .appointment_id = a.id,
                .office_id = "E",
                .version = 1,
                .outage_id = "out-2",
                .plan_id = "p-out-2",
                .slot = {.office_id = office, .clerk_id = clerk, .time = {t, t + minutes(15)}},
                .token = absl::StrCat("tok_", a.id, "_0123456789abcdef"),
                .create_time = kT0,
                .expire_time = kT0 + hours(48)};
            HoldSlot(a, o);
            REBOOK_RETURN_IF_ERROR(tx.InsertAppointments({&a, 1}));
            REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
          }
          return absl::OkStatus();
        }).ok());
  }

  // `n` appointments of `outage` with varied rules, offices and states; the held and rebooked
  // ones sit at one of their allowed offices with a clerk who works there.
  void SeedOutage(const std::string& outage, std::vector<std::string> offices, int n) {
    static const std::vector<std::vector<std::string>> kAllowed = {
        {}, {"A", "C"}, {"B", "D"}, {"A", "B", "E"}, {"C"}, {"D", "C"}, {"E", "D"}};
    const std::string plan_id = absl::StrCat("p-", outage);
    ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                  REBOOK_RETURN_IF_ERROR(tx.PutOutage({.id = outage,
                                                       .office_ids = offices,
                                                       .window = {kT0, kT0 + hours(8)},
                                                       .cause = "Stromausfall",
                                                       .declare_time = kT0}));
                  REBOOK_RETURN_IF_ERROR(tx.PutPlan({.outage_id = outage,
                                                     .id = plan_id,
                                                     .state = domain::PlanState::kCommitted,
                                                     .params = params_,
                                                     .create_time = kT0}));
                  for (int i = 0; i < n; ++i) {
                    REBOOK_RETURN_IF_ERROR(SeedAppointment(
                        tx, outage, plan_id, offices[i % offices.size()],
                        outage == "out-1" ? kAllowed[i % 6] : kAllowed[6 - i % 2], i));
                  }
                  return absl::OkStatus();
                }).ok());
  }

  absl::Status SeedAppointment(storage::Transaction& tx, const std::string& outage,
                               const std::string& plan_id, const std::string& office,
                               const std::vector<std::string>& allowed, int i) {
    domain::Appointment a{.id = absl::StrCat(outage, "-a", i),
                          .office_id = office,
                          .service_id = "kfz",
                          .original_start = kT0 + hours(1),
                          .contact = Email(),
                          .status = AppointmentStatus::kCancelled,
                          .outage_id = outage};
    a.allowed_offices = allowed;
    a.priority = 1 + i % 3;
    a.cases = 1 + (i % 4 == 3 ? 1 : 0);
    if (i % 3 == 0) a.deadline = kT0 + hours(24 * (4 + i % 4));
    if (i % 7 == 0) a.earliest_start = Local(1, 0);
    if (i % 5 == 0) a.unavailable = {{Local(0, 0), Local(1, 0)}};
    domain::Offer o{.appointment_id = a.id,
                    .office_id = office,
                    .version = 1,
                    .outage_id = outage,
                    .plan_id = plan_id,
                    .token = absl::StrCat("tok_", a.id, "_0123456789abcdef"),
                    .create_time = kT0,
                    .expire_time = kT0 + hours(48)};
    o.slot = SlotFor(a, i);
    switch (i % 5) {
      case 0:  // waits; an earlier offer was withdrawn
        o.state = OfferState::kWithdrawn;
        break;
      case 1:
      case 4:
        o.state = OfferState::kOpen;
        a.status = AppointmentStatus::kOffered;
        HoldSlot(a, o);
        break;
      case 2:  // accepted, every third one an alternative
        o.state = OfferState::kAccepted;
        if (i % 3 == 2) {
          o.alternatives = {SlotFor(a, i + 7)};
          o.accepted_alternative = 0;
        }
        a.status = AppointmentStatus::kConfirmed;
        ConfirmSlot(a, o, kT0);
        break;
      case 3:
        o.state = OfferState::kDeclined;
        a.status = AppointmentStatus::kDeclined;
        break;
    }
    REBOOK_RETURN_IF_ERROR(tx.InsertAppointments({&a, 1}));
    return tx.PutOffer(o);
  }

  // A place at one of `a`'s allowed offices with a clerk of that office, varied by `i`.
  domain::OfferSlot SlotFor(const domain::Appointment& a, int i) {
    const std::vector<std::string> allowed = a.EffectiveAllowedOffices();
    const std::string& office = allowed[i % allowed.size()];
    std::vector<const Work*> here;
    for (const Work& w : kShifts) {
      if (office == w.office && std::string(w.clerk) != "kx") here.push_back(&w);
    }
    const Work& w = *here[i % here.size()];
    const Instant start = Local(kDays[(i / 2) % 5], w.from, 15 * (i % 4));
    return {.office_id = office,
            .clerk_id = w.clerk,
            .time = {start, start + minutes(15 * std::max(1, a.cases))}};
  }

  domain::PlanParams params_;
};

TEST_F(SlotExplainInputTest, ExplainsEveryAppointmentAsTheWholeOutageDid) {
  std::vector<domain::AppointmentKey> keys;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) {
                           return tx.ScanAppointments(
                               {}, [&](const domain::Appointment& a) { keys.push_back(a.Key()); });
                         })
                  .ok());
  ASSERT_EQ(keys.size(), 42u + 8 + 16);
  std::map<DayReason, int> reasons;
  int places = 0, priority = 0;
  for (const domain::AppointmentKey& key : keys) {
    SCOPED_TRACE(key.id);
    ASSERT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) -> absl::Status {
                             REBOOK_ASSIGN_OR_RETURN(SlotExplanationResult scoped,
                                                     ExplainAppointmentSlot(tx, key));
                             REBOOK_ASSIGN_OR_RETURN(
                                 SlotExplanation whole,
                                 FromWholeOutage(tx, key, scoped.plan_id, true));
                             EXPECT_EQ(Dump(scoped.explanation), Dump(whole));
                             for (const DayExplanation& d : whole.days) {
                               reasons[d.reason] += 1;
                               places += d.places_taken;
                               priority += d.priority_places;
                             }
                             return absl::OkStatus();
                           })
                    .ok());
  }
  // The store exercises what the scoped input must find: other citizens' places, earlier
  // deadlines among them, full days, closures and the reserve.
  EXPECT_GT(places, 20);
  EXPECT_GT(priority, 0);
  for (DayReason r :
       {DayReason::kOfficeClosed, DayReason::kNoOpening, DayReason::kFull,
        DayReason::kDeadlinePriority, DayReason::kCitizenUnavailable, DayReason::kFreeUnused}) {
    EXPECT_GT(reasons[r], 0) << ToString(r);
  }
}

// A citizen holding a place at an office no waiting citizen of the outage may go to: the whole
// outage's input had no shifts there ("no opening hours" every day); the scoped one has.
TEST_F(SlotExplainInputTest, ExplainsAHeldCitizensOfficeTheOutageInputLacked) {
  ASSERT_TRUE(
      store_
          ->Read({},
                 [&](storage::Transaction& tx) -> absl::Status {
                   const domain::AppointmentKey key{
                       "E", absl::StrCat("fill-kab-", Local(1, 9, 45).time_since_epoch().count())};
                   REBOOK_ASSIGN_OR_RETURN(SlotExplanationResult scoped,
                                           ExplainAppointmentSlot(tx, key));
                   REBOOK_ASSIGN_OR_RETURN(SlotExplanation whole,
                                           FromWholeOutage(tx, key, scoped.plan_id, false));
                   const SlotExplanation& e = scoped.explanation;
                   EXPECT_EQ(e.allowed_offices, std::vector<std::string>{"A"});
                   EXPECT_EQ(e.slot_day, domain::LocalDateOf("Europe/Berlin", Local(1, 12)));
                   EXPECT_EQ(e.days.back().reason, DayReason::kFull);
                   EXPECT_GE(e.days.back().places_taken,
                             7);  // the other quarter hours of kab, and more
                   EXPECT_EQ(whole.days.back().reason, DayReason::kNoOpening);
                   return absl::OkStatus();
                 })
          .ok());
}

// The scoped input reads only the allowed offices' capacity: not the outage's other offices,
// nor shifts or clerks elsewhere; but a shared clerk's places at other offices.
TEST_F(SlotExplainInputTest, ReadsOnlyTheAllowedOfficesAndTheirClerksPlaces) {
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](storage::Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                                                   tx.GetAppointment("A", "out-1-a4"));
                           EXPECT_EQ(a.EffectiveAllowedOffices(), std::vector<std::string>{"C"});
                           REBOOK_ASSIGN_OR_RETURN(
                               SlotExplanationInput in,
                               LoadSlotExplanationInput(tx, a, a.held_slot, params_));
                           std::set<std::string> offices, shift_offices, clerks;
                           for (const domain::Office& o : in.scenario.offices) offices.insert(o.id);
                           for (const domain::Shift& s : in.scenario.shifts) {
                             shift_offices.insert(s.office_id);
                           }
                           for (const domain::Clerk& c : in.scenario.clerks) clerks.insert(c.id);
                           EXPECT_EQ(offices, std::set<std::string>{"C"});
                           EXPECT_EQ(shift_offices, std::set<std::string>{"C"});
                           EXPECT_EQ(clerks, (std::set<std::string>{"kc", "kcd"}));
                           bool kcd_at_d = false;
                           for (const domain::StandingBooking& b : in.scenario.bookings) {
                             EXPECT_TRUE(b.clerk_id == "kc" || b.clerk_id == "kcd") << b.id;
                             kcd_at_d = kcd_at_d || (b.clerk_id == "kcd" && b.office_id == "D");
                             if (b.office_id != "C") {
                               EXPECT_EQ(in.occupants.count(b.id), 0u);
                             }
                           }
                           EXPECT_TRUE(kcd_at_d);
                           return absl::OkStatus();
                         })
                  .ok());
}

}  // namespace
}  // namespace rebook::rebooking
