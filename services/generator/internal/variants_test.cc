// The calendar variants really cross the DST change and Easter.
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "services/domain/holidays.h"
#include "services/domain/local_time.h"
#include "services/generator/test_util.h"

namespace rebook::generator {
namespace {

std::chrono::minutes UtcOffset(Instant t) {
  const domain::LocalDateTime local = domain::InstantToLocal("Europe/Berlin", t);
  return std::chrono::duration_cast<std::chrono::minutes>(local.time_since_epoch() -
                                                          t.time_since_epoch());
}

TEST(DstVariantTest, HorizonCrossesTheSpringChange) {
  const domain::Scenario s = Generate("dst");
  // 29 March 2026, 02:00 CET = 01:00 UTC.
  const Instant change =
      Instant(date::sys_days(date::year(2026) / 3 / 29).time_since_epoch() + std::chrono::hours(1));
  EXPECT_LT(s.params.horizon_start, change);
  EXPECT_GT(s.params.horizon_end, change);
  EXPECT_EQ(UtcOffset(s.params.horizon_start), std::chrono::hours(1));
  EXPECT_EQ(UtcOffset(s.params.horizon_end), std::chrono::hours(2));
  int before = 0, after = 0, on_the_day = 0;
  for (const domain::Shift& sh : s.shifts) {
    (sh.time.start < change ? before : after)++;
    if (Berlin(sh.time.start).starts_with("2026-03-29")) {
      ++on_the_day;
      // The shift on the day of the change is measured in real time: 4 hours.
      EXPECT_EQ(sh.time.Duration(), std::chrono::hours(4));
      EXPECT_EQ(UtcOffset(sh.time.start), std::chrono::hours(2));
    }
  }
  EXPECT_GT(before, 0);
  EXPECT_GT(after, 0);
  EXPECT_GT(on_the_day, 0);
}

TEST(DstVariantTest, NoTimeFallsIntoTheSkippedHour) {
  const domain::Scenario s = Generate("dst");
  auto in_gap = [](Instant t) {
    const std::string local = Berlin(t);
    return local.starts_with("2026-03-29T02");
  };
  for (const domain::Shift& sh : s.shifts) {
    EXPECT_FALSE(in_gap(sh.time.start) || in_gap(sh.time.end));
  }
  for (const domain::StandingBooking& b : s.bookings) EXPECT_FALSE(in_gap(b.time.start));
  for (const domain::Appointment& a : s.appointments) {
    for (const domain::TimeInterval& u : a.unavailable) {
      EXPECT_FALSE(in_gap(u.start) || in_gap(u.end)) << a.id;
    }
  }
}

TEST(EasterVariantTest, HorizonCoversGoodFridayAndEasterMonday) {
  const domain::Scenario s = Generate("easter");
  EXPECT_LE(s.params.horizon_start, Local("2026-04-03T00:00"));
  EXPECT_GE(s.params.horizon_end, Local("2026-04-07T00:00"));
  domain::HolidayCalendar holidays;
  const domain::LocalDate good_friday = date::year(2026) / 4 / 3;
  const domain::LocalDate easter_monday = date::year(2026) / 4 / 6;
  EXPECT_TRUE(holidays.IsHoliday("DE-HE", good_friday));
  EXPECT_TRUE(holidays.IsHoliday("DE-HE", easter_monday));
  std::set<std::string> holiday_shift_offices;
  for (const domain::Shift& sh : s.shifts) {
    const std::string day = Berlin(sh.time.start).substr(0, 10);
    if (day == "2026-04-03" || day == "2026-04-06") holiday_shift_offices.insert(sh.office_id);
  }
  // Some rotas still have shifts on the holidays (the solver must skip them), not all do.
  EXPECT_FALSE(holiday_shift_offices.empty());
  EXPECT_LT(holiday_shift_offices.size(), s.offices.size());
  for (const domain::StandingBooking& b : s.bookings) {
    const std::string day = Berlin(b.time.start).substr(0, 10);
    EXPECT_NE(day, "2026-04-03");
    EXPECT_NE(day, "2026-04-06");
  }
}

}  // namespace
}  // namespace rebook::generator
