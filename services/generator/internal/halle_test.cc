// The Halle preset against the brief's figures (../shared/BRIEF.md).
#include <map>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "services/generator/internal/catalogue.h"
#include "services/generator/scenario_check.h"
#include "services/generator/test_util.h"

namespace rebook::generator {
namespace {

using domain::ServiceCategory;

class HalleTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { scenario_ = new domain::Scenario(Generate("halle")); }
  static void TearDownTestSuite() { delete scenario_; }

  static ServiceCategory CategoryOf(const domain::Appointment& a) {
    return internal::CatalogueEntryById(a.service_id).category;
  }
  static const domain::Scenario& s() { return *scenario_; }

  static domain::Scenario* scenario_;
};

domain::Scenario* HalleTest::scenario_ = nullptr;

TEST_F(HalleTest, ThreeCentresInSaxonyAnhalt) {
  ASSERT_EQ(s().offices.size(), 3u);
  for (const domain::Office& o : s().offices) {
    EXPECT_EQ(o.state, "DE-ST");
    EXPECT_EQ(o.time_zone, "Europe/Berlin");
    EXPECT_NE(o.address.find("Halle (Saale)"), std::string::npos);
  }
}

TEST_F(HalleTest, MoreThan620BookedAppointmentsPlusWalkIns) {
  int booked_cases = 0, rows = 0;
  for (const domain::Appointment& a : s().appointments) {
    ++rows;
    if (a.kind == domain::AppointmentKind::kAppointment) booked_cases += a.cases;
  }
  EXPECT_GE(rows, 620);
  EXPECT_GT(booked_cases, 620);  // each dealer registration counted, as in the brief
}

TEST_F(HalleTest, CategorySplitFollowsTheBrief) {
  std::map<ServiceCategory, int> booked, walk_ins;
  int dealer_jobs = 0, dealer_cars = 0;
  for (const domain::Appointment& a : s().appointments) {
    if (a.service_id == internal::kDealerRegistration) {
      ++dealer_jobs;
      dealer_cars += a.cases;
      EXPECT_GE(a.cases, 2);
      EXPECT_LE(a.cases, 10);
      EXPECT_NE(a.contact.name.find("GmbH"), std::string::npos) << a.contact.name;
      continue;
    }
    EXPECT_EQ(a.cases, 1);
    (a.kind == domain::AppointmentKind::kWalkIn ? walk_ins : booked)[CategoryOf(a)]++;
  }
  EXPECT_EQ(booked[ServiceCategory::kVehicleRegistration], 130);
  EXPECT_EQ(dealer_cars, 200);
  EXPECT_GE(dealer_jobs, 20);
  EXPECT_LE(dealer_jobs, 100);
  EXPECT_EQ(booked[ServiceCategory::kImmigration], 80);
  EXPECT_EQ(walk_ins[ServiceCategory::kImmigration], 150);
  EXPECT_EQ(walk_ins.size(), 1u);  // walk-ins only at immigration
  EXPECT_EQ(booked[ServiceCategory::kCitizenship], 20);
  EXPECT_EQ(booked[ServiceCategory::kRegistryOffice], 26);
  EXPECT_GE(booked[ServiceCategory::kResidents], 150);
}

TEST_F(HalleTest, OriginalTimesLieInTheOutageWindow) {
  const Instant from = Local("2026-01-27T11:50"), to = Local("2026-01-27T16:30");
  for (const domain::Appointment& a : s().appointments) {
    EXPECT_GE(a.original_start, from) << a.id;
    EXPECT_LT(a.original_start, to) << a.id;
  }
}

TEST_F(HalleTest, HorizonStartsTheNextOfficeDayAndRunsSomeWeeks) {
  EXPECT_EQ(Berlin(s().params.horizon_start), "2026-01-28T07:00");
  EXPECT_EQ(Berlin(s().params.horizon_end), "2026-02-21T00:00");
  EXPECT_DOUBLE_EQ(s().params.reserve_share, 0.2);
}

TEST_F(HalleTest, WalkInsComeBackAfterTheThursday) {
  for (const domain::Appointment& a : s().appointments) {
    if (a.kind != domain::AppointmentKind::kWalkIn) continue;
    ASSERT_TRUE(a.earliest_start.has_value()) << a.id;
    EXPECT_EQ(Berlin(*a.earliest_start), "2026-01-30T00:00");
  }
}

TEST_F(HalleTest, ImmigrationHasPermitDeadlinesSomeWithinDays) {
  int with_deadline = 0, within_a_week = 0, high_priority = 0;
  const Instant week = s().params.horizon_start + std::chrono::hours(24 * 7);
  for (const domain::Appointment& a : s().appointments) {
    if (CategoryOf(a) != ServiceCategory::kImmigration || !a.deadline) continue;
    ++with_deadline;
    within_a_week += *a.deadline <= week;
    high_priority += a.priority >= 7;
    EXPECT_GT(*a.deadline, s().params.horizon_start) << a.id;
  }
  EXPECT_GE(with_deadline, 60);
  EXPECT_GE(within_a_week, 15);
  EXPECT_GE(high_priority, 15);
}

TEST_F(HalleTest, BirthsAreDueWithinAboutAWeekWithHighPriority) {
  int births = 0;
  for (const domain::Appointment& a : s().appointments) {
    if (a.service_id != internal::kBirthRegistration) continue;
    ++births;
    ASSERT_TRUE(a.deadline.has_value());
    EXPECT_LE(*a.deadline, a.original_start + std::chrono::hours(24 * 9)) << a.id;
    EXPECT_GE(a.priority, 9);
  }
  EXPECT_GT(births, 0);
}

TEST_F(HalleTest, CitizensAreVariedAndSomeAcceptOtherCentres) {
  std::set<std::string> languages, channels;
  int several_offices = 0, unavailable = 0;
  for (const domain::Appointment& a : s().appointments) {
    languages.insert(a.contact.language);
    channels.insert(a.contact.channel);
    several_offices += a.allowed_offices.size() > 1;
    unavailable += !a.unavailable.empty();
  }
  for (const char* lang : {"de", "en", "ar", "uk", "ru", "fa", "vi"}) {
    EXPECT_TRUE(languages.contains(lang)) << lang;
  }
  for (const char* channel : {"email", "sms", "letter", "phone", ""}) {
    EXPECT_TRUE(channels.contains(channel)) << channel;
  }
  EXPECT_GT(several_offices, 20);
  EXPECT_GT(unavailable, 20);
}

TEST_F(HalleTest, CapacityHasOvertimeClosuresAndStandingBookings) {
  int overtime = 0, saturday = 0;
  for (const domain::Shift& sh : s().shifts) {
    if (sh.kind != domain::ShiftKind::kOvertime) continue;
    ++overtime;
    saturday += Berlin(sh.time.start).starts_with("2026-01-31");
  }
  EXPECT_GT(overtime, 10);
  EXPECT_GT(saturday, 0);
  EXPECT_EQ(s().closures.size(), 2u);
  EXPECT_GT(s().bookings.size(), s().shifts.size());
  std::set<std::string> immigration_clerks;
  for (const domain::Clerk& c : s().clerks) {
    for (const std::string& skill : c.skills) {
      if (internal::CatalogueEntryById(skill).category == ServiceCategory::kImmigration) {
        immigration_clerks.insert(c.id);
      }
    }
  }
  EXPECT_GE(immigration_clerks.size(), 5u);
}

}  // namespace
}  // namespace rebook::generator
