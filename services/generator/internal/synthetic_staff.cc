// Staffing of the synthetic presets: one team per category a site offers, sized so that the
// free capacity is about `slack` times the site's demand, plus overtime at some sites.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/generator/internal/preset_util.h"
#include "services/generator/internal/synthetic_builder.h"

namespace rebook::generator::internal {
namespace {

using C = ServiceCategory;

constexpr double kAbsenceRate = 0.04;
// Every third clerk works four days a week; sizing counts that as a lower average.
constexpr double kPartTimeFactor = 1 - 1.0 / 15;

WeeklyRota RotaFor(C category, int member) {
  switch (category) {
    case C::kImmigration:
      return ImmigrationRota();
    case C::kRegistryOffice:
      return RegistryRota();
    default:
      return member % 2 == 0 ? EarlyRota() : LateRota();
  }
}

}  // namespace

double SyntheticBuilder::UsableMinutesPerClerk(const SiteState& site, const WeeklyRota& rota,
                                               LocalDate last) const {
  double minutes = 0;
  for (LocalDate d : DateRange(p_.horizon.first_day, std::min(last, p_.horizon.last_day))) {
    if (!site.days.IsOfficeDay(d)) continue;
    const double fill = p_.fill.first + (p_.fill.last - p_.fill.first) * p_.horizon.Progress(d);
    for (const ShiftTemplate& t : rota[WeekdayIndex(d)]) {
      minutes += (t.end_min - t.start_min) * (1 - std::clamp(fill, 0.0, 0.98));
    }
  }
  return minutes * (1 - p_.reserve_share) * (1 - kAbsenceRate) * kPartTimeFactor;
}

void SyntheticBuilder::AddStaff(std::size_t index) {
  SiteState& site = sites_[index];
  Rng rng = root_.Fork(SiteStream(index, /*staff=*/true));
  // Clerks each category needs for its whole demand, largest first.
  std::vector<std::pair<C, double>> needs;
  for (const CategoryShare& c : CategoriesOf(site.spec->kind)) {
    const double per_clerk =
        std::max(1.0, UsableMinutesPerClerk(site, RotaFor(c.category, 0), p_.horizon.last_day));
    const auto k = static_cast<std::size_t>(c.category);
    needs.emplace_back(c.category,
                       site.slack * static_cast<double>(site.demand_min[k]) / per_clerk);
  }
  std::stable_sort(needs.begin(), needs.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  // A category that needs less than about half a clerk gets no team of its own: some clerks of
  // the largest team are trained for it, as in a small-town office where everybody does a bit
  // of everything.
  const int primary_size = std::max(1, static_cast<int>(std::ceil(needs.front().second)));
  std::vector<std::vector<std::string>> cross(static_cast<std::size_t>(primary_size));
  std::vector<Team> teams;
  for (std::size_t n = 1; n < needs.size(); ++n) {
    const auto [category, clerks] = needs[n];
    if (clerks >= 0.6) continue;
    std::vector<std::string> skills = SkillsOf(category);
    if (category == C::kVehicleRegistration) skills.emplace_back(kDealerRegistration);
    const int trained = std::clamp(static_cast<int>(std::lround(clerks * 3)), 1, primary_size);
    for (int m = 0; m < trained; ++m) cross[m] = Union({cross[m], skills});
  }
  teams.push_back({needs.front().first, {}});
  AddTeam(rng, site, needs.front().first, primary_size, cross, &teams.back().clerks);
  for (std::size_t n = 1; n < needs.size(); ++n) {
    const auto [category, clerks] = needs[n];
    if (clerks < 0.6) continue;
    teams.push_back({category, {}});
    AddTeam(rng, site, category, static_cast<int>(std::ceil(clerks)), {}, &teams.back().clerks);
  }
  if (site.overtime) AddOvertime(rng, site, teams);
  // Tight sites must cope with what they have; the others bring in help for the first week
  // when their free time cannot cover what is due in it.
  if (site.slack >= 1) {
    for (const Team& team : teams) AddDeadlineCover(rng, site, team);
  }
}

void SyntheticBuilder::AddDeadlineCover(Rng& rng, SiteState& site, const Team& team) {
  const auto k = static_cast<std::size_t>(team.category);
  const LocalDate last = std::min(p_.horizon.last_day, AddDays(p_.horizon.first_day, 6));
  const double per_clerk = UsableMinutesPerClerk(site, RotaFor(team.category, 0), last);
  double missing = static_cast<double>(site.due_week1_min[k]) * 1.2 -
                   per_clerk * static_cast<double>(team.clerks.size());
  std::vector<LocalDate> days;
  for (LocalDate d : DateRange(p_.horizon.first_day, last)) {
    if (site.days.IsOfficeDay(d)) days.push_back(d);
  }
  if (days.empty()) return;
  std::vector<std::string> skills = SkillsOf(team.category);
  for (int n = 1; missing > 0; ++n) {
    // A clerk from another office or department, full days in overtime.
    const domain::Clerk helper = capacity_.AddClerk(
        absl::StrFormat("%s-h%d%d", site.spec->id, static_cast<int>(team.category), n),
        ContactFactory::PersonName(rng, kStaffMix), skills, site.spec->id);
    for (LocalDate d : days) {
      capacity_.AddOvertime(helper.id, site.spec->id, d, {Hm(8, 0), Hm(16, 0)});
      missing -= Hm(8, 0);
    }
  }
}

void SyntheticBuilder::AddTeam(Rng& rng, SiteState& site, ServiceCategory category, int size,
                               const std::vector<std::vector<std::string>>& cross,
                               std::vector<std::string>* ids) {
  const bool registry_here = site.offers[static_cast<int>(C::kRegistryOffice)];
  const bool citizenship_here = site.offers[static_cast<int>(C::kCitizenship)];
  for (int m = 0; m < size; ++m) {
    std::vector<std::string> skills = SkillsOf(category);
    // The dealer desk: the first vehicle clerk, and every sixth after that.
    if (category == C::kVehicleRegistration && m % 6 == 0) {
      skills.emplace_back(kDealerRegistration);
    }
    // Some residents' clerks stand in at the registry office, some immigration clerks handle
    // naturalisation.
    if (category == C::kResidents && registry_here && rng.Bernoulli(0.2)) {
      skills = Union({skills, SkillsOf(C::kRegistryOffice)});
    }
    if (category == C::kImmigration && citizenship_here && rng.Bernoulli(0.2)) {
      skills = Union({skills, SkillsOf(C::kCitizenship)});
    }
    if (static_cast<std::size_t>(m) < cross.size()) skills = Union({skills, cross[m]});
    const domain::Clerk clerk = capacity_.AddClerk(
        absl::StrFormat("%s-%02d", site.spec->id, ++site.clerks),
        ContactFactory::PersonName(rng, kStaffMix), std::move(skills), site.spec->id);
    WeeklyRota rota = RotaFor(category, m);
    if (m % 3 == 2) rota = WithoutDay(std::move(rota), static_cast<int>(rng.Uniform(0, 4)));
    capacity_.AddRota(rng, clerk, site.days, rota, RotaOptions{kAbsenceRate}, p_.fill);
    ids->push_back(clerk.id);
  }
}

void SyntheticBuilder::AddOvertime(Rng& rng, SiteState& site, const std::vector<Team>& teams) {
  for (const SpecialOpening& o : p_.openings) {
    for (const Team& team : teams) {
      // A third of each team comes in.
      for (std::size_t m = 0; m < (team.clerks.size() + 2) / 3; ++m) {
        capacity_.AddOvertime(team.clerks[m], site.spec->id, o.day, o.time);
      }
    }
  }
  // A clerk lent by another department to the largest team, for the afternoons of the first
  // two weeks.
  if (teams.empty() || teams.front().clerks.size() < 3) return;
  const domain::Clerk lent = capacity_.AddClerk(absl::StrCat(site.spec->id, "-x1"),
                                                ContactFactory::PersonName(rng, kStaffMix),
                                                SkillsOf(teams.front().category), site.spec->id);
  const LocalDate last = std::min(p_.horizon.last_day, AddDays(p_.horizon.first_day, 13));
  for (LocalDate d : DateRange(p_.horizon.first_day, last)) {
    if (site.days.IsOfficeDay(d)) {
      capacity_.AddOvertime(lent.id, site.spec->id, d, {Hm(13, 0), Hm(17, 0)});
    }
  }
}

}  // namespace rebook::generator::internal
