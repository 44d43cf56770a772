#include "services/sync/change_format.h"

#include "gtest/gtest.h"
#include "services/sync/test_events.h"

namespace rebook::sync {
namespace {

TEST(ChangeFormatTest, LocalTimesCarryTheirOffset) {
  // 2026-03-02T08:00:00Z is 09:00 in Berlin (CET), 2026-07-01T08:00:00Z is 10:00 (CEST).
  EXPECT_EQ(FormatLocalWithOffset("Europe/Berlin", Instant(std::chrono::seconds(1772438400))),
            "2026-03-02T09:00:00+01:00");
  EXPECT_EQ(FormatLocalWithOffset("Europe/Berlin", Instant(std::chrono::seconds(1782892800))),
            "2026-07-01T10:00:00+02:00");
  EXPECT_EQ(FormatLocalWithOffset("America/St_Johns", Instant(std::chrono::seconds(1772438400))),
            "2026-03-02T04:30:00-03:30");
  EXPECT_EQ(FormatLocalWithOffset("", Instant(std::chrono::seconds(1772438400))),
            "2026-03-02T08:00:00Z");
}

TEST(ChangeFormatTest, CsvRowMatchesTheColumns) {
  const std::vector<domain::ChangeEvent> events = TestEvents(41, 3);
  for (const domain::ChangeEvent& e : events) {
    EXPECT_EQ(ChangeCsvRow(e).size(), ChangeCsvColumns().size());
  }
  const std::vector<std::string> confirmed = ChangeCsvRow(events[2]);
  auto field = [&](const std::string& column) {
    for (std::size_t i = 0; i < ChangeCsvColumns().size(); ++i) {
      if (ChangeCsvColumns()[i] == column) return confirmed[i];
    }
    ADD_FAILURE() << "no column " << column;
    return std::string();
  };
  EXPECT_EQ(field("cursor"), "43");
  EXPECT_EQ(field("event_id"), "ev-43");
  EXPECT_EQ(field("appointment"), "offices/halle-mitte/appointments/apt-0");
  EXPECT_EQ(field("kind"), "slot_confirmed");
  EXPECT_EQ(field("status"), "confirmed");
  EXPECT_EQ(field("rebooked_office"), "halle-neustadt");
  EXPECT_EQ(field("rebooked_clerk"), "müller");
  EXPECT_EQ(field("rebooked_start"), "2026-03-02T11:00:00+01:00");
  EXPECT_EQ(field("rebooked_end"), "2026-03-02T11:20:00+01:00");
  EXPECT_EQ(field("rebooked_zone"), "Europe/Berlin");
  EXPECT_EQ(field("confirmed_via"), "phone");
  EXPECT_EQ(field("held_start"), "");
  EXPECT_EQ(field("offer"), "offices/halle-mitte/appointments/apt-0/offers/1");
  EXPECT_EQ(field("offer_state"), "accepted");
  EXPECT_EQ(field("outage"), "outages/halle-2026-03-02");
}

TEST(ChangeFormatTest, JsonLeavesOutWhatIsUnset) {
  const std::vector<domain::ChangeEvent> events = TestEvents(1, 2);
  const nlohmann::json created = ChangeToJson(events[0]);
  EXPECT_FALSE(created.contains("held_slot"));
  EXPECT_FALSE(created.contains("rebooked_slot"));
  EXPECT_FALSE(created.contains("offer"));
  EXPECT_EQ(created["kind"], "appointment_created");
  const nlohmann::json held = ChangeToJson(events[1]);
  EXPECT_EQ(held["held_slot"]["start"], "2026-03-02T11:00:00+01:00");
  EXPECT_EQ(held["held_slot"]["time_zone"], "Europe/Berlin");
  EXPECT_EQ(held["offer_state"], "open");
  EXPECT_EQ(held["cursor"], 2);
}

}  // namespace
}  // namespace rebook::sync
