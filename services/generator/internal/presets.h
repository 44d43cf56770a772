// The preset builders behind GenerateScenario(). Each returns a complete scenario, is pure and
// is deterministic for its seed.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_PRESETS_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_PRESETS_H_

#include <cstdint>

#include "services/domain/model.h"

namespace rebook::generator::internal {

// The Halle (Saale) outage of 27 January 2026, rebuilt from the brief (see docs/scenarios.md).
domain::Scenario BuildHalle(std::uint64_t seed);

// Synthetic presets of growing size, and the calendar variants.
domain::Scenario BuildTiny(std::uint64_t seed);
domain::Scenario BuildSmall(std::uint64_t seed);
domain::Scenario BuildCity(std::uint64_t seed);
domain::Scenario BuildRegion(std::uint64_t seed);
domain::Scenario BuildState(std::uint64_t seed);
domain::Scenario BuildDst(std::uint64_t seed);
domain::Scenario BuildEaster(std::uint64_t seed);

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_PRESETS_H_
