#include "services/generator/internal/preset_util.h"

#include <algorithm>

namespace rebook::generator::internal {

std::vector<std::string> SkillsOf(ServiceCategory category, bool with_dealer) {
  std::vector<std::string> out;
  for (const CatalogueEntry* e : EntriesOf(category)) {
    if (!with_dealer && e->id == kDealerRegistration) continue;
    out.emplace_back(e->id);
  }
  return out;
}

std::vector<std::string> Union(std::vector<std::vector<std::string>> lists) {
  std::vector<std::string> out;
  for (std::vector<std::string>& list : lists) {
    for (std::string& s : list) {
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
    }
  }
  return out;
}

Instant RandomStart(Rng& rng, const LocalClock& clock, LocalDate day,
                    const std::vector<ShiftTemplate>& windows, int grid_min) {
  std::vector<double> weights;
  for (const ShiftTemplate& w : windows) weights.push_back(std::max(0, w.end_min - w.start_min));
  const ShiftTemplate& w = windows[rng.Weighted(weights)];
  // First grid point at or after the window's start; starts stay inside the window.
  const int first = (w.start_min + grid_min - 1) / grid_min * grid_min;
  const int slots = std::max(1, (w.end_min - first + grid_min - 1) / grid_min);
  return clock.At(day, first + static_cast<int>(rng.Index(slots)) * grid_min);
}

WeeklyRota EarlyRota() {
  return {{{{Hm(8, 0), Hm(15, 0)}},
           {{Hm(8, 0), Hm(14, 0)}},
           {{Hm(8, 0), Hm(12, 0)}},
           {{Hm(8, 0), Hm(14, 0)}},
           {{Hm(8, 0), Hm(12, 0)}},
           {},
           {}}};
}

WeeklyRota LateRota() {
  return {{{{Hm(9, 0), Hm(16, 0)}},
           {{Hm(12, 0), Hm(18, 0)}},
           {{Hm(8, 0), Hm(12, 0)}},
           {{Hm(12, 0), Hm(19, 0)}},
           {{Hm(8, 0), Hm(12, 0)}},
           {},
           {}}};
}

WeeklyRota ImmigrationRota() {
  // Public days Monday, Tuesday, Thursday and Friday morning; Wednesday is for files.
  return {{{{Hm(8, 0), Hm(12, 0)}},
           {{Hm(8, 0), Hm(12, 0)}, {Hm(13, 0), Hm(18, 0)}},
           {},
           {{Hm(8, 0), Hm(12, 0)}, {Hm(13, 0), Hm(18, 0)}},
           {{Hm(8, 0), Hm(12, 0)}},
           {},
           {}}};
}

WeeklyRota RegistryRota() {
  return {{{{Hm(8, 0), Hm(15, 0)}},
           {{Hm(8, 0), Hm(16, 0)}},
           {{Hm(8, 0), Hm(12, 0)}},
           {{Hm(9, 0), Hm(18, 0)}},
           {{Hm(8, 0), Hm(12, 0)}},
           {},
           {}}};
}

WeeklyRota WithoutDay(WeeklyRota rota, int weekday) {
  rota[weekday].clear();
  return rota;
}

void SetUsedServices(domain::Scenario& scenario) {
  std::vector<std::string_view> used;
  auto use = [&](std::string_view id) {
    if (std::find(used.begin(), used.end(), id) == used.end()) used.push_back(id);
  };
  for (const domain::Clerk& c : scenario.clerks) {
    for (const std::string& s : c.skills) use(s);
  }
  for (const domain::Appointment& a : scenario.appointments) use(a.service_id);
  scenario.services.clear();
  for (const CatalogueEntry& e : Catalogue()) {
    if (std::find(used.begin(), used.end(), e.id) != used.end()) {
      scenario.services.push_back(ToService(e));
    }
  }
}

}  // namespace rebook::generator::internal
