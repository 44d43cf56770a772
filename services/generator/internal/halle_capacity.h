// The capacity side of the Halle preset: three citizen service centres, their clerks, rotas,
// standing bookings, closures and the extra capacity brought in after the outage.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_HALLE_CAPACITY_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_HALLE_CAPACITY_H_

#include <string_view>

#include "services/domain/model.h"
#include "services/generator/internal/horizon.h"
#include "services/generator/internal/random.h"

namespace rebook::generator::internal {

inline constexpr std::string_view kHalleOutageId = "halle-2026-01-27";
inline const LocalDate kHalleOutageDay = Ymd(2026, 1, 27);

struct HalleOffices {
  OfficeDays mitte;     // residents' services, registry office
  OfficeDays neustadt;  // residents' services, vehicle registration with the dealer desk
  OfficeDays sued;      // residents' services, immigration ("Einreise und Aufenthalt"), citizenship
};

// Adds the three offices and their closures to `s`.
HalleOffices AddHalleOffices(domain::Scenario& s);
// Adds clerks, regular and overtime shifts and standing bookings.
void AddHalleCapacity(domain::Scenario& s, const HalleOffices& offices, const Horizon& horizon,
                      Rng rng);

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_HALLE_CAPACITY_H_
