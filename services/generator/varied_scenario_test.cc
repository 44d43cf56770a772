#include "services/generator/varied_scenario.h"

#include <map>
#include <string>

#include "gtest/gtest.h"
#include "services/generator/scenario_check.h"
#include "services/generator/scenario_generator.h"
#include "services/generator/scenario_stats.h"
#include "services/generator/test_util.h"

namespace rebook::generator {
namespace {

domain::Scenario Varied(std::uint64_t seed, int n, unsigned structures) {
  return GenerateVaried({.seed = seed, .appointments = n, .structures = structures});
}

// Sums over seeds 1..kSeeds of 60 appointments, pushed to `structures`.
struct Totals {
  double booked_share = 0;  // booked over regular minutes
  double booking_min = 0;   // mean standing booking length
  double offices = 0;
  double allowed_offices = 0;     // appointments that accept another office
  double long_jobs = 0;           // appointments of two hours or more
  double same_day_deadlines = 0;  // due on the day they may start
  double skills_per_clerk = 0;
};
constexpr int kSeeds = 8;

Totals Measure(unsigned structures) {
  Totals t;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const domain::Scenario s = Varied(seed, 60, structures);
    const ScenarioStats st = ComputeStats(s);
    std::int64_t regular = 0, booked = 0;
    for (const CategoryStats& c : st.by_category) regular += c.regular_min, booked += c.booked_min;
    t.booked_share += static_cast<double>(booked) / static_cast<double>(regular) / kSeeds;
    double booking_min = 0;
    for (const domain::StandingBooking& b : s.bookings) {
      booking_min += static_cast<double>((b.time.end - b.time.start).count()) / 60;
    }
    t.booking_min += booking_min / static_cast<double>(s.bookings.size()) / kSeeds;
    t.offices += static_cast<double>(st.offices) / kSeeds;
    t.allowed_offices += static_cast<double>(st.with_allowed_offices) / kSeeds;
    std::map<std::string, int> duration;
    for (const domain::Service& sv : s.services) duration[sv.id] = sv.duration_min;
    for (const domain::Appointment& a : s.appointments) {
      t.long_jobs += a.cases * duration[a.service_id] >= 120 ? 1.0 / kSeeds : 0;
      const Instant from = a.earliest_start.value_or(s.params.horizon_start);
      const auto day = [](Instant t) { return domain::LocalDateOf("Europe/Berlin", t); };
      t.same_day_deadlines += a.deadline && day(*a.deadline) == day(from) ? 1.0 / kSeeds : 0;
    }
    double skills = 0;
    for (const domain::Clerk& c : s.clerks) skills += static_cast<double>(c.skills.size());
    t.skills_per_clerk += skills / static_cast<double>(s.clerks.size()) / kSeeds;
  }
  return t;
}

TEST(VariedScenarioTest, EachStructureChangesWhatItNames) {
  const Totals none = Measure(0);
  const Totals fragmented = Measure(kFragmentedBookings);
  EXPECT_GT(fragmented.booked_share, none.booked_share + 0.1);
  EXPECT_LE(fragmented.booking_min, 15);
  EXPECT_GT(none.booking_min, 18);
  const Totals small = Measure(kSmallOffices);
  EXPECT_GE(small.offices, 6);
  EXPECT_GT(small.offices, none.offices + 2);
  EXPECT_GT(small.allowed_offices, none.allowed_offices);
  const Totals dealers = Measure(kLongDealerJobs);
  EXPECT_GT(dealers.long_jobs, 6);  // of 60 appointments
  EXPECT_GT(dealers.long_jobs, 2 * none.long_jobs);
  const Totals deadlines = Measure(kTightDeadlines);
  EXPECT_GT(deadlines.same_day_deadlines, 30);  // of 60 appointments
  EXPECT_GT(deadlines.same_day_deadlines, 2 * none.same_day_deadlines);
  const Totals skills = Measure(kMixedSkills);
  EXPECT_LT(skills.skills_per_clerk, 2.2);
  EXPECT_GT(none.skills_per_clerk, skills.skills_per_clerk + 0.5);
}

TEST(VariedScenarioTest, PassesTheGeneratorChecksForEverySeedSizeAndStructure) {
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    for (int n : {1, 20, 80}) {
      for (std::optional<unsigned> structures :
           {std::optional<unsigned>(), std::optional<unsigned>(kAllVariedStructures)}) {
        const domain::Scenario s =
            GenerateVaried({.seed = seed, .appointments = n, .structures = structures});
        ASSERT_EQ(s.appointments.size(), static_cast<std::size_t>(n));
        const absl::Status st = CheckScenario(s);
        ASSERT_TRUE(st.ok()) << "seed " << seed << " n " << n << ": " << st;
      }
    }
  }
}

TEST(VariedScenarioTest, IsDeterministicPerSeedAndDiffersBetweenSeeds) {
  const domain::Scenario a = Varied(5, 40, kAllVariedStructures);
  ExpectSameScenario(a, Varied(5, 40, kAllVariedStructures));
  const domain::Scenario c = Varied(6, 40, kAllVariedStructures);
  EXPECT_NE(a.shifts, c.shifts);
}

TEST(VariedScenarioTest, TheSeedPicksEachStructureInTurn) {
  EXPECT_EQ(VariedStructuresOf(6), 0u);
  unsigned seen = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) seen |= VariedStructuresOf(seed);
  EXPECT_EQ(seen, kAllVariedStructures);
  EXPECT_EQ(VariedStructuresOf(7), VariedStructuresOf(1));
  // The preset goes through the same path as GenerateVaried.
  absl::StatusOr<domain::Scenario> preset =
      GenerateScenario({.preset = "varied", .seed = 3, .appointments = 30});
  ASSERT_TRUE(preset.ok()) << preset.status();
  EXPECT_EQ(preset->shifts, Varied(3, 30, kLongDealerJobs).shifts);
}

TEST(VariedScenarioTest, ParsesAndFormatsStructures) {
  EXPECT_EQ(*ParseVariedStructures("fragmented, deadlines"), kFragmentedBookings | kTightDeadlines);
  EXPECT_EQ(*ParseVariedStructures("all"), kAllVariedStructures);
  EXPECT_EQ(*ParseVariedStructures("none"), 0u);
  EXPECT_EQ(ParseVariedStructures("fragmented,huge").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatVariedStructures(kSmallOffices | kMixedSkills), "small-offices,skills");
  EXPECT_EQ(FormatVariedStructures(0), "none");
  EXPECT_EQ(*ParseVariedStructures(FormatVariedStructures(kAllVariedStructures)),
            kAllVariedStructures);
}

TEST(VariedScenarioTest, SizeAndStructuresBelongToTheVariedPresetOnly) {
  EXPECT_EQ(GenerateScenario({.preset = "tiny", .appointments = 30}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateScenario({.preset = "halle", .structures = kSmallOffices}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateScenario({.preset = "varied", .appointments = 0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rebook::generator
