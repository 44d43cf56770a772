// ExplainSlot on constructed instances: one test per reason, the days it looks at, and the words.
#include "services/rebooking/slot_explanation.h"

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::rebooking {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// Local time in Berlin on a January 2026 day (Mon 5 Jan ... Fri 16 Jan; 6 Jan is a holiday in
// Saxony-Anhalt).
Instant At(unsigned day, int hour, int minute = 0) {
  date::local_seconds t =
      date::local_days{date::year{2026} / 1 / day} + hours(hour) + minutes(minute);
  return *domain::LocalToInstant("Europe/Berlin", t);
}

domain::LocalDate Jan(unsigned day) { return date::year{2026} / 1 / day; }

// Office A (and B), a 30-minute service "pass" that clerk k1 handles and k2 does not. k1 works
// 08:00-12:00 at A on 5-9 Jan; k2 at A on 12 Jan. The citizen holds 9 Jan 10:00 with k1.
struct Instance {
  domain::Scenario s;
  SlotQuestion q;
  std::unordered_map<std::string, Occupant> occupants;

  Instance() {
    s.params.horizon_start = At(5, 7);
    s.params.horizon_end = At(16, 18);
    s.offices = {{"A", "Bürgerbüro Mitte", "DE-ST"}, {"B", "Bürgerbüro Nord", "DE-ST"}};
    s.services = {{"pass", "Reisepass", domain::ServiceCategory::kResidents, 30},
                  {"car", "Kfz", domain::ServiceCategory::kVehicleRegistration, 15}};
    s.clerks = {{"k1", "Clerk 1", {"pass"}, "A"}, {"k2", "Clerk 2", {"car"}, "A"}};
    for (unsigned d = 5; d <= 9; ++d) {
      s.shifts.push_back({absl::StrCat("s", d), "k1", "A", {At(d, 8), At(d, 12)}});
    }
    s.shifts.push_back({"s12", "k2", "A", {At(12, 8), At(12, 12)}});
    q.appointment.id = "a1";
    q.appointment.office_id = "A";
    q.appointment.service_id = "pass";
    q.slot = domain::ScheduledSlot{"A", "k1", {At(9, 10), At(9, 10, 30)}};
  }
  // k1 busy all day `day` with a regular booking.
  void Fill(unsigned day) {
    s.bookings.push_back({absl::StrCat("b", day), "k1", "A", {At(day, 8), At(day, 12)}});
  }
  SlotExplanation Explain() const {
    absl::StatusOr<SlotExplanation> e = ExplainSlot(s, q, occupants);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? *e : SlotExplanation{};
  }
};

const DayExplanation* Find(const SlotExplanation& e, unsigned day, const std::string& office) {
  for (const DayExplanation& d : e.days) {
    if (d.day == Jan(day) && d.office_id == office) return &d;
  }
  return nullptr;
}

DayReason ReasonOn(const SlotExplanation& e, unsigned day) {
  const DayExplanation* d = Find(e, day, "A");
  EXPECT_NE(d, nullptr) << "no entry for " << day;
  return d != nullptr ? d->reason : DayReason::kFreeUnused;
}

TEST(ExplainSlotTest, ClosureHolidayAndFullDaysWithFigures) {
  Instance x;
  x.s.closures.push_back({"A", Jan(7), "Umzug der Server"});
  x.s.bookings.push_back({"b5", "k1", "A", {At(5, 8), At(5, 11, 45)}});
  x.Fill(8);
  SlotExplanation e = x.Explain();
  ASSERT_EQ(e.days.size(), 5u);  // 5, 6, 7, 8 and the morning of 9 Jan
  const DayExplanation* mon = Find(e, 5, "A");
  ASSERT_NE(mon, nullptr);
  EXPECT_EQ(mon->reason, DayReason::kFull);
  EXPECT_EQ(mon->free_minutes, 15);
  EXPECT_EQ(mon->longest_free_minutes, 15);
  EXPECT_EQ(mon->needed_minutes, 30);
  EXPECT_EQ(ReasonOn(e, 6), DayReason::kHoliday);
  EXPECT_EQ(Find(e, 6, "A")->detail, "Heilige Drei Könige");
  EXPECT_EQ(ReasonOn(e, 7), DayReason::kOfficeClosed);
  EXPECT_EQ(Find(e, 7, "A")->detail, "Umzug der Server");
  EXPECT_EQ(ReasonOn(e, 8), DayReason::kFull);
  EXPECT_EQ(Find(e, 8, "A")->free_minutes, 0);
  // 08:00-10:00 on the slot's own day is free: reported, not hidden.
  EXPECT_EQ(ReasonOn(e, 9), DayReason::kFreeUnused);
  EXPECT_EQ(Find(e, 9, "A")->longest_free_minutes, 120);
}

TEST(ExplainSlotTest, NoOpeningAndNoQualifiedClerkAndWeekendsSkipped) {
  Instance x;
  for (unsigned d = 5; d <= 9; ++d) x.Fill(d);
  x.q.slot.reset();  // not placed: every day of the horizon
  SlotExplanation e = x.Explain();
  EXPECT_EQ(ReasonOn(e, 12), DayReason::kNoQualifiedClerk);
  EXPECT_EQ(ReasonOn(e, 13), DayReason::kNoOpening);
  EXPECT_EQ(Find(e, 10, "A"), nullptr);  // Saturday without shifts
  EXPECT_EQ(Find(e, 11, "A"), nullptr);
  EXPECT_EQ(e.days.back().day, Jan(16));
}

TEST(ExplainSlotTest, MinimumNoticeEarliestStartAndDeadline) {
  Instance x;
  x.s.params.horizon_start = At(5, 12);  // the minimum notice ends after Monday's shift
  x.q.appointment.earliest_start = At(7, 0);
  x.q.appointment.deadline = At(8, 12);
  x.q.slot.reset();
  SlotExplanation e = x.Explain();
  EXPECT_EQ(ReasonOn(e, 5), DayReason::kBeforeNotice);
  EXPECT_EQ(ReasonOn(e, 6), DayReason::kHoliday);
  EXPECT_EQ(ReasonOn(e, 7), DayReason::kFreeUnused);
  EXPECT_EQ(ReasonOn(e, 9), DayReason::kAfterDeadline);
  EXPECT_EQ(e.earliest_possible, At(7, 0));

  x.s.params.horizon_start = At(5, 7);
  EXPECT_EQ(ReasonOn(x.Explain(), 5), DayReason::kBeforeEarliest);
}

TEST(ExplainSlotTest, CitizenUnavailableIncludingADeclinedSlot) {
  Instance x;
  x.q.appointment.unavailable = {{At(5, 0), At(5, 23)}, {At(8, 8), At(8, 11, 45)}};
  x.Fill(7);
  SlotExplanation e = x.Explain();
  EXPECT_EQ(ReasonOn(e, 5), DayReason::kCitizenUnavailable);
  EXPECT_EQ(Find(e, 5, "A")->free_minutes, 240);
  EXPECT_EQ(ReasonOn(e, 8), DayReason::kCitizenUnavailable);
  EXPECT_EQ(ReasonOn(e, 7), DayReason::kFull);
}

TEST(ExplainSlotTest, DeadlineForcedPriorityForSomeoneElseCountsWithoutNaming) {
  Instance x;
  x.s.bookings.push_back({"held.A.secret-citizen.v1", "k1", "A", {At(5, 8), At(5, 10)}});
  x.s.bookings.push_back({"held.A.other.v1", "k1", "A", {At(5, 10), At(5, 12)}});
  x.occupants["held.A.secret-citizen.v1"] = {At(5, 18), 1};
  x.occupants["held.A.other.v1"] = {std::nullopt, 1};
  x.q.appointment.deadline = At(14, 18);
  SlotExplanation e = x.Explain();
  const DayExplanation* mon = Find(e, 5, "A");
  ASSERT_NE(mon, nullptr);
  EXPECT_EQ(mon->reason, DayReason::kDeadlinePriority);
  EXPECT_EQ(mon->priority_places, 1);
  EXPECT_EQ(mon->places_taken, 2);
  const std::string text = absl::StrJoin(StaffText(e, x.s, "de"), "\n");
  EXPECT_NE(text.find("1 der 2 umgebuchten Termine gingen an Personen mit früherer Frist"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("secret-citizen"), std::string::npos);

  // Without an earlier deadline among them it is plainly full.
  x.occupants["held.A.secret-citizen.v1"] = {At(15, 18), 1};
  EXPECT_EQ(ReasonOn(x.Explain(), 5), DayReason::kFull);
}

TEST(ExplainSlotTest, ReserveForRegularBookings) {
  Instance x;
  x.s.params.reserve_share = 0.5;
  // 120 of Monday's 240 free regular minutes are rebooked: the 50 % reserve is reached.
  x.s.bookings.push_back({"held.A.r.v1", "k1", "A", {At(5, 8), At(5, 10)}});
  x.occupants["held.A.r.v1"] = {std::nullopt, 1};
  SlotExplanation e = x.Explain();
  const DayExplanation* mon = Find(e, 5, "A");
  ASSERT_NE(mon, nullptr);
  EXPECT_EQ(mon->reason, DayReason::kReserve);
  EXPECT_EQ(mon->rebooked_minutes, 120);
  EXPECT_EQ(mon->regular_cap_minutes, 120);
  EXPECT_EQ(mon->reserve_percent, 50);
  // A regular booking instead lowers the free regular minutes: 60 of 60 rebookable are used.
  x.occupants.clear();
  x.s.bookings.push_back({"held.A.r2.v1", "k1", "A", {At(5, 10), At(5, 11)}});
  x.occupants["held.A.r2.v1"] = {std::nullopt, 1};
  mon = nullptr;
  e = x.Explain();
  mon = Find(e, 5, "A");
  ASSERT_NE(mon, nullptr);
  EXPECT_EQ(mon->reason, DayReason::kReserve);
  EXPECT_EQ(mon->rebooked_minutes, 60);
  EXPECT_EQ(mon->regular_cap_minutes, 60);
  // An overtime shift is not reserved.
  x.s.shifts[0].kind = domain::ShiftKind::kOvertime;
  EXPECT_EQ(ReasonOn(x.Explain(), 5), DayReason::kFreeUnused);
}

TEST(ExplainSlotTest, EveryAllowedOfficeGetsItsReason) {
  Instance x;
  x.q.appointment.allowed_offices = {"A", "B"};
  for (unsigned d = 5; d <= 8; ++d) x.Fill(d);
  SlotExplanation e = x.Explain();
  EXPECT_FALSE(e.only_original_office);
  ASSERT_NE(Find(e, 5, "B"), nullptr);
  EXPECT_EQ(Find(e, 5, "B")->reason, DayReason::kNoOpening);
  EXPECT_EQ(ReasonOn(e, 5), DayReason::kFull);
}

TEST(ExplainSlotTest, StaffAndCitizenWordsInGermanAndEnglish) {
  Instance x;
  x.s.bookings.push_back({"b5", "k1", "A", {At(5, 8), At(5, 11, 45)}});
  for (unsigned d = 7; d <= 8; ++d) x.Fill(d);
  x.s.bookings.push_back({"b9", "k1", "A", {At(9, 8), At(9, 10)}});
  SlotExplanation e = x.Explain();
  const std::vector<std::string> de = StaffText(e, x.s, "de");
  const std::string text_de = absl::StrJoin(de, "\n");
  EXPECT_NE(text_de.find("Termin: Fr 09.01.2026 10:00, Bürgerbüro Mitte"), std::string::npos)
      << text_de;
  EXPECT_NE(text_de.find("Mo 05.01.2026: ausgebucht: bei den zuständigen Sachbearbeitern 15 Min. "
                         "frei, am Stück höchstens 15 Min.; benötigt werden 30 Min."),
            std::string::npos)
      << text_de;
  EXPECT_NE(text_de.find("Di 06.01.2026: Feiertag (Heilige Drei Könige)"), std::string::npos);
  EXPECT_NE(text_de.find("keinen anderen Standort"), std::string::npos);
  const std::string text_en = absl::StrJoin(StaffText(e, x.s, "en"), "\n");
  EXPECT_NE(text_en.find("Mon 2026-01-05: fully booked: qualified clerks have 15 min free"),
            std::string::npos)
      << text_en;
  EXPECT_EQ(CitizenText(e, "de"),
            "Früher war kein Termin frei, weil alle Termine vergeben waren und das Amt "
            "geschlossen war.");
  EXPECT_EQ(CitizenText(e, "en"),
            "No earlier appointment was possible because all appointments were taken and the "
            "office was closed.");
}

TEST(ExplainSlotTest, UnknownServiceIsInvalidArgument) {
  Instance x;
  x.q.appointment.service_id = "nope";
  EXPECT_EQ(ExplainSlot(x.s, x.q, x.occupants).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rebook::rebooking
