#include "services/domain/holidays.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::domain {
namespace {

std::vector<std::string> Dates(std::string_view state, int year) {
  absl::StatusOr<std::vector<PublicHoliday>> table = PublicHolidays(state, year);
  EXPECT_TRUE(table.ok()) << table.status();
  std::vector<std::string> out;
  if (!table.ok()) return out;
  for (const PublicHoliday& h : *table) out.push_back(FormatLocalDate(h.date));
  return out;
}

TEST(EasterTest, KnownDates) {
  EXPECT_EQ(FormatLocalDate(EasterSunday(2019)), "2019-04-21");
  EXPECT_EQ(FormatLocalDate(EasterSunday(2024)), "2024-03-31");
  EXPECT_EQ(FormatLocalDate(EasterSunday(2025)), "2025-04-20");
  EXPECT_EQ(FormatLocalDate(EasterSunday(2026)), "2026-04-05");
  EXPECT_EQ(FormatLocalDate(EasterSunday(2027)), "2027-03-28");
  EXPECT_EQ(FormatLocalDate(EasterSunday(2038)), "2038-04-25");
  EXPECT_EQ(FormatLocalDate(EasterSunday(2285)), "2285-03-22");
}

TEST(HolidaysTest, SachsenAnhalt2026) {
  EXPECT_THAT(Dates("DE-ST", 2026),
              ::testing::ElementsAre("2026-01-01", "2026-01-06", "2026-04-03", "2026-04-06",
                                     "2026-05-01", "2026-05-14", "2026-05-25", "2026-10-03",
                                     "2026-10-31", "2026-12-25", "2026-12-26"));
}

TEST(HolidaysTest, Bayern2026IncludesAssumptionAndCorpusChristi) {
  EXPECT_THAT(
      Dates("DE-BY", 2026),
      ::testing::ElementsAre("2026-01-01", "2026-01-06", "2026-04-03", "2026-04-06", "2026-05-01",
                             "2026-05-14", "2026-05-25", "2026-06-04", "2026-08-15", "2026-10-03",
                             "2026-11-01", "2026-12-25", "2026-12-26"));
}

TEST(HolidaysTest, Berlin2026HasWomensDay) {
  EXPECT_THAT(
      Dates("DE-BE", 2026),
      ::testing::ElementsAre("2026-01-01", "2026-03-08", "2026-04-03", "2026-04-06", "2026-05-01",
                             "2026-05-14", "2026-05-25", "2026-10-03", "2026-12-25", "2026-12-26"));
}

TEST(HolidaysTest, Sachsen2026And2027HaveRepentanceDay) {
  EXPECT_THAT(Dates("DE-SN", 2026),
              ::testing::ElementsAre("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01",
                                     "2026-05-14", "2026-05-25", "2026-10-03", "2026-10-31",
                                     "2026-11-18", "2026-12-25", "2026-12-26"));
  EXPECT_THAT(Dates("DE-SN", 2027),
              ::testing::ElementsAre("2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01",
                                     "2027-05-06", "2027-05-17", "2027-10-03", "2027-10-31",
                                     "2027-11-17", "2027-12-25", "2027-12-26"));
}

TEST(HolidaysTest, Thueringen2026HasChildrensDay) {
  EXPECT_THAT(Dates("DE-TH", 2026),
              ::testing::ElementsAre("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01",
                                     "2026-05-14", "2026-05-25", "2026-09-20", "2026-10-03",
                                     "2026-10-31", "2026-12-25", "2026-12-26"));
}

TEST(HolidaysTest, NordrheinWestfalen2027) {
  EXPECT_THAT(Dates("DE-NW", 2027),
              ::testing::ElementsAre("2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01",
                                     "2027-05-06", "2027-05-17", "2027-05-27", "2027-10-03",
                                     "2027-11-01", "2027-12-25", "2027-12-26"));
}

TEST(HolidaysTest, MecklenburgVorpommern2027) {
  EXPECT_THAT(Dates("DE-MV", 2027),
              ::testing::ElementsAre("2027-01-01", "2027-03-08", "2027-03-26", "2027-03-29",
                                     "2027-05-01", "2027-05-06", "2027-05-17", "2027-10-03",
                                     "2027-10-31", "2027-12-25", "2027-12-26"));
}

TEST(HolidaysTest, Brandenburg2027KeepsEasterAndWhitSunday) {
  EXPECT_THAT(Dates("DE-BB", 2027),
              ::testing::ElementsAre("2027-01-01", "2027-03-26", "2027-03-28", "2027-03-29",
                                     "2027-05-01", "2027-05-06", "2027-05-16", "2027-05-17",
                                     "2027-10-03", "2027-10-31", "2027-12-25", "2027-12-26"));
}

TEST(HolidaysTest, Saarland2027) {
  EXPECT_THAT(Dates("DE-SL", 2027),
              ::testing::ElementsAre("2027-01-01", "2027-03-26", "2027-03-29", "2027-05-01",
                                     "2027-05-06", "2027-05-17", "2027-05-27", "2027-08-15",
                                     "2027-10-03", "2027-11-01", "2027-12-25", "2027-12-26"));
}

TEST(HolidaysTest, RulesChangeByYear) {
  // Mecklenburg-Vorpommern keeps Frauentag only from 2023; Niedersachsen Reformationstag from 2018.
  EXPECT_THAT(Dates("DE-MV", 2022), ::testing::Not(::testing::Contains("2022-03-08")));
  EXPECT_THAT(Dates("DE-NI", 2017), ::testing::Contains("2017-10-31"));  // the 500th anniversary
  EXPECT_THAT(Dates("DE-BW", 2017), ::testing::Contains("2017-10-31"));
  EXPECT_THAT(Dates("DE-BW", 2018), ::testing::Not(::testing::Contains("2018-10-31")));
  EXPECT_THAT(Dates("DE-NI", 2018), ::testing::Contains("2018-10-31"));
  EXPECT_THAT(Dates("DE-BE", 2025), ::testing::Contains("2025-05-08"));
}

TEST(HolidaysTest, EveryStateHasTheNationalHolidays) {
  for (std::string_view state : GermanStateCodes()) {
    std::vector<std::string> d = Dates(state, 2026);
    for (const char* national :
         {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25",
          "2026-10-03", "2026-12-25", "2026-12-26"}) {
      EXPECT_THAT(d, ::testing::Contains(national)) << state;
    }
  }
  EXPECT_EQ(GermanStateCodes().size(), 16u);
}

TEST(HolidaysTest, UnknownStateIsAnError) {
  EXPECT_EQ(PublicHolidays("DE-XX", 2026).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(IsGermanStateCode("ST"));
}

TEST(HolidayCalendarTest, Lookup) {
  HolidayCalendar cal;
  EXPECT_TRUE(cal.IsHoliday("DE-ST", *ParseLocalDate("2026-01-06")));
  EXPECT_FALSE(cal.IsHoliday("DE-BE", *ParseLocalDate("2026-01-06")));
  EXPECT_TRUE(cal.IsHoliday("DE-HE", *ParseLocalDate("2027-05-27")));
  EXPECT_FALSE(cal.IsHoliday("DE-ST", *ParseLocalDate("2026-01-27")));
  EXPECT_FALSE(cal.IsHoliday("DE-XX", *ParseLocalDate("2026-01-01")));
}

}  // namespace
}  // namespace rebook::domain
