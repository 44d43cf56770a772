// solver::testing::VariedScenario is the generator's "varied" family (one source of truth).
#include "services/generator/varied_scenario.h"

#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver::testing {

domain::Scenario VariedScenario(std::uint64_t seed, int appointments) {
  return generator::GenerateVaried({.seed = seed, .appointments = appointments});
}

}  // namespace rebook::solver::testing
