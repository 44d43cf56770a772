#include "services/generator/scenario_stats.h"

#include "gtest/gtest.h"
#include "services/generator/test_util.h"

namespace rebook::generator {
namespace {

TEST(ScenarioStatsTest, CountsTheHallePreset) {
  const domain::Scenario s = Generate("halle");
  const ScenarioStats st = ComputeStats(s);
  EXPECT_EQ(st.offices, 3);
  EXPECT_EQ(st.appointments, static_cast<std::int64_t>(s.appointments.size()));
  EXPECT_EQ(st.walk_ins, 150);
  EXPECT_GT(st.multi_case, 20);
  EXPECT_EQ(st.closures, 2);
  EXPECT_GT(st.unusable_shifts, 0);  // the Neustadt rota still has the closure day
  std::int64_t appointments = 0;
  for (const CategoryStats& c : st.by_category) {
    appointments += c.appointments;
    EXPECT_GT(c.regular_min, c.booked_min);
    // Tight but sufficient: every category has more usable time than demand over the horizon.
    EXPECT_GT(c.UsableMinutes(st.reserve_share), static_cast<double>(c.demand_min))
        << domain::ToString(c.category);
    EXPECT_LT(c.UsableMinutes(st.reserve_share), 5.0 * static_cast<double>(c.demand_min))
        << domain::ToString(c.category);
  }
  EXPECT_EQ(appointments, st.appointments);
  const std::string text = FormatStats(st);
  EXPECT_NE(text.find("immigration"), std::string::npos);
  EXPECT_NE(text.find("walk-ins 150"), std::string::npos);
}

}  // namespace
}  // namespace rebook::generator
