#include "services/generator/scenario_generator.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "services/generator/scenario_check.h"
#include "services/generator/test_util.h"

namespace rebook::generator {
namespace {

TEST(PresetsTest, ListsEveryPresetOnceWithADescription) {
  std::set<std::string_view> names;
  for (const PresetInfo& p : Presets()) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    EXPECT_FALSE(p.description.empty());
    EXPECT_GT(p.approx_appointments, 0);
  }
  for (std::string_view name :
       {"tiny", "small", "halle", "city", "region", "state", "dst", "easter"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
}

TEST(PresetsTest, UnknownPresetIsNotFound) {
  EXPECT_EQ(GenerateScenario({"atlantis", 1}).status().code(), absl::StatusCode::kNotFound);
}

class EveryFastPreset : public testing::TestWithParam<std::string> {};

TEST_P(EveryFastPreset, IsDeterministicForASeed) {
  ExpectSameScenario(Generate(GetParam(), 7), Generate(GetParam(), 7));
}

TEST_P(EveryFastPreset, DiffersBetweenSeeds) {
  const domain::Scenario a = Generate(GetParam(), 1);
  const domain::Scenario b = Generate(GetParam(), 2);
  int same_names = 0;
  const std::size_t n = std::min(a.appointments.size(), b.appointments.size());
  for (std::size_t i = 0; i < n; ++i) {
    same_names += a.appointments[i].contact.name == b.appointments[i].contact.name;
  }
  EXPECT_LT(same_names, static_cast<int>(n / 2));
}

TEST_P(EveryFastPreset, PassesTheGeneratorChecks) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const domain::Scenario s = Generate(GetParam(), seed);
    EXPECT_TRUE(CheckScenario(s).ok())
        << GetParam() << " seed " << seed << ": " << CheckScenario(s);
  }
}

TEST_P(EveryFastPreset, HasTheAdvertisedSize) {
  const domain::Scenario s = Generate(GetParam());
  for (const PresetInfo& p : Presets()) {
    if (p.name != GetParam()) continue;
    EXPECT_GE(static_cast<double>(s.appointments.size()), 0.9 * p.approx_appointments);
    EXPECT_LE(static_cast<double>(s.appointments.size()), 1.1 * p.approx_appointments);
  }
}

TEST_P(EveryFastPreset, OriginalAppointmentsLieBeforeTheHorizon) {
  const domain::Scenario s = Generate(GetParam());
  for (const domain::Appointment& a : s.appointments) {
    ASSERT_LT(a.original_start, s.params.horizon_start) << a.id;
    ASSERT_EQ(a.status, domain::AppointmentStatus::kCancelled);
    if (a.deadline) {
      ASSERT_GT(*a.deadline, s.params.horizon_start) << a.id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Generator, EveryFastPreset,
                         testing::Values("tiny", "varied", "small", "halle", "dst", "easter",
                                         "city"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace rebook::generator
