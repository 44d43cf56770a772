#include "services/export/ics_calendar.h"

#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "services/export/export_testing.h"

namespace rebook::exports {
namespace {

using testing::Berlin;
using testing::SampleData;
using testing::SampleSchedule;

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The content lines with folding undone.
std::vector<std::string> Unfold(const std::string& text) {
  std::vector<std::string> lines;
  for (absl::string_view l : absl::StrSplit(text, "\r\n")) {
    if (!l.empty() && l[0] == ' ' && !lines.empty()) {
      lines.back() += std::string(l.substr(1));
    } else if (!l.empty()) {
      lines.emplace_back(l);
    }
  }
  return lines;
}

const IcsOptions kOptions{.dtstamp = Berlin(12, 0), .uid_domain = "halle.example"};

TEST(IcsCalendarTest, OfficeCalendarHasEveryStateOnce) {
  const std::string ics = OfficeCalendar(SampleSchedule(), "HAL", kOptions);
  EXPECT_EQ(ics.substr(0, 17), "BEGIN:VCALENDAR\r\n");
  EXPECT_EQ(Count(ics, "BEGIN:VEVENT"), 4);  // a1, a2 (from LEJ), a3 held, a4 closed
  EXPECT_EQ(Count(ics, "STATUS:CONFIRMED"), 2);
  EXPECT_EQ(Count(ics, "STATUS:TENTATIVE"), 1);
  EXPECT_EQ(Count(ics, "STATUS:CANCELLED"), 1);
  EXPECT_EQ(Count(ics, "UID:rebook/o1/HAL/a1@halle.example\r\n"), 1);
  EXPECT_EQ(Count(ics, "UID:rebook/o1/LEJ/a2@halle.example\r\n"), 1);
  // Times in the office's zone, with its VTIMEZONE.
  EXPECT_EQ(Count(ics, "DTSTART;TZID=Europe/Berlin:20260127T090000\r\n"), 1);
  EXPECT_EQ(Count(ics, "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"), 1);
  // The closed a4 at its original time, 20 minutes.
  EXPECT_EQ(Count(ics,
                  "DTSTART;TZID=Europe/Berlin:20260126T130000\r\n"
                  "DTEND;TZID=Europe/Berlin:20260126T132000"),
            1);
  // No personal data.
  EXPECT_EQ(ics.find("Müller"), std::string::npos);
  EXPECT_EQ(ics.find("1234"), std::string::npos);
}

TEST(IcsCalendarTest, LinesAreFoldedAndEscaped) {
  const std::string ics = OfficeCalendar(SampleSchedule(), "HAL", kOptions);
  for (absl::string_view l : absl::StrSplit(ics, "\r\n")) EXPECT_LE(l.size(), 75u) << l;
  EXPECT_EQ(ics.find('\n'), ics.find("\r\n") + 1);  // CRLF only
  bool found = false;
  for (const std::string& l : Unfold(ics)) {
    if (l.rfind("LOCATION:Bürgerbüro Halle", 0) == 0) {
      EXPECT_EQ(l, "LOCATION:Bürgerbüro Halle\\, Markt 1\\, 06108 Halle");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(IcsCalendarTest, SequenceGrowsWithEveryChange) {
  ExportData d = SampleData();
  const std::string before = ClerkCalendar(*Schedule::Build(d), "c1", kOptions);
  d.appointments[3].update_time += std::chrono::seconds(1);  // a1 changes
  const std::string after = ClerkCalendar(*Schedule::Build(d), "c1", kOptions);
  auto sequence_of_a1 = [](const std::string& ics) {
    std::vector<std::string> lines = Unfold(ics);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i] == "UID:rebook/o1/HAL/a1@halle.example") {
        for (size_t j = i; j < lines.size(); ++j) {
          if (lines[j].rfind("SEQUENCE:", 0) == 0) return std::stol(lines[j].substr(9));
        }
      }
    }
    return -1L;
  };
  ASSERT_GT(sequence_of_a1(before), 0);
  EXPECT_EQ(sequence_of_a1(after), sequence_of_a1(before) + 1);
}

TEST(IcsCalendarTest, ClerkCalendarsHoldOnlyTheirSlots) {
  const std::vector<NamedCalendar> clerks = CalendarsPerClerk(SampleSchedule(), kOptions);
  ASSERT_EQ(clerks.size(), 2u);
  EXPECT_EQ(clerks[0].file_name, "clerk-c1.ics");
  EXPECT_EQ(Count(clerks[0].text, "BEGIN:VEVENT"), 2);  // a1 and the held a3
  EXPECT_EQ(Count(clerks[1].text, "BEGIN:VEVENT"), 1);
  EXPECT_EQ(Count(clerks[1].text, "X-WR-CALNAME:rebook Özdemir\\, Ben"), 1);
  const std::vector<NamedCalendar> offices = CalendarsPerOffice(SampleSchedule(), kOptions);
  ASSERT_EQ(offices.size(), 1u);  // every slot is at HAL, and LEJ's a2 has one
  EXPECT_EQ(offices[0].file_name, "office-HAL.ics");
}

TEST(VTimezoneTest, BerlinAcrossTheSpringChange) {
  const std::string tz =
      VTimezone("Europe/Berlin", Berlin(9, 0, 27), Berlin(9, 0, 27) + std::chrono::hours(24 * 70));
  // The standard time in force on 27 January, then summer time from 29 March 2026 02:00.
  EXPECT_EQ(Count(tz,
                  "BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:+0200\r\n"
                  "TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n"),
            1)
      << tz;
  EXPECT_EQ(Count(tz,
                  "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\n"
                  "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n"),
            1)
      << tz;
  EXPECT_EQ(Count(tz, "BEGIN:STANDARD") + Count(tz, "BEGIN:DAYLIGHT"), 2);
}

TEST(VTimezoneTest, ZoneWithoutChanges) {
  const std::string tz = VTimezone("UTC", Berlin(9, 0), Berlin(10, 0));
  EXPECT_EQ(tz,
            "BEGIN:VTIMEZONE\r\nTZID:UTC\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
            "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nTZNAME:UTC\r\nEND:STANDARD\r\n"
            "END:VTIMEZONE\r\n");
}

}  // namespace
}  // namespace rebook::exports
