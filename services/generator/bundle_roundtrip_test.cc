// Generated scenarios survive the scenario bundle: write, read back, compare. This is what
// rebook-gen does, and what every consumer of a generated bundle relies on.
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "services/bundle/scenario_bundle.h"
#include "services/generator/test_util.h"
#include "services/generator/varied_scenario.h"
#include "testing/files.h"

namespace rebook::generator {
namespace {

class BundleRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(BundleRoundTrip, ReadsBackWhatWasWritten) {
  const domain::Scenario s = Generate(GetParam(), 3);
  const ::rebook::testing::ScopedTempDir scratch("rebook-gen-" + GetParam());
  const std::filesystem::path dir = scratch.path() / "bundle";
  ASSERT_TRUE(bundle::WriteScenarioBundle(s, dir).ok());
  absl::StatusOr<domain::Scenario> back = bundle::ReadScenarioBundle(dir);
  ASSERT_TRUE(back.ok()) << back.status();

  EXPECT_EQ(back->params.horizon_start, s.params.horizon_start);
  EXPECT_EQ(back->params.horizon_end, s.params.horizon_end);
  EXPECT_DOUBLE_EQ(back->params.reserve_share, s.params.reserve_share);
  ASSERT_EQ(back->offices.size(), s.offices.size());
  for (std::size_t i = 0; i < s.offices.size(); ++i) {
    EXPECT_EQ(back->offices[i].id, s.offices[i].id);
    EXPECT_EQ(back->offices[i].state, s.offices[i].state);
  }
  EXPECT_EQ(back->services, s.services);
  ASSERT_EQ(back->clerks.size(), s.clerks.size());
  for (std::size_t i = 0; i < s.clerks.size(); ++i) {
    EXPECT_EQ(back->clerks[i].skills, s.clerks[i].skills) << s.clerks[i].id;
  }
  ASSERT_EQ(back->shifts.size(), s.shifts.size());
  for (std::size_t i = 0; i < s.shifts.size(); ++i) {
    EXPECT_EQ(back->shifts[i].time, s.shifts[i].time);
    EXPECT_EQ(back->shifts[i].kind, s.shifts[i].kind);
  }
  EXPECT_EQ(back->closures.size(), s.closures.size());
  ASSERT_EQ(back->bookings.size(), s.bookings.size());
  for (std::size_t i = 0; i < s.bookings.size(); ++i) {
    EXPECT_EQ(back->bookings[i].time, s.bookings[i].time);
    EXPECT_EQ(back->bookings[i].office_id, s.bookings[i].office_id);
  }
  ASSERT_EQ(back->appointments.size(), s.appointments.size());
  for (std::size_t i = 0; i < s.appointments.size(); ++i) {
    EXPECT_TRUE(back->appointments[i].SameBookingData(s.appointments[i])) << s.appointments[i].id;
  }
  std::filesystem::remove_all(dir);
}

// The bundle reader is stricter than the generator's check in places (a deadline after the
// earliest start, ...): every varied seed, size and structure must load.
TEST(VariedBundleTest, EverySeedSizeAndStructureLoads) {
  const ::rebook::testing::ScopedTempDir scratch("rebook-gen-varied");
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    for (int n : {20, 80}) {
      for (unsigned structures : {VariedStructuresOf(seed), kAllVariedStructures}) {
        const std::filesystem::path dir = scratch.path() / std::to_string(seed * 1000 + n);
        ASSERT_TRUE(
            bundle::WriteScenarioBundle(
                GenerateVaried({.seed = seed, .appointments = n, .structures = structures}), dir)
                .ok());
        absl::StatusOr<domain::Scenario> back = bundle::ReadScenarioBundle(dir);
        ASSERT_TRUE(back.ok()) << "seed " << seed << " n " << n << " "
                               << FormatVariedStructures(structures) << ": " << back.status();
        std::filesystem::remove_all(dir);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Generator, BundleRoundTrip,
                         ::testing::Values("tiny", "varied", "small", "halle", "dst", "easter"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace rebook::generator
