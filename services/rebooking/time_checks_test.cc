// The server-clock checks (time_checks.h) on their own and in DeclareOutage, with a fixed clock.
#include "services/rebooking/time_checks.h"

#include "gtest/gtest.h"
#include "services/rebooking/outages.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::kT0;  // 2026-01-27T10:50:00Z, 11:50 in Berlin

const std::vector<std::string> kBerlin = {"Europe/Berlin"};

TEST(FormatWithOffsetTest, ShowsTheLocalTimeWithItsOffset) {
  EXPECT_EQ(FormatWithOffset("Europe/Berlin", kT0), "2026-01-27T11:50+01:00");
  EXPECT_EQ(FormatWithOffset("Europe/Berlin", kT0 + hours(24 * 150)), "2026-06-26T12:50+02:00");
  EXPECT_EQ(FormatWithOffset("America/New_York", kT0), "2026-01-27T05:50-05:00");
  EXPECT_EQ(FormatWithOffset("UTC", kT0), "2026-01-27T10:50+00:00");
}

TEST(CheckOutageWindowTest, AnOutageIsDeclaredWhileItLastsOrUpToFourDaysAfter) {
  const Instant now = kT0 + hours(2);  // 13:50 in Berlin
  // Started at 11:50 today, still going on.
  EXPECT_TRUE(CheckOutageWindow({kT0, kT0 + hours(5)}, kBerlin, now).ok());
  // Ended an hour ago (declared after the power came back).
  EXPECT_TRUE(CheckOutageWindow({kT0, kT0 + hours(1)}, kBerlin, now).ok());
  // Started three weeks ago and still going on (a ransomware attack).
  EXPECT_TRUE(CheckOutageWindow({kT0 - hours(24 * 21), now + hours(24)}, kBerlin, now).ok());
  // Entirely in the future (planned maintenance).
  EXPECT_TRUE(CheckOutageWindow({now + hours(24), now + hours(30)}, kBerlin, now).ok());
  // A Friday outage declared on Monday morning: ended exactly four days ago is still fine.
  EXPECT_TRUE(CheckOutageWindow({now - hours(100), now - hours(96)}, kBerlin, now).ok());

  absl::Status old =
      CheckOutageWindow({now - hours(100), now - hours(96) - minutes(1)}, kBerlin, now);
  EXPECT_EQ(old.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(old.message(),
            "outage.window.end_time 2026-01-23T13:49+01:00 lies in the past (server time "
            "2026-01-27T12:50:00Z); an outage may be declared while it lasts or up to 4 days "
            "after it ended");
  // Ten months ago, shown in the first office's zone.
  absl::Status ancient = CheckOutageWindow({kT0 - hours(24 * 300), kT0 - hours(24 * 300 - 4)},
                                           {"America/New_York", "Europe/Berlin"}, now);
  EXPECT_EQ(ancient.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(ancient.message().find("2025-04-02T10:50-04:00 lies in the past"),
            absl::string_view::npos)
      << ancient;
}

TEST(EarliestSlotStartTest, AddsTheNoticeAndRoundsUpToTheQuarterHour) {
  EXPECT_EQ(EarliestSlotStart(kT0, hours(12)), kT0 + hours(12) + minutes(10));
  EXPECT_EQ(EarliestSlotStart(kT0 + minutes(10), hours(0)), kT0 + minutes(10));
  EXPECT_EQ(EarliestSlotStart(kT0 + minutes(10) + std::chrono::seconds(1), hours(1)),
            kT0 + hours(1) + minutes(25));
}

TEST(EarliestHorizonStartTest, KeepsALaterStartAndMovesAnEarlierOne) {
  domain::PlanParams p;
  p.horizon_start = kT0 + hours(48);
  p.horizon_end = kT0 + hours(24 * 7);
  auto kept = EarliestHorizonStart(p, "Europe/Berlin", kT0, hours(12), "parameters");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(*kept, p.horizon_start);
  p.horizon_start = kT0 + hours(1);
  auto moved = EarliestHorizonStart(p, "Europe/Berlin", kT0, hours(12), "parameters");
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, kT0 + hours(12) + minutes(10));
  p.horizon_start = kT0 - std::chrono::seconds(1);
  auto past = EarliestHorizonStart(p, "Europe/Berlin", kT0, hours(12), "overrides");
  EXPECT_EQ(past.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(past.status().message().find("overrides.horizon.start_time 2026-01-27T11:49+01:00 "
                                         "lies in the past"),
            absl::string_view::npos)
      << past.status();
}

class DeclareOutageClockTest : public testing::OutboxTest {
 protected:
  absl::StatusOr<domain::Outage> Declare(const std::string& id, domain::TimeInterval window) {
    absl::StatusOr<domain::Outage> out;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      out = DeclareOutage(tx, {id, {"A", "B"}, window, "Stromausfall"}, clock_.Now(), *ids_);
      return out.status();
    });
    if (!s.ok()) return s;
    return out;
  }
  bool Stored(const std::string& id) {
    bool found = false;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) {
                             found = tx.GetOutage(id).ok();
                             return absl::OkStatus();
                           })
                    .ok());
    return found;
  }
};

TEST_F(DeclareOutageClockTest, APastWindowIsRefusedAndTodaysIsDeclared) {
  clock_.Set(kT0 + hours(24 * 300));  // ten months later
  absl::StatusOr<domain::Outage> old = Declare("old", {kT0, kT0 + hours(4)});
  EXPECT_EQ(old.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(old.status().message().find("outage.window.end_time 2026-01-27T15:50+01:00 lies in "
                                        "the past (server time 2026-11-23T10:50:00Z)"),
            absl::string_view::npos)
      << old.status();
  EXPECT_FALSE(Stored("old"));

  const Instant now = clock_.Now();
  ASSERT_TRUE(Declare("today", {now - hours(2), now + hours(3)}).ok());
  EXPECT_TRUE(Stored("today"));
  // Repeating the declaration once it lies in the past still returns the stored outage.
  clock_.Advance(hours(24 * 3));
  absl::StatusOr<domain::Outage> again = Declare("today", {now - hours(2), now + hours(3)});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id, "today");
}

}  // namespace
}  // namespace rebook::rebooking
