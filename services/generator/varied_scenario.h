// The "varied" family: small random scenarios whose structure is drawn from the seed, so that a
// sweep over seeds is not one shape (the solver must not be tuned to the presets).
//
// Every seed draws the shape: 2-4 working days, 1-6 offices, 2-6 services of 10-60 minutes,
// part-time clerks with varied shift times and some Saturday overtime, standing bookings of
// 10-45 minutes over 10-70 % of the time, dealer jobs, deadlines, unavailable times, a reserve
// of 0-30 % and free capacity from 0.8 to 2 times the demand. On top, `structures` forces the
// extreme of one or more structures (see VariedStructure); by default the seed picks one of
// them in turn (VariedStructuresOf), so consecutive seeds cover all of them.
//
//   generator::VariedOptions o{.seed = 7, .appointments = 40};
//   domain::Scenario s = generator::GenerateVaried(o);   // passes CheckScenario
//   o.structures = *generator::ParseVariedStructures("fragmented,deadlines");
//
// Pure and deterministic (the generator's portable Rng): the same options give the same
// scenario everywhere. `rebook-gen --preset varied --appointments N` writes it as a bundle and
// `rebook-solver-bench --shape varied` benchmarks it (bench/solver/sweep.sh). Thread-safe.
#ifndef REBOOK_SERVICES_GENERATOR_VARIED_SCENARIO_H_
#define REBOOK_SERVICES_GENERATOR_VARIED_SCENARIO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::generator {

// Structures a varied scenario can be pushed to, as bits of VariedOptions::structures.
enum VariedStructure : unsigned {
  // Standing bookings of 10 or 15 minutes over 50-75 % of regular time: free time comes in
  // short fragments between them.
  kFragmentedBookings = 1u << 0,
  // 6-12 offices of one or two clerks each; many appointments accept a neighbouring office.
  kSmallOffices = 1u << 1,
  // 20-40 % car dealers' jobs of 2 hours up to the longest shift (several cases in one block).
  kLongDealerJobs = 1u << 2,
  // 60-85 % of the appointments due on the day they may start (the first day for most), with
  // staff for the total demand: the deadlines bind, not the capacity.
  kTightDeadlines = 1u << 3,
  // 4-6 services and clerks with few, differing skills: who can serve what becomes a puzzle.
  kMixedSkills = 1u << 4,
};
inline constexpr unsigned kAllVariedStructures = (1u << 5) - 1;

struct VariedOptions {
  std::uint64_t seed = 1;
  int appointments = 50;  // >= 1
  // Bits of VariedStructure; unset: VariedStructuresOf(seed).
  std::optional<unsigned> structures;
};

// The structure a seed pushes to by default: none for seed % 6 == 0, else one of the five in
// enum order (1 fragmented bookings, 2 small offices, 3 long dealer jobs, 4 tight deadlines,
// 5 mixed skills).
unsigned VariedStructuresOf(std::uint64_t seed);

// A comma-separated list of "fragmented", "small-offices", "dealers", "deadlines", "skills",
// or "none" or "all". InvalidArgument for anything else.
absl::StatusOr<unsigned> ParseVariedStructures(std::string_view list);
// The inverse: "none" or the names joined by commas.
std::string FormatVariedStructures(unsigned structures);

// Builds the scenario. Every appointment can be served by some qualified clerk at an allowed
// office within the horizon (CheckScenario holds); whether all fit at once depends on the drawn
// load, so some may have to stay unassigned.
domain::Scenario GenerateVaried(const VariedOptions& options);

}  // namespace rebook::generator

#endif  // REBOOK_SERVICES_GENERATOR_VARIED_SCENARIO_H_
