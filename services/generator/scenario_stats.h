// Figures about a scenario: sizes, and demand against capacity per service category.
//
// Used by `rebook-gen --stats`, by docs/scenarios.md and by tests that keep presets tight but
// mostly feasible. Capacity is an upper bound per category: a clerk with skills in two
// categories counts in both.
//
//   ScenarioStats st = ComputeStats(scenario);
//   std::cout << FormatStats(st);
#ifndef REBOOK_SERVICES_GENERATOR_SCENARIO_STATS_H_
#define REBOOK_SERVICES_GENERATOR_SCENARIO_STATS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "services/domain/model.h"

namespace rebook::generator {

struct CategoryStats {
  domain::ServiceCategory category = domain::ServiceCategory::kOther;
  std::int64_t appointments = 0;  // rows, walk-ins included
  std::int64_t walk_ins = 0;
  std::int64_t cases = 0;
  std::int64_t with_deadline = 0;
  std::int64_t demand_min = 0;  // sum of cases x duration
  // Minutes of clerks holding a skill of this category, on usable days only.
  std::int64_t regular_min = 0;
  std::int64_t booked_min = 0;  // standing bookings inside those regular minutes
  std::int64_t overtime_min = 0;
  // The same for the horizon's first seven days, where deadlines bite.
  std::int64_t week1_regular_min = 0;
  std::int64_t week1_booked_min = 0;
  std::int64_t week1_overtime_min = 0;
  std::int64_t week1_deadline_demand_min = 0;  // appointments due within those days

  // Minutes the solver may use: free regular time less the reserve, plus overtime.
  double UsableMinutes(double reserve_share) const {
    return static_cast<double>(regular_min - booked_min) * (1 - reserve_share) +
           static_cast<double>(overtime_min);
  }
  double Week1UsableMinutes(double reserve_share) const {
    return static_cast<double>(week1_regular_min - week1_booked_min) * (1 - reserve_share) +
           static_cast<double>(week1_overtime_min);
  }
};

struct ScenarioStats {
  std::int64_t offices = 0;
  std::int64_t services = 0;
  std::int64_t clerks = 0;
  std::int64_t shifts = 0;
  std::int64_t overtime_shifts = 0;
  std::int64_t unusable_shifts = 0;  // on a public holiday or a closure
  std::int64_t closures = 0;
  std::int64_t bookings = 0;
  std::int64_t appointments = 0;
  std::int64_t walk_ins = 0;
  std::int64_t multi_case = 0;  // appointments with cases > 1 (dealer jobs)
  std::int64_t cases = 0;
  std::int64_t with_deadline = 0;
  std::int64_t with_allowed_offices = 0;
  std::int64_t with_unavailable = 0;
  std::int64_t with_earliest_start = 0;
  double reserve_share = 0;
  std::vector<CategoryStats> by_category;  // categories that occur, in enum order
};

ScenarioStats ComputeStats(const domain::Scenario& scenario);
// A few lines of text, for people.
std::string FormatStats(const ScenarioStats& stats);

}  // namespace rebook::generator

#endif  // REBOOK_SERVICES_GENERATOR_SCENARIO_STATS_H_
