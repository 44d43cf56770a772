// The guarantees every generated scenario gives, as a checkable function.
//
// Tests run it on every preset, and `rebook-gen --check` runs it before writing a bundle. It
// checks more than the bundle reader does (which only parses), but less than a plan checker:
// it says that a scenario is well formed and that every appointment can be served by someone,
// not that there is enough capacity for all of them.
//
//   absl::Status ok = generator::CheckScenario(scenario);
//   // "appointment hal-a17: no qualified clerk with a usable shift at an allowed office"
#ifndef REBOOK_SERVICES_GENERATOR_SCENARIO_CHECK_H_
#define REBOOK_SERVICES_GENERATOR_SCENARIO_CHECK_H_

#include "absl/status/status.h"
#include "services/domain/model.h"

namespace rebook::generator {

// OK if all of these hold; otherwise FailedPrecondition naming the first offending record:
//  - every id is valid (domain::IsValidId) and unique in its file (shift ids per office);
//  - every reference (skills, clerks, offices, services, allowed offices) resolves;
//  - every instant is a whole minute, and writing it as a local time of its office's zone and
//    reading it back gives the same instant (no skipped or repeated local times);
//  - shifts are non-empty and lie within one local day; standing bookings lie within a shift
//    of their clerk at their office, and one clerk's bookings do not overlap;
//  - priorities are 1..10, cases >= 1, reserve_share is in [0, 1], the horizon is non-empty;
//  - every appointment has a clerk with the skill, at one of its allowed offices, with a shift
//    on a usable day (not a public holiday of the office's state, not a closure) that leaves
//    room for the whole appointment between its earliest start and the horizon's end.
//    Deadlines, unavailable times and the bookings are not considered: capacity may be short.
absl::Status CheckScenario(const domain::Scenario& scenario);

}  // namespace rebook::generator

#endif  // REBOOK_SERVICES_GENERATOR_SCENARIO_CHECK_H_
