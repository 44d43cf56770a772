#include "services/generator/internal/appointments.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace rebook::generator::internal {
namespace {

// Priority of a case with a legal deadline, by the days left until it.
int PriorityForDaysLeft(int days_left) {
  if (days_left <= 6) return 9;
  if (days_left <= 13) return 7;
  if (days_left <= 27) return 5;
  return 4;
}

// The working day (Mon-Fri, not a holiday) `n` working days after `day`.
LocalDate NthWorkingDayAfter(const OfficeDays& office, LocalDate day, int n) {
  while (n > 0) {
    day = AddDays(day, 1);
    if (!IsWeekend(day) && !office.IsHoliday(day)) --n;
  }
  return day;
}

}  // namespace

AppointmentFactory::AppointmentFactory(const Horizon* horizon, std::string id_prefix,
                                       AppointmentOdds odds)
    : horizon_(horizon), id_prefix_(std::move(id_prefix)), odds_(odds) {}

Instant AppointmentFactory::DayStart(int days) const {
  return horizon_->clock.Midnight(AddDays(horizon_->first_day, days));
}

domain::Appointment AppointmentFactory::Base(Rng& rng, const AppointmentSite& site,
                                             const CatalogueEntry& service, Instant original_start,
                                             char kind_letter) {
  domain::Appointment a;
  a.id = absl::StrCat(id_prefix_, "-", std::string(1, kind_letter), next_id_++);
  a.office_id = site.office->office_id;
  a.service_id = std::string(service.id);
  a.original_start = original_start;
  a.status = domain::AppointmentStatus::kCancelled;
  a.outage_id = site.outage_id;
  AddAllowedOffices(rng, site, a);
  return a;
}

domain::Appointment AppointmentFactory::Booked(Rng& rng, const AppointmentSite& site,
                                               const CatalogueEntry& service,
                                               Instant original_start) {
  domain::Appointment a = Base(rng, site, service, original_start, 'a');
  const bool foreign = service.category == ServiceCategory::kImmigration ||
                       service.category == ServiceCategory::kCitizenship;
  const OriginMix& mix = service.category == ServiceCategory::kImmigration   ? kImmigrationMix
                         : service.category == ServiceCategory::kCitizenship ? kCitizenshipMix
                                                                             : kResidentsMix;
  a.contact = site.contacts->Citizen(
      rng, mix, foreign ? ContactContext::kImmigration : ContactContext::kResidents);
  ApplyDeadlineAndPriority(rng, service, /*walk_in=*/false, /*first_day=*/0, a);
  if (service.id == kBirthRegistration || service.id == kDeathRegistration) {
    ApplyCivilStatusDeadline(rng, site, service, a);
  }
  const int days = DaysBetween(horizon_->first_day, horizon_->last_day) + 1;
  if (!a.deadline && days >= 6 && rng.Bernoulli(odds_.later_start)) {
    // Back from a trip, or waiting for a document: in the first half of the horizon, so that
    // there is still time to serve them.
    a.earliest_start = DayStart(static_cast<int>(rng.Uniform(2, std::min(10, days / 2))));
  }
  AddUnavailable(rng, a);
  return a;
}

domain::Appointment AppointmentFactory::WalkIn(Rng& rng, const AppointmentSite& site,
                                               const CatalogueEntry& service, Instant turned_away,
                                               Instant earliest) {
  domain::Appointment a = Base(rng, site, service, turned_away, 'w');
  a.kind = domain::AppointmentKind::kWalkIn;
  const OriginMix& mix =
      service.category == ServiceCategory::kImmigration ? kImmigrationMix : kResidentsMix;
  a.contact = site.contacts->Citizen(rng, mix, ContactContext::kWalkIn);
  int first_day = 0;
  if (earliest > horizon_->Start()) {
    a.earliest_start = earliest;
    first_day = DaysBetween(horizon_->first_day, horizon_->clock.DateOf(earliest));
  }
  ApplyDeadlineAndPriority(rng, service, /*walk_in=*/true, first_day, a);
  AddUnavailable(rng, a);
  return a;
}

domain::Appointment AppointmentFactory::DealerJob(Rng& rng, const AppointmentSite& site,
                                                  const domain::Contact& dealer, int cases,
                                                  Instant original_start) {
  domain::Appointment a =
      Base(rng, site, CatalogueEntryById(kDealerRegistration), original_start, 'd');
  a.contact = dealer;
  a.cases = cases;
  // Cars sold but not registered cannot be handed over: dealers rank above private owners.
  a.priority = 4;
  return a;
}

void AppointmentFactory::ApplyDeadlineAndPriority(Rng& rng, const CatalogueEntry& service,
                                                  bool walk_in, int first_day,
                                                  domain::Appointment& a) const {
  // Deadlines leave at least `min_deadline_day` days after the citizen can first come.
  const int min_day = odds_.min_deadline_day + first_day;
  auto set_deadline = [&](int last_day) {
    // Leave at least two weekdays between the first day the citizen can come and the deadline,
    // so that an expiry on a weekend does not make the case hopeless.
    int weekdays = 0;
    for (int d = first_day; d <= last_day; ++d) {
      weekdays += !IsWeekend(AddDays(horizon_->first_day, d));
    }
    while (weekdays < 2) weekdays += !IsWeekend(AddDays(horizon_->first_day, ++last_day));
    a.deadline = DayStart(last_day + 1);
    a.priority = PriorityForDaysLeft(last_day);
  };
  switch (service.category) {
    case ServiceCategory::kImmigration: {
      a.priority = service.id == "eat-ausgabe" ? 2 : 3;
      if (service.id == "fiktion") {
        // A provisional certificate is asked for because the permit runs out soon.
        set_deadline(static_cast<int>(rng.Uniform(min_day, min_day + (walk_in ? 10 : 6))));
        break;
      }
      const bool expires = service.id != "eat-ausgabe" &&
                           rng.Bernoulli(walk_in ? odds_.walk_in_deadline : odds_.permit_deadline);
      if (!expires) break;
      const double bucket = rng.Real();
      if (walk_in || bucket < 0.25) {
        set_deadline(static_cast<int>(rng.Uniform(min_day, min_day + (walk_in ? 13 : 5))));
      } else if (bucket < 0.70) {
        set_deadline(static_cast<int>(rng.Uniform(min_day + 6, min_day + 19)));
      } else {
        set_deadline(static_cast<int>(rng.Uniform(min_day + 20, min_day + 49)));
      }
      break;
    }
    case ServiceCategory::kCitizenship:
      a.priority = service.id == "einbuergerung-urkunde" ? 3 : 2;
      break;
    case ServiceCategory::kRegistryOffice:
      if (service.id == kMarriageNotice && rng.Bernoulli(0.3)) {
        // The wedding date is near and the notice must be filed before it.
        a.deadline = DayStart(static_cast<int>(rng.Uniform(10, 35)));
        a.priority = 5;
      } else {
        a.priority = service.id == "urkunde" ? 1 : 2;
      }
      break;
    case ServiceCategory::kVehicleRegistration:
      a.priority = service.id == "kfz-zulassung" ? 3 : service.id == "kfz-umschreibung" ? 2 : 1;
      break;
    case ServiceCategory::kResidents:
      a.priority = service.id == "dokument-abholung" ? 1 : 2;
      if (service.id == kPassport && rng.Bernoulli(0.15)) {
        // A journey is booked; an express passport takes a few working days.
        a.deadline = DayStart(static_cast<int>(rng.Uniform(min_day + 3, min_day + 15)));
        a.priority = 6;
      }
      break;
    case ServiceCategory::kOther:
      a.priority = 1;
      break;
  }
}

void AppointmentFactory::ApplyCivilStatusDeadline(Rng& rng, const AppointmentSite& site,
                                                  const CatalogueEntry& service,
                                                  domain::Appointment& a) const {
  // The legal deadlines run from the event, which lies a few days before the lost appointment.
  const LocalDate original_day = horizon_->clock.DateOf(a.original_start);
  LocalDate last_day;
  if (service.id == kBirthRegistration) {
    // A birth must be registered within one week (§ 18 PStG).
    last_day = AddDays(AddDays(original_day, -static_cast<int>(rng.Uniform(0, 4))), 7);
  } else {
    // A death must be registered by the third working day after it (§ 28 PStG).
    const LocalDate death = AddDays(original_day, -static_cast<int>(rng.Uniform(0, 2)));
    last_day = NthWorkingDayAfter(*site.office, death, 3);
  }
  // A deadline that ends on a weekend or holiday ends on the next working day (§ 193 BGB).
  while (IsWeekend(last_day) || site.office->IsHoliday(last_day)) last_day = AddDays(last_day, 1);
  // Cases whose legal day has passed during the outage are due at once, within a few days.
  int day = DaysBetween(horizon_->first_day, last_day);
  if (day < odds_.min_deadline_day) {
    day = odds_.min_deadline_day + static_cast<int>(rng.Uniform(0, 4));
  }
  a.deadline = DayStart(day + 1);
  a.priority = service.id == kDeathRegistration ? 10 : 9;
}

void AppointmentFactory::AddAllowedOffices(Rng& rng, const AppointmentSite& site,
                                           domain::Appointment& a) const {
  if (site.alternatives.empty() || !rng.Bernoulli(odds_.accepts_other_office)) return;
  a.allowed_offices.push_back(a.office_id);
  const int extra = std::min<int>(static_cast<int>(site.alternatives.size()),
                                  static_cast<int>(rng.Uniform(1, 2)));
  std::vector<std::string> pool = site.alternatives;
  for (int i = 0; i < extra; ++i) {
    const std::size_t k = rng.Index(pool.size());
    a.allowed_offices.push_back(std::move(pool[k]));
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(k));
  }
}

void AppointmentFactory::AddUnavailable(Rng& rng, domain::Appointment& a) const {
  const int days = DaysBetween(horizon_->first_day, horizon_->last_day) + 1;
  const LocalClock& clock = horizon_->clock;
  std::vector<domain::TimeInterval> out;
  if (rng.Bernoulli(odds_.unavailable)) {
    const int count = static_cast<int>(rng.Uniform(1, 3));
    for (int i = 0; i < count; ++i) {
      const LocalDate day = AddDays(horizon_->first_day, static_cast<int>(rng.Index(days)));
      const double kind = rng.Real();
      if (kind < 0.45) {
        out.push_back({clock.Midnight(day), clock.Midnight(AddDays(day, 1))});
      } else if (kind < 0.80) {
        out.push_back({clock.At(day, Hm(7, 30)), clock.At(day, Hm(16, 30))});
      } else {
        out.push_back({clock.At(day, Hm(8, 0)), clock.At(day, Hm(12, 0))});
      }
    }
  }
  if (!a.deadline && days >= 14 && rng.Bernoulli(odds_.unavailable / 3)) {
    // A holiday trip of several days, leaving most of the horizon open.
    const LocalDate day = AddDays(horizon_->first_day, static_cast<int>(rng.Index(days)));
    const int length = static_cast<int>(rng.Uniform(3, std::min(8, days / 3)));
    out.push_back({clock.Midnight(day), clock.Midnight(AddDays(day, length))});
  }
  if (out.empty()) return;
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.start < y.start; });
  // Keep the list disjoint: merge overlapping or touching intervals.
  std::vector<domain::TimeInterval> merged;
  for (const domain::TimeInterval& t : out) {
    if (!merged.empty() && t.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, t.end);
    } else {
      merged.push_back(t);
    }
  }
  a.unavailable = std::move(merged);
}

}  // namespace rebook::generator::internal
