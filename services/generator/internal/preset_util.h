// Small helpers shared by the preset builders.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_PRESET_UTIL_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_PRESET_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "services/domain/model.h"
#include "services/generator/internal/capacity.h"
#include "services/generator/internal/catalogue.h"
#include "services/generator/internal/random.h"

namespace rebook::generator::internal {

// The service ids of `category`, without the dealer service unless `with_dealer`.
std::vector<std::string> SkillsOf(ServiceCategory category, bool with_dealer = false);
// The union of several skill lists, in order, without duplicates.
std::vector<std::string> Union(std::vector<std::vector<std::string>> lists);

// A uniformly drawn start on a `grid_min` grid within one of `windows` (minutes of the day) of
// `day`; windows are weighted by their length.
Instant RandomStart(Rng& rng, const LocalClock& clock, LocalDate day,
                    const std::vector<ShiftTemplate>& windows, int grid_min);

// Rotas of a typical German citizen office (Bürgeramt): an early and a late pattern with a long
// Thursday, short Wednesday and Friday; and the immigration office's public days.
WeeklyRota EarlyRota();
WeeklyRota LateRota();
WeeklyRota ImmigrationRota();
WeeklyRota RegistryRota();
// `rota` without one weekday (a part-time clerk).
WeeklyRota WithoutDay(WeeklyRota rota, int weekday);

// Sets `scenario.services` to the catalogue services that a clerk or an appointment refers to.
void SetUsedServices(domain::Scenario& scenario);

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_PRESET_UTIL_H_
