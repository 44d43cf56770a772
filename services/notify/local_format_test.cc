#include "services/notify/local_format.h"

#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::notify {
namespace {

TEST(LocalFormatTest, GermanEnglishAndFallback) {
  const Instant t =
      *domain::LocalToInstant("Europe/Berlin", *domain::ParseLocalDateTime("2026-03-05T09:05"));
  EXPECT_EQ(FormatLongDate("de", "Europe/Berlin", t), "Donnerstag, 5. März 2026");
  EXPECT_EQ(FormatLongDate("en", "Europe/Berlin", t), "Thursday, 5 March 2026");
  EXPECT_EQ(FormatLongDate("uk", "Europe/Berlin", t), "05.03.2026");
  EXPECT_EQ(FormatShortDate("Europe/Berlin", t), "05.03.2026");
  EXPECT_EQ(FormatClockTime("Europe/Berlin", t), "09:05");
}

TEST(LocalFormatTest, SummerTimeAndDayBoundary) {
  // 22:30 UTC on 30 June is 00:30 on 1 July in Berlin (CEST).
  const Instant t = Instant(date::sys_days(date::year(2026) / 6 / 30).time_since_epoch()) +
                    std::chrono::hours(22) + std::chrono::minutes(30);
  EXPECT_EQ(FormatShortDate("Europe/Berlin", t), "01.07.2026");
  EXPECT_EQ(FormatClockTime("Europe/Berlin", t), "00:30");
  EXPECT_EQ(FormatLongDate("de", "Europe/Berlin", t), "Mittwoch, 1. Juli 2026");
}

}  // namespace
}  // namespace rebook::notify
