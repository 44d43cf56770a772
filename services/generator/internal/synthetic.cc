#include "services/generator/internal/synthetic.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/generator/internal/preset_util.h"
#include "services/generator/internal/synthetic_builder.h"

namespace rebook::generator::internal {
namespace {

using C = ServiceCategory;

constexpr CategoryShare kResidentsOnly[] = {{C::kResidents, 1.0}};
constexpr CategoryShare kCitizenOffice[] = {{C::kResidents, 0.9}, {C::kRegistryOffice, 0.1}};
constexpr CategoryShare kFullService[] = {
    {C::kResidents, 0.6}, {C::kVehicleRegistration, 0.3}, {C::kRegistryOffice, 0.1}};
constexpr CategoryShare kVehicleOnly[] = {{C::kVehicleRegistration, 1.0}};
constexpr CategoryShare kImmigration[] = {{C::kImmigration, 0.8}, {C::kCitizenship, 0.2}};
constexpr CategoryShare kRegistryOnly[] = {{C::kRegistryOffice, 1.0}};
constexpr CategoryShare kServiceCentre[] = {
    {C::kResidents, 0.6}, {C::kImmigration, 0.3}, {C::kCitizenship, 0.1}};

constexpr std::string_view kClosureReasons[] = {"Personalversammlung", "Betriebsausflug",
                                                "IT-Umstellung",       "Brandschutzübung",
                                                "Wasserschaden",       "Fortbildung des Teams"};

// The office's public hours on a weekday: what its rotas together cover.
std::vector<ShiftTemplate> PublicHours(SiteKind kind, int weekday) {
  const WeeklyRota& rota = kind == SiteKind::kImmigration ? ImmigrationRota()
                           : kind == SiteKind::kRegistry  ? RegistryRota()
                                                          : LateRota();
  std::vector<ShiftTemplate> hours = rota[weekday];
  if (kind != SiteKind::kImmigration && kind != SiteKind::kRegistry && !hours.empty()) {
    // Early and late rotas together open the office from 08:00.
    hours = {{Hm(8, 0), hours.back().end_min}};
  }
  return hours;
}

}  // namespace

std::span<const CategoryShare> CategoriesOf(SiteKind kind) {
  switch (kind) {
    case SiteKind::kResidents:
      return kResidentsOnly;
    case SiteKind::kCitizenOffice:
      return kCitizenOffice;
    case SiteKind::kFullService:
      return kFullService;
    case SiteKind::kVehicle:
      return kVehicleOnly;
    case SiteKind::kImmigration:
      return kImmigration;
    case SiteKind::kRegistry:
      return kRegistryOnly;
    case SiteKind::kServiceCentre:
      return kServiceCentre;
  }
  return kResidentsOnly;
}

SyntheticBuilder::SyntheticBuilder(const SyntheticProfile& profile, std::uint64_t seed)
    : p_(profile),
      root_(seed ^ StableHash(profile.id_prefix)),
      factory_(&profile.horizon, profile.id_prefix, profile.odds),
      capacity_(&s_, &profile.horizon, profile.merge_booking_runs) {}

domain::Scenario SyntheticBuilder::Build() {
  s_.params.horizon_start = p_.horizon.Start();
  s_.params.horizon_end = p_.horizon.End();
  s_.params.reserve_share = p_.reserve_share;
  AddOffices();
  AddClosures();
  const std::vector<std::int64_t> counts = AppointmentsPerSite();
  s_.appointments.reserve(static_cast<std::size_t>(p_.appointments));
  for (std::size_t i = 0; i < sites_.size(); ++i) AddAppointments(i, counts[i]);
  for (std::size_t i = 0; i < sites_.size(); ++i) AddStaff(i);
  SetUsedServices(s_);
  return std::move(s_);
}

void SyntheticBuilder::AddOffices() {
  Rng rng = root_.Fork(static_cast<std::uint64_t>(Stream::kOffices));
  sites_.resize(p_.sites.size());
  // Alternatives: the other sites of the same district that offer the category.
  std::map<std::pair<int, int>, std::vector<std::string>> offering;
  for (const SiteSpec& spec : p_.sites) {
    for (const CategoryShare& c : CategoriesOf(spec.kind)) {
      offering[{spec.district, static_cast<int>(c.category)}].push_back(spec.id);
    }
  }
  bool any_holiday_rota = false;
  for (std::size_t i = 0; i < p_.sites.size(); ++i) {
    const SiteSpec& spec = p_.sites[i];
    s_.offices.push_back({spec.id, spec.name, spec.state, p_.horizon.clock.zone(), spec.address});
    SiteState& site = sites_[i];
    site.spec = &spec;
    site.days = OfficeDays{spec.id, spec.state};
    site.days.rota_skips_holidays = !rng.Bernoulli(p_.holiday_rota_share);
    any_holiday_rota = any_holiday_rota || !site.days.rota_skips_holidays;
    site.contacts.emplace(&p_.localities[spec.locality]);
    site.slack = rng.Bernoulli(p_.tight_share)
                     ? 0.75 + 0.2 * rng.Real()
                     : p_.slack * (1 + p_.slack_spread * (2 * rng.Real() - 1));
    site.overtime = rng.Bernoulli(p_.overtime_share);
    for (const CategoryShare& c : CategoriesOf(spec.kind)) {
      const int k = static_cast<int>(c.category);
      site.offers[k] = true;
      AppointmentSite& as = site.by_category[k];
      as.office = &site.days;
      as.contacts = &*site.contacts;
      as.outage_id = p_.outage_id;
      for (const std::string& id : offering[{spec.district, k}]) {
        if (id != spec.id) as.alternatives.push_back(id);
      }
    }
  }
  // A preset that asks for holiday shifts gets at least one site that has them.
  if (p_.holiday_rota_share > 0 && !any_holiday_rota && !sites_.empty()) {
    sites_.front().days.rota_skips_holidays = false;
  }
}

void SyntheticBuilder::AddClosures() {
  Rng rng = root_.Fork(static_cast<std::uint64_t>(Stream::kClosures));
  const std::vector<LocalDate> days = p_.horizon.Days();
  for (int n = 0, attempts = 0; n < p_.closures && !sites_.empty() && attempts < 100 * p_.closures;
       ++attempts) {
    SiteState& site = sites_[rng.Index(sites_.size())];
    // Not on the first two days: those are fixed before the outage is even over.
    const std::size_t skip = std::min<std::size_t>(2, days.size() - 1);
    const LocalDate day = days[skip + rng.Index(days.size() - skip)];
    if (!site.days.IsOfficeDay(day)) continue;
    site.days.closures.push_back(day);
    if (rng.Bernoulli(p_.closure_in_rota_share)) site.days.rota_skips_closures = false;
    s_.closures.push_back(
        {site.spec->id, day, std::string(kClosureReasons[rng.Index(std::size(kClosureReasons))])});
    ++n;
  }
}

std::vector<std::int64_t> SyntheticBuilder::AppointmentsPerSite() const {
  // Largest remainder, so that the total is exactly the profile's.
  double total_weight = 0;
  for (const SiteSpec& s : p_.sites) total_weight += s.weight;
  std::vector<std::int64_t> counts(p_.sites.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < p_.sites.size(); ++i) {
    const double quota = static_cast<double>(p_.appointments) * p_.sites[i].weight / total_weight;
    counts[i] = static_cast<std::int64_t>(std::floor(quota));
    assigned += counts[i];
    remainders.push_back({quota - std::floor(quota), i});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned < p_.appointments && k < remainders.size(); ++k, ++assigned) {
    ++counts[remainders[k].second];
  }
  return counts;
}

void SyntheticBuilder::AddAppointments(std::size_t index, std::int64_t count) {
  SiteState& site = sites_[index];
  Rng rng = root_.Fork(SiteStream(index, /*staff=*/false));
  const LocalClock& clock = p_.horizon.clock;

  // The outage's office days at this site and their lost hours.
  std::vector<std::pair<LocalDate, std::vector<ShiftTemplate>>> lost;
  std::vector<double> lost_weight;
  for (LocalDate d : DateRange(p_.outage_first, p_.outage_last)) {
    if (!site.days.IsOfficeDay(d)) continue;
    std::vector<ShiftTemplate> windows;
    for (ShiftTemplate w : PublicHours(site.spec->kind, WeekdayIndex(d))) {
      if (d == p_.outage_first) w.start_min = std::max(w.start_min, p_.outage_start_min);
      if (d == p_.outage_last) w.end_min = std::min(w.end_min, p_.outage_end_min);
      if (w.end_min > w.start_min) windows.push_back(w);
    }
    if (windows.empty()) continue;
    double minutes = 0;
    for (const ShiftTemplate& w : windows) minutes += w.end_min - w.start_min;
    lost.emplace_back(d, std::move(windows));
    lost_weight.push_back(minutes);
  }
  if (lost.empty()) return;

  const std::span<const CategoryShare> categories = CategoriesOf(site.spec->kind);
  std::vector<double> category_weight;
  for (const CategoryShare& c : categories) category_weight.push_back(c.share);
  static const std::array<ServiceSampler, kCategoryCount> kBooked = {
      ServiceSampler(C::kVehicleRegistration, false, {kDealerRegistration}),
      ServiceSampler(C::kRegistryOffice, false),
      ServiceSampler(C::kImmigration, false),
      ServiceSampler(C::kCitizenship, false),
      ServiceSampler(C::kResidents, false),
      ServiceSampler(C::kOther, false)};
  static const ServiceSampler kWalkIns(C::kImmigration, /*walk_ins=*/true);

  std::vector<domain::Contact> dealers;
  if (site.offers[static_cast<int>(C::kVehicleRegistration)]) {
    const int n = static_cast<int>(rng.Uniform(3, 8));
    for (int i = 0; i < n; ++i) dealers.push_back(site.contacts->Dealer(rng));
  }
  const double walk_in_p = p_.walk_in_ratio / (1 + p_.walk_in_ratio);
  const Instant week1_end = p_.horizon.Start() + std::chrono::hours(24 * 7);
  for (std::int64_t n = 0; n < count; ++n) {
    const C category = categories[rng.Weighted(category_weight)].category;
    const int k = static_cast<int>(category);
    const AppointmentSite& as = site.by_category[k];
    const auto& [day, windows] = lost[rng.Weighted(lost_weight)];
    if (category == C::kVehicleRegistration && rng.Bernoulli(p_.dealer_share)) {
      const Instant start = RandomStart(rng, clock, day, windows, 15);
      s_.appointments.push_back(factory_.DealerJob(rng, as, dealers[rng.Index(dealers.size())],
                                                   static_cast<int>(rng.Uniform(2, 10)), start));
    } else if (category == C::kImmigration && rng.Bernoulli(walk_in_p)) {
      const Instant start = RandomStart(rng, clock, day, windows, 1);
      s_.appointments.push_back(
          factory_.WalkIn(rng, as, kWalkIns.Draw(rng), start, p_.horizon.Start()));
    } else {
      const Instant start = RandomStart(rng, clock, day, windows, 5);
      s_.appointments.push_back(factory_.Booked(rng, as, kBooked[k].Draw(rng), start));
    }
    const domain::Appointment& a = s_.appointments.back();
    const std::int64_t minutes =
        static_cast<std::int64_t>(a.cases) * CatalogueEntryById(a.service_id).duration_min;
    site.demand_min[k] += minutes;
    if (a.deadline && *a.deadline <= week1_end) site.due_week1_min[k] += minutes;
  }
}

domain::Scenario BuildSynthetic(const SyntheticProfile& profile, std::uint64_t seed) {
  return SyntheticBuilder(profile, seed).Build();
}

}  // namespace rebook::generator::internal
