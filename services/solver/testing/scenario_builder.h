// Small scenario builders for solver tests and benchmarks (not for production code).
//
//   ScenarioBuilder b("2026-01-28T00:00", "2026-02-07T00:00");
//   b.Office("halle").Service("kfz", 15).Clerk("anna", {"kfz"});
//   b.Shift("anna", "halle", "2026-01-28T08:00", "2026-01-28T12:00");
//   b.Appointment("a1", "halle", "kfz", "2026-01-27T12:00").priority = 3;
//   domain::Scenario s = b.Build();
#ifndef REBOOK_SERVICES_SOLVER_TESTING_SCENARIO_BUILDER_H_
#define REBOOK_SERVICES_SOLVER_TESTING_SCENARIO_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/domain/model.h"

namespace rebook::solver::testing {

// Europe/Berlin local time "YYYY-MM-DDTHH:MM" -> instant. Aborts on bad input (tests only).
Instant Local(std::string_view local);

class ScenarioBuilder {
 public:
  ScenarioBuilder(std::string_view horizon_start, std::string_view horizon_end);
  ScenarioBuilder& Office(std::string id, std::string state = "DE-ST");
  ScenarioBuilder& Service(std::string id, int duration_min);
  ScenarioBuilder& Clerk(std::string id, std::vector<std::string> skills);
  ScenarioBuilder& Shift(const std::string& clerk, const std::string& office,
                         std::string_view start, std::string_view end,
                         domain::ShiftKind kind = domain::ShiftKind::kRegular);
  ScenarioBuilder& Booking(std::string id, const std::string& clerk, std::string_view start,
                           std::string_view end);
  ScenarioBuilder& Closure(std::string office, std::string_view date);
  ScenarioBuilder& ReserveShare(double share);
  // Adds an appointment and returns it for further changes (valid until the next Appointment).
  domain::Appointment& Appointment(std::string id, std::string office, std::string service,
                                   std::string_view original_start);
  domain::Scenario& scenario() { return s_; }
  // Assigns standing bookings their offices and returns the scenario.
  domain::Scenario Build() const;

 private:
  domain::Scenario s_;
};

struct RandomScenarioOptions {
  std::uint64_t seed = 1;
  int offices = 2;
  int clerks_per_office = 4;
  int services = 3;
  int appointments = 100;
  int days = 5;               // working days in the horizon, from Mon 2026-02-02
  double booked_share = 0.5;  // of regular time taken by standing bookings
  double reserve_share = 0.1;
  double deadline_share = 0.2;      // appointments with a deadline
  double multi_office_share = 0.3;  // appointments that accept a neighbouring office
  double unavailable_share = 0.1;
  bool overtime_saturday = true;
};

// A random but realistic instance: Mon-Fri shifts 08:00-12:00 and 13:00-16:00 in DE-ST,
// Saturday overtime, standing bookings, priorities 1-10, some dealers with 5-10 cases.
domain::Scenario RandomScenario(const RandomScenarioOptions& options);

// The generator's "varied" family (services/generator/varied_scenario.h) with the structure the
// seed picks: the shape is drawn per seed (1-6 offices, part-time clerks with mixed skills,
// fragmented standing bookings, dealers' long jobs, deadlines, a tight or loose load), and each
// seed but every sixth pushes one structure to its extreme. `rebook-gen --preset varied` writes
// the same scenario as a bundle.
domain::Scenario VariedScenario(std::uint64_t seed, int appointments);

}  // namespace rebook::solver::testing

#endif  // REBOOK_SERVICES_SOLVER_TESTING_SCENARIO_BUILDER_H_
