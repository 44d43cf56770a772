#include "services/domain/local_time.h"

#include "gtest/gtest.h"

namespace rebook::domain {
namespace {

constexpr char kZone[] = "Europe/Berlin";

Instant Utc(int y, unsigned m, unsigned d, int hh, int mm) {
  return Instant(date::sys_days(date::year(y) / m / d).time_since_epoch() + std::chrono::hours(hh) +
                 std::chrono::minutes(mm));
}

TEST(LocalTimeTest, WinterAndSummerOffsets) {
  auto winter = ParseLocalDateTime("2026-01-27T11:50");
  ASSERT_TRUE(winter.ok());
  EXPECT_EQ(*LocalToInstant(kZone, *winter), Utc(2026, 1, 27, 10, 50));
  auto summer = ParseLocalDateTime("2026-07-01T09:00");
  EXPECT_EQ(*LocalToInstant(kZone, *summer), Utc(2026, 7, 1, 7, 0));
  EXPECT_EQ(FormatLocal(kZone, Utc(2026, 7, 1, 7, 0)), "2026-07-01T09:00");
}

TEST(LocalTimeTest, SkippedHourIsAnError) {
  auto skipped = ParseLocalDateTime("2026-03-29T02:30");
  ASSERT_TRUE(skipped.ok());
  auto t = LocalToInstant(kZone, *skipped);
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("does not exist"), std::string_view::npos);
}

TEST(LocalTimeTest, AmbiguousHourMeansFirstOccurrence) {
  auto repeated = ParseLocalDateTime("2026-10-25T02:30");
  ASSERT_TRUE(repeated.ok());
  // First occurrence is still CEST (UTC+2).
  EXPECT_EQ(*LocalToInstant(kZone, *repeated), Utc(2026, 10, 25, 0, 30));
}

TEST(LocalTimeTest, ParsingRejectsMalformedText) {
  EXPECT_FALSE(ParseLocalDateTime("2026-01-27 11:5").ok());
  EXPECT_FALSE(ParseLocalDateTime("2026-02-30T10:00").ok());
  EXPECT_FALSE(ParseLocalDateTime("2026-01-27T24:00").ok());
  EXPECT_TRUE(ParseLocalDateTime("2026-01-27T11:50:30").ok());
  EXPECT_FALSE(ParseLocalDate("27.01.2026").ok());
  EXPECT_EQ(FormatLocalDate(*ParseLocalDate("2026-01-27")), "2026-01-27");
}

TEST(LocalTimeTest, UnknownZone) {
  EXPECT_FALSE(ValidateTimeZone("Mars/Olympus").ok());
  EXPECT_TRUE(ValidateTimeZone(kZone).ok());
}

TEST(LocalTimeTest, LocalDateAndDayStart) {
  Instant late = Utc(2026, 1, 27, 23, 30);  // 00:30 on the 28th in Berlin
  EXPECT_EQ(FormatLocalDate(LocalDateOf(kZone, late)), "2026-01-28");
  EXPECT_EQ(StartOfLocalDay(kZone, *ParseLocalDate("2026-01-28")), Utc(2026, 1, 27, 23, 0));
  EXPECT_EQ(FormatUtc(Utc(2026, 1, 27, 10, 50)), "2026-01-27T10:50:00Z");
}

}  // namespace
}  // namespace rebook::domain
