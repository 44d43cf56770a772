#include "services/notify/email/icalendar.h"

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notify/template_set.h"

namespace rebook::notify {
namespace {

using ::testing::HasSubstr;

TEST(ICalendarTest, EscapesAndFolds) {
  EXPECT_EQ(EscapeICalText("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
  const std::string line = "DESCRIPTION:" + std::string(100, 'x');
  const std::string folded = FoldICalLine(line);
  EXPECT_EQ(folded.substr(0, 75), line.substr(0, 75));
  EXPECT_EQ(folded.substr(75, 3), "\r\n ");
  // A multi-byte character is never split across a fold.
  std::string umlauts = "SUMMARY:";
  for (int i = 0; i < 60; ++i) umlauts += "ü";
  for (const auto& piece : absl::StrSplit(FoldICalLine(umlauts), "\r\n")) {
    EXPECT_LE(piece.size(), 75u);
    if (!piece.empty()) {
      EXPECT_NE(static_cast<unsigned char>(piece.back()), 0xc3);
    }
  }
}

TEST(ICalendarTest, BerlinTimesWithTimezoneOtherZonesInUtc) {
  RenderedMessage r;
  r.message = TemplateSet::SampleMessage(MessageKind::kOffer, "de");
  r.text = "Text";
  const Instant stamp = Instant(std::chrono::seconds(1769600000));
  const std::string berlin = BuildICalendar(r, stamp, {});
  EXPECT_THAT(berlin, HasSubstr("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"));
  EXPECT_THAT(berlin, HasSubstr("DTSTART;TZID=Europe/Berlin:20260129T093000\r\n"));
  EXPECT_THAT(berlin, HasSubstr("METHOD:PUBLISH\r\n"));
  EXPECT_THAT(berlin, ::testing::Not(HasSubstr("ORGANIZER")));
  r.message.office.time_zone = "Europe/London";
  const std::string london =
      BuildICalendar(r, stamp, {.method = "REQUEST", .organizer_email = "t@x.de"});
  EXPECT_THAT(london, ::testing::Not(HasSubstr("VTIMEZONE")));
  EXPECT_THAT(london, HasSubstr("DTSTART:20260129T083000Z\r\n"));
  EXPECT_THAT(london, HasSubstr("METHOD:REQUEST\r\n"));
  EXPECT_THAT(london, HasSubstr("ATTENDEE;CN=\"Erika Mustermann\""));
}

}  // namespace
}  // namespace rebook::notify
