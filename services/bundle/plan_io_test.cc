#include "services/bundle/plan_io.h"

#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/domain/local_time.h"
#include "testing/files.h"

namespace rebook::bundle {
namespace {

namespace fs = std::filesystem;

Instant BerlinAt(std::string_view local) {
  return *domain::LocalToInstant("Europe/Berlin", *domain::ParseLocalDateTime(local));
}

domain::Scenario SmallScenario() {
  domain::Scenario s;
  s.offices = {{"o1", "One", "DE-ST", "Europe/Berlin", ""}};
  s.appointments.resize(2);
  s.appointments[0].id = "a1";
  s.appointments[1].id = "a2";
  return s;
}

TEST(PlanIoTest, PlanCsvRoundTrip) {
  domain::Scenario s = SmallScenario();
  domain::Plan plan;
  plan.assignments = {
      {"a1",
       domain::AssignmentStatus::kAssigned,
       "o1",
       "anna",
       {BerlinAt("2026-03-29T03:00"), BerlinAt("2026-03-29T03:15")},
       12.5,
       ""},
      {"a2", domain::AssignmentStatus::kUnassigned, "", "", {}, 100000, "no capacity, sorry"}};
  plan.summary.objective = 100012.5;
  plan.summary.lower_bound = 100010.0;
  plan.summary.shortfall.push_back({"o1", "kfz", *domain::ParseLocalDate("2026-02-03"), 15, 1});
  ::rebook::testing::ScopedTempDir scratch("rebook-plan-io");
  fs::path dir = scratch.path() / "plan_io_roundtrip";
  ASSERT_TRUE(WritePlan(s, plan, dir).ok());
  absl::StatusOr<std::vector<domain::Assignment>> back = ReadPlanCsv(dir / "plan.csv", s);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0], plan.assignments[0]);
  EXPECT_EQ((*back)[1], plan.assignments[1]);

  std::ifstream in(dir / "plan-summary.json");
  nlohmann::json j = nlohmann::json::parse(in);
  EXPECT_EQ(j["objective"].get<double>(), 100012.5);
  EXPECT_EQ(j["lower_bound"].get<double>(), 100010.0);
  EXPECT_TRUE(j["gap"].is_null());
  EXPECT_EQ(j["shortfall"][0]["day"], "2026-02-03");
  EXPECT_EQ(j["shortfall"][0]["missing_minutes"], 15);
  EXPECT_TRUE(j.contains("objective_parts"));
  EXPECT_TRUE(j.contains("fcfs_inversions"));
}

TEST(PlanIoTest, ReadPlanRejectsUnknownAppointmentsAndBadStatus) {
  domain::Scenario s = SmallScenario();
  ::rebook::testing::ScopedTempDir scratch("rebook-plan-io");
  fs::path path = scratch.path() / "plan_bad.csv";
  std::ofstream(path) << "appointment_id,status\na9,unassigned\n";
  EXPECT_THAT(std::string(ReadPlanCsv(path, s).status().message()),
              ::testing::HasSubstr("plan_bad.csv:2:1 (appointment_id): unknown appointment"));
  std::ofstream(path, std::ios::trunc) << "appointment_id,status\na1,maybe\n";
  EXPECT_THAT(std::string(ReadPlanCsv(path, s).status().message()),
              ::testing::HasSubstr("plan_bad.csv:2:2 (status)"));
}

}  // namespace
}  // namespace rebook::bundle
