// Synthetic rebooking scenarios: test fixtures, demo data and solver benchmarks.
//
// A preset names a scenario family ("tiny", "halle", "state", ...); a seed picks one member.
// Generation is pure and deterministic: no I/O, no clock, and the same (preset, seed) gives the
// same scenario on every platform. `rebook-gen` writes the result as a scenario bundle.
//
//   absl::StatusOr<domain::Scenario> s = generator::GenerateScenario({.preset = "halle"});
//   if (!s.ok()) return s.status();              // NotFound for an unknown preset
//   REBOOK_RETURN_IF_ERROR(generator::CheckScenario(*s));  // the generator's own guarantees
//
// docs/scenarios.md describes each preset and how the Halle outage was reconstructed.
// Thread-safe: presets share no mutable state.
#ifndef REBOOK_SERVICES_GENERATOR_SCENARIO_GENERATOR_H_
#define REBOOK_SERVICES_GENERATOR_SCENARIO_GENERATOR_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::generator {

struct PresetInfo {
  std::string_view name;
  std::string_view description;  // one line, for `rebook-gen --list`
  std::int64_t approx_appointments;
};

// All presets, smallest first.
std::span<const PresetInfo> Presets();

struct GeneratorOptions {
  std::string preset = "tiny";  // a name from Presets()
  std::uint64_t seed = 1;       // any value; the same seed gives the same scenario
  // "varied" only (varied_scenario.h): its size (unset: 50) and the structures it is pushed to
  // (bits of VariedStructure; unset: the seed picks one).
  std::optional<int> appointments;
  std::optional<unsigned> structures;
};

// Builds the scenario of `options.preset`. NotFound for an unknown preset name;
// InvalidArgument for `appointments` or `structures` with another preset than "varied", or
// `appointments` outside 1..100000.
absl::StatusOr<domain::Scenario> GenerateScenario(const GeneratorOptions& options);

}  // namespace rebook::generator

#endif  // REBOOK_SERVICES_GENERATOR_SCENARIO_GENERATOR_H_
