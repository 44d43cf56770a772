// Builds the cancelled appointments of a scenario, with the attributes each kind of service has
// in real life: legal deadlines (birth within a week, death by the third working day, residence
// permits before they expire), priorities that follow those deadlines, dealer jobs with many
// registrations, walk-ins who were turned away, offices a citizen would also accept, and times a
// citizen cannot come.
//
//   AppointmentFactory factory(&horizon, "hal");
//   domain::Appointment a = factory.Booked(rng, site, CatalogueEntryById("geburt"), start);
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_APPOINTMENTS_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_APPOINTMENTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "services/domain/model.h"
#include "services/generator/internal/catalogue.h"
#include "services/generator/internal/horizon.h"
#include "services/generator/internal/people.h"
#include "services/generator/internal/random.h"

namespace rebook::generator::internal {

// The original office of an appointment, as the factory needs it.
struct AppointmentSite {
  const OfficeDays* office = nullptr;
  const ContactFactory* contacts = nullptr;
  // Other offices that offer the same category and that a citizen might accept too.
  std::vector<std::string> alternatives;
  std::string outage_id;
};

// How often optional attributes occur. The defaults suit a city; presets may tighten them.
struct AppointmentOdds {
  double accepts_other_office = 0.30;  // lists one or two alternatives in allowed_offices
  double unavailable = 0.12;           // names times they cannot come
  double later_start = 0.06;           // cannot come before some later day
  double permit_deadline = 0.55;       // booked immigration case with a permit that expires
  double walk_in_deadline = 0.35;      // walk-in with a permit that expires
  // Earliest first-deadline day, in horizon days from its first day (0 = first day). Tight
  // presets use 0, others give the solver a day's slack.
  int min_deadline_day = 1;
};

class AppointmentFactory {
 public:
  // `id_prefix` makes ids unique per scenario, e.g. "hal" -> "hal-a1", "hal-w1", "hal-d1".
  AppointmentFactory(const Horizon* horizon, std::string id_prefix, AppointmentOdds odds = {});

  // A booked appointment of `service` that started at `original_start`.
  domain::Appointment Booked(Rng& rng, const AppointmentSite& site, const CatalogueEntry& service,
                             Instant original_start);
  // A citizen turned away at `turned_away`; `earliest` is when they were told to come back.
  domain::Appointment WalkIn(Rng& rng, const AppointmentSite& site, const CatalogueEntry& service,
                             Instant turned_away, Instant earliest);
  // A car dealer's batch of `cases` registrations, booked as one appointment.
  domain::Appointment DealerJob(Rng& rng, const AppointmentSite& site,
                                const domain::Contact& dealer, int cases, Instant original_start);

  const AppointmentOdds& odds() const { return odds_; }

 private:
  domain::Appointment Base(Rng& rng, const AppointmentSite& site, const CatalogueEntry& service,
                           Instant original_start, char kind_letter);
  // Sets deadline and priority from the service's legal rules. `first_day`: horizon day on
  // which the citizen can first come.
  void ApplyDeadlineAndPriority(Rng& rng, const CatalogueEntry& service, bool walk_in,
                                int first_day, domain::Appointment& a) const;
  // Birth and death registrations: deadline and priority from the legal rules.
  void ApplyCivilStatusDeadline(Rng& rng, const AppointmentSite& site,
                                const CatalogueEntry& service, domain::Appointment& a) const;
  void AddAllowedOffices(Rng& rng, const AppointmentSite& site, domain::Appointment& a) const;
  void AddUnavailable(Rng& rng, domain::Appointment& a) const;
  // Local midnight `days` days after the horizon's first day.
  Instant DayStart(int days) const;

  const Horizon* horizon_;
  std::string id_prefix_;
  AppointmentOdds odds_;
  std::int64_t next_id_ = 1;
};

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_APPOINTMENTS_H_
