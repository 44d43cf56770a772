// The engine behind BuildSynthetic(), split over synthetic.cc (offices, closures, appointments)
// and synthetic_staff.cc (teams, rotas, overtime).
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_SYNTHETIC_BUILDER_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_SYNTHETIC_BUILDER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/generator/internal/synthetic.h"

namespace rebook::generator::internal {

inline constexpr int kCategoryCount = 6;

// Random streams of the phases: offices and closures use fixed ones, and each site has its own
// for appointments and for staff, so that no two phases share a stream however many sites.
enum class Stream : std::uint64_t { kOffices = 1, kClosures = 2 };
inline std::uint64_t SiteStream(std::size_t site, bool staff) {
  return 16 + 2 * static_cast<std::uint64_t>(site) + (staff ? 1 : 0);
}

struct SiteState {
  const SiteSpec* spec = nullptr;
  OfficeDays days;
  std::optional<ContactFactory> contacts;
  // One AppointmentSite per category: the alternatives differ by category.
  std::array<AppointmentSite, kCategoryCount> by_category;
  std::array<bool, kCategoryCount> offers{};
  std::array<std::int64_t, kCategoryCount> demand_min{};
  // Demand due within the horizon's first seven days (births, deaths, expiring permits).
  std::array<std::int64_t, kCategoryCount> due_week1_min{};
  double slack = 1;
  bool overtime = false;
  int clerks = 0;  // clerks added so far, for their ids
};

// The clerks of one category at one site.
struct Team {
  ServiceCategory category;
  std::vector<std::string> clerks;
};

class SyntheticBuilder {
 public:
  SyntheticBuilder(const SyntheticProfile& profile, std::uint64_t seed);
  domain::Scenario Build();

 private:
  void AddOffices();
  void AddClosures();
  void AddAppointments(std::size_t site, std::int64_t count);
  // synthetic_staff.cc
  void AddStaff(std::size_t site);
  // `size` clerks for `category`; member m also gets the skills in cross[m], if any.
  void AddTeam(Rng& rng, SiteState& site, ServiceCategory category, int size,
               const std::vector<std::vector<std::string>>& cross, std::vector<std::string>* ids);
  void AddOvertime(Rng& rng, SiteState& site, const std::vector<Team>& teams);
  // Helpers in overtime for the first week when the team cannot serve what is due in it.
  void AddDeadlineCover(Rng& rng, SiteState& site, const Team& team);
  // Free minutes one clerk on `rota` adds on office days up to `last` (expected values).
  double UsableMinutesPerClerk(const SiteState& site, const WeeklyRota& rota, LocalDate last) const;
  std::vector<std::int64_t> AppointmentsPerSite() const;

  const SyntheticProfile& p_;
  Rng root_;
  domain::Scenario s_;
  std::vector<SiteState> sites_;
  AppointmentFactory factory_;
  CapacityBuilder capacity_;
};

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_SYNTHETIC_BUILDER_H_
