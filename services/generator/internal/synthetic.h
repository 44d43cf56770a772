// A profile-driven generator for the synthetic presets (tiny to state, dst, easter).
//
// A profile lists the offices ("sites") with their kind and size, the outage, the horizon and
// how tight capacity should be. The engine then draws the lost appointments per site, sizes each
// site's teams so that the free capacity is about `slack` times the demand, writes rotas,
// standing bookings, closures and overtime, and returns the scenario.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_SYNTHETIC_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_SYNTHETIC_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "services/domain/model.h"
#include "services/generator/internal/appointments.h"
#include "services/generator/internal/capacity.h"
#include "services/generator/internal/horizon.h"
#include "services/generator/internal/people.h"

namespace rebook::generator::internal {

// What an office offers.
enum class SiteKind {
  kResidents,      // Bürgeramt: residents' services
  kCitizenOffice,  // small-town Bürgerbüro: residents' services and registry office
  kFullService,    // small-town Rathaus: residents, vehicle registration and registry office
  kVehicle,        // Kfz-Zulassungsstelle, with a dealer desk
  kImmigration,    // Ausländerbehörde: immigration and citizenship
  kRegistry,       // Standesamt
  kServiceCentre,  // city service centre: residents, immigration and citizenship
};

struct CategoryShare {
  ServiceCategory category;
  double share;  // of the site's lost appointments
};
// The categories a kind offers and their shares of its appointments.
std::span<const CategoryShare> CategoriesOf(SiteKind kind);

struct SiteSpec {
  std::string id;
  std::string name;
  std::string address;
  std::string state;
  SiteKind kind = SiteKind::kResidents;
  int locality = 0;   // index into SyntheticProfile::localities
  int district = 0;   // sites of one district are alternatives for each other
  double weight = 1;  // relative share of the lost appointments
};

// Extra opening in overtime (a Saturday, an evening) at the sites that add overtime.
struct SpecialOpening {
  LocalDate day;
  ShiftTemplate time;
};

struct SyntheticProfile {
  std::string id_prefix;  // appointment ids: "<prefix>-a17"
  std::string outage_id;
  std::vector<Locality> localities;
  std::vector<SiteSpec> sites;
  std::int64_t appointments = 0;  // total, walk-ins and dealer jobs included

  // Appointments from `outage_start_min` on the first outage day to `outage_end_min` on the
  // last one were lost, on the sites' office days.
  LocalDate outage_first;
  LocalDate outage_last;
  int outage_start_min = Hm(8, 0);
  int outage_end_min = Hm(19, 0);

  Horizon horizon;
  double reserve_share = 0.2;
  FillCurve fill;
  // Free capacity (after standing bookings and the reserve) per site and category, as a multiple
  // of the demand: drawn from slack * (1 +/- slack_spread); a `tight_share` of sites get
  // 0.75 to 0.95 instead, so that some appointments cannot all be placed in regular time.
  double slack = 1.3;
  double slack_spread = 0.2;
  double tight_share = 0.1;
  double overtime_share = 0.3;  // sites that add overtime (openings, a borrowed clerk)
  std::vector<SpecialOpening> openings;
  double holiday_rota_share = 0;  // sites whose rota still has shifts on public holidays
  int closures = 1;
  double closure_in_rota_share = 0.5;  // closures decided after the rota was written
  bool merge_booking_runs = false;
  double walk_in_ratio = 0.3;  // immigration walk-ins per booked immigration appointment
  double dealer_share = 0.06;  // dealer jobs among vehicle appointments
  AppointmentOdds odds;
};

domain::Scenario BuildSynthetic(const SyntheticProfile& profile, std::uint64_t seed);

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_SYNTHETIC_H_
