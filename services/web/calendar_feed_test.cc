#include "services/web/calendar_feed.h"

#include <gtest/gtest.h>

#include "services/common/tokens.h"
#include "testing/store/temp_store.h"

namespace rebook::web {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";
const Instant kNow = Instant(date::sys_days(date::year(2026) / 1 / 27)) + std::chrono::hours(15);

class CalendarFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.status().ok()) << db_.status();
    absl::Status s = db_.store().Write({}, [](storage::Transaction& tx) -> absl::Status {
      for (const char* id : {"HAL", "LEJ"}) {
        if (absl::Status s = tx.PutOffice({.id = id, .name = id}); !s.ok()) return s;
      }
      if (absl::Status s = tx.PutService({.id = "pass", .name = "Reisepass"}); !s.ok()) return s;
      domain::Outage outage;
      outage.id = "o1";
      outage.office_ids = {"HAL"};
      outage.window = {kNow - std::chrono::hours(5), kNow};
      outage.declare_time = kNow;
      if (absl::Status s = tx.PutOutage(outage); !s.ok()) return s;
      domain::Appointment a;
      a.id = "a1";
      a.office_id = "HAL";
      a.service_id = "pass";
      a.original_start = kNow - std::chrono::hours(2);
      a.status = domain::AppointmentStatus::kCancelled;
      a.outage_id = "o1";
      a.contact.name = "Jürgen Müller";
      a.create_time = a.update_time = kNow;
      return tx.InsertAppointments({&a, 1});
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  absl::StatusOr<std::string> Get(const CalendarFeedOptions& options, const std::string& path) {
    absl::StatusOr<std::string> out = absl::InternalError("not run");
    absl::Status s = db_.store().Read({}, [&](storage::Transaction& tx) {
      out = LoadCalendarFeed(tx, options, path, kNow);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }

  testing::TempStore db_{"calendar-feed"};
};

TEST_F(CalendarFeedTest, RightTokenGetsTheOfficeCalendar) {
  const std::string path = CalendarFeedPath(kSecret, "HAL");
  EXPECT_EQ(path, "/calendar/HAL/" + CalendarFeedToken(kSecret, "HAL") + ".ics");
  absl::StatusOr<std::string> ics = Get({.secret = kSecret}, path);
  ASSERT_TRUE(ics.ok()) << ics.status();
  EXPECT_EQ(ics->rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  // The waiting citizen, at the original time; no name.
  EXPECT_NE(ics->find("UID:rebook/o1/HAL/a1@rebook.invalid"), std::string::npos) << *ics;
  EXPECT_NE(ics->find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_EQ(ics->find("Müller"), std::string::npos);
}

TEST_F(CalendarFeedTest, AnythingElseIsNotFound) {
  const std::string token = CalendarFeedToken(kSecret, "HAL");
  std::string wrong = token;
  wrong[5] = wrong[5] == 'A' ? 'B' : 'A';
  for (const std::string& path : std::vector<std::string>{
           "/calendar/HAL/" + wrong + ".ics", "/calendar/HAL/" + token.substr(1) + ".ics",
           "/calendar/LEJ/" + token + ".ics", "/calendar/HAL/" + token,
           "/calendar/HAL/" + token + ".ics/x", std::string("/calendar/HAL.ics"),
           std::string("/calendar/"), "/calendar/../HAL/" + token + ".ics"}) {
    EXPECT_EQ(Get({.secret = kSecret}, path).status().code(), absl::StatusCode::kNotFound) << path;
  }
  // No secret configured: no feeds at all (the empty secret's token does not open them).
  EXPECT_EQ(Get({}, CalendarFeedPath("", "HAL")).status().code(), absl::StatusCode::kNotFound);
  // An office whose token is right but that does not exist.
  EXPECT_EQ(Get({.secret = kSecret}, CalendarFeedPath(kSecret, "XYZ")).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace rebook::web
