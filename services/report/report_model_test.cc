#include "services/report/report_model.h"

#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::report {
namespace {

Instant At(const char* local) {
  return *domain::LocalToInstant("Europe/Berlin", *domain::ParseLocalDateTime(local));
}
domain::LocalDate Day(const char* text) { return *domain::ParseLocalDate(text); }

ReportInput TwoOffices() {
  ReportInput in;
  in.outage_id = "o1";
  in.declared = At("2026-01-27T12:00");
  in.generated_at = At("2026-01-29T12:00");
  in.offices = {{"A", "Amt A", "Europe/Berlin", "DE-ST"}, {"B", "", "Europe/Berlin", "DE-ST"}};
  in.services = {{"kfz", "Kfz-Zulassung"}, {"pass", "Pass"}};
  in.plan = PlanInfo{.id = "p1",
                     .state = "committed",
                     .reserve_share = 0.25,
                     .horizon_start = At("2026-01-28T07:00"),
                     .horizon_end = At("2026-02-04T07:00")};
  return in;
}

Citizen Placed(std::string id, const char* original, const char* start, int minutes,
               std::string clerk = "c1") {
  Citizen c{.appointment_id = std::move(id),
            .office_id = "A",
            .service_id = "kfz",
            .state = CitizenState::kOffered,
            .original_start = At(original),
            .placed = true,
            .slot_office_id = "A",
            .clerk_id = std::move(clerk),
            .slot_start = At(start)};
  c.slot_end = c.slot_start + std::chrono::minutes(minutes);
  return c;
}

TEST(WorkingDaysTest, SkipsWeekendsAndTheStatesHolidays) {
  WorkingDays w({{"A", "", "Europe/Berlin", "DE-ST"}, {"N", "", "Europe/Berlin", "DE-NW"}});
  EXPECT_EQ(w.Between("A", Day("2026-01-27"), Day("2026-01-27")), 0);
  EXPECT_EQ(w.Between("A", Day("2026-01-27"), Day("2026-02-03")), 5);  // Tue to next Tue
  EXPECT_FALSE(w.IsWorkingDay("A", Day("2026-02-01")));                // Sunday
  // 6 January (Heilige Drei Könige) is a holiday in Saxony-Anhalt, not in North Rhine-Westphalia.
  EXPECT_FALSE(w.IsWorkingDay("A", Day("2026-01-06")));
  EXPECT_TRUE(w.IsWorkingDay("N", Day("2026-01-06")));
  EXPECT_EQ(w.Between("A", Day("2026-01-05"), Day("2026-01-07")), 1);
}

TEST(ReportModelTest, DelaysInDaysAndWorkingDays) {
  ReportInput in = TwoOffices();
  in.citizens.push_back(Placed("x1", "2026-01-27T12:00", "2026-01-28T08:00", 15));  // 1 day
  in.citizens.push_back(Placed("x2", "2026-01-27T12:00", "2026-02-03T08:00", 15));  // 7 d, 5 wd
  in.citizens.push_back(Placed("x3", "2026-01-27T12:00", "2026-02-04T08:00", 15));  // 8 d, 6 wd
  in.citizens.push_back({.appointment_id = "x4", .office_id = "A", .service_id = "kfz"});
  const ReportModel m = BuildReportModel(in);
  EXPECT_EQ(m.delays.total, 4);
  EXPECT_EQ(m.delays.placed, 3);
  EXPECT_EQ(m.delays.within_5_working_days, 2);
  EXPECT_EQ(m.delays.max_days, 8);
  EXPECT_EQ(m.delays.max_working_days, 6);
  EXPECT_EQ(m.delays.median_days, 7);
  EXPECT_NEAR(m.delays.mean_days, 16.0 / 3, 1e-9);
  EXPECT_EQ(m.delays.by_working_days[1], 1);
  EXPECT_EQ(m.delays.by_working_days[5], 1);
  EXPECT_EQ(m.delays.by_working_days[6], 1);
  ASSERT_EQ(m.status_by_office.size(), 2u);
  EXPECT_EQ(m.status_by_office[0].second[static_cast<int>(CitizenState::kOffered)], 3);
  EXPECT_EQ(m.status_by_office[0].second[static_cast<int>(CitizenState::kCancelled)], 1);
}

TEST(ReportModelTest, LoadAgainstCapacityReserveAndOvertime) {
  ReportInput in = TwoOffices();
  in.shifts.push_back({"A", "c1", At("2026-01-28T08:00"), At("2026-01-28T12:00"), false});
  in.shifts.push_back({"A", "c1", At("2026-01-31T08:00"), At("2026-01-31T10:00"), true});
  in.bookings.push_back({"A", "c1", At("2026-01-28T08:00"), At("2026-01-28T09:00")});
  in.citizens.push_back(Placed("x1", "2026-01-27T12:00", "2026-01-28T09:00", 90));
  in.citizens.push_back(Placed("x2", "2026-01-27T12:00", "2026-01-31T08:00", 60));
  const ReportModel m = BuildReportModel(in);
  ASSERT_EQ(m.days.size(), 8u);  // the horizon: 28 Jan 07:00 to 4 Feb 07:00
  EXPECT_EQ(domain::FormatLocalDate(m.days[0]), "2026-01-28");
  const OfficeDayLoad& wed = m.loads[0];
  EXPECT_TRUE(wed.works);
  EXPECT_EQ(wed.regular_minutes, 180);  // 240 - 60 booked
  EXPECT_EQ(wed.reserve_minutes, 45);
  EXPECT_EQ(wed.rebooked_minutes, 90);
  EXPECT_NEAR(wed.Utilisation(), 90.0 / 135, 1e-9);
  const OfficeDayLoad& sat = m.loads[3];
  EXPECT_TRUE(sat.works);
  EXPECT_EQ(sat.overtime_minutes, 120);
  EXPECT_EQ(sat.reserve_minutes, 0);
  EXPECT_NEAR(sat.Utilisation(), 0.5, 1e-9);
  EXPECT_FALSE(m.loads[4].works);  // Sunday
  EXPECT_FALSE(m.loads[8].works);  // office B has no shifts
}

TEST(ReportModelTest, GanttRowsAreClerksAndBarsCarryTheService) {
  ReportInput in = TwoOffices();
  in.shifts.push_back({"A", "zoe", At("2026-01-28T08:00"), At("2026-01-28T12:00"), false});
  in.shifts.push_back({"A", "anna", At("2026-01-28T08:00"), At("2026-01-28T12:00"), false});
  in.shifts.push_back({"A", "anna", At("2026-01-29T08:00"), At("2026-01-29T12:00"), false});
  in.citizens.push_back(Placed("x1", "2026-01-27T12:00", "2026-01-28T09:00", 30, "zoe"));
  in.citizens.push_back(Placed("x2", "2026-01-27T12:00", "2026-01-28T10:00", 15, "anna"));
  in.citizens.back().service_id = "pass";
  const ReportModel m = BuildReportModel(in);
  ASSERT_EQ(m.gantt.size(), 1u);  // the 29th has a shift but no slots
  const GanttDay& g = m.gantt[0];
  EXPECT_EQ(g.clerks, (std::vector<std::string>{"anna", "zoe"}));
  ASSERT_EQ(g.bars.size(), 2u);
  EXPECT_EQ(g.bars[0].row, 1);
  EXPECT_EQ(g.bars[0].start_min, 9 * 60);
  EXPECT_EQ(g.bars[0].end_min, 9 * 60 + 30);
  EXPECT_EQ(g.bars[0].service, 0);
  EXPECT_EQ(g.bars[1].row, 0);
  EXPECT_EQ(g.bars[1].service, 1);
  EXPECT_EQ(g.shifts.size(), 2u);
}

TEST(ReportModelTest, BurnDownFollowsOffersAndCountsExpiries) {
  ReportInput in = TwoOffices();
  in.citizens.push_back({.appointment_id = "x1", .office_id = "A"});
  in.citizens.push_back({.appointment_id = "x2", .office_id = "A"});
  in.citizens.push_back(
      {.appointment_id = "x3", .office_id = "A", .state = CitizenState::kSelfRebooked});
  in.offers.push_back({"x1", OfferState::kAccepted, At("2026-01-27T18:00"), At("2026-01-29T18:00"),
                       At("2026-01-28T09:00")});
  in.offers.push_back(
      {"x2", OfferState::kExpired, At("2026-01-27T18:00"), At("2026-01-28T18:00"), std::nullopt});
  const std::vector<BurnPoint> b = BurnDown(in, 5);  // every 12 hours from 27 Jan 12:00
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b[0].waiting, 2);
  EXPECT_EQ(b[1].offered, 2);    // 28 Jan 00:00
  EXPECT_EQ(b[2].confirmed, 1);  // 28 Jan 12:00
  EXPECT_EQ(b[2].offered, 1);
  EXPECT_EQ(b[3].waiting, 1);  // 29 Jan 00:00: x2 lapsed
  EXPECT_EQ(b[3].expired, 1);
  EXPECT_EQ(b[4].confirmed + b[4].offered + b[4].waiting, 2);  // x3 left on its own
}

TEST(ReportModelTest, WhoToCall) {
  ReportInput in = TwoOffices();
  in.citizens.push_back(
      {.appointment_id = "u1", .office_id = "A", .state = CitizenState::kUnreachable});
  in.messages.push_back({"p1", "phone", "PENDING"});
  in.messages.push_back({"p2", "phone", "DELIVERED"});
  in.messages.push_back({"u1", "phone", "PENDING"});
  in.messages.push_back({"e1", "email", "DEAD"});
  const ReportModel m = BuildReportModel(in);
  EXPECT_EQ(m.to_call, (std::vector<std::string>{"p1", "u1"}));
  ASSERT_EQ(m.channels.size(), 2u);
  EXPECT_EQ(m.channels[1].channel, "phone");
  EXPECT_EQ(m.channels[1].by_state.at("PENDING"), 2);
}

}  // namespace
}  // namespace rebook::report
