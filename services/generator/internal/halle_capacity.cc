#include "services/generator/internal/halle_capacity.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "services/generator/internal/capacity.h"
#include "services/generator/internal/people.h"
#include "services/generator/internal/preset_util.h"

namespace rebook::generator::internal {
namespace {

// Booked shares of regular time. The immigration office's calendar is fullest: its normal
// waits are the longest.
constexpr FillCurve kResidentsFill{0.98, 0.88, 0.03, 3.0};
constexpr FillCurve kVehicleFill{0.96, 0.72, 0.05, 3.0};
constexpr FillCurve kDealerFill{0.75, 0.35, 0.08, 6.0};
constexpr FillCurve kImmigrationFill{0.98, 0.78, 0.03, 3.0};
constexpr FillCurve kCitizenshipFill{0.95, 0.70, 0.05, 2.0};
constexpr FillCurve kRegistryFill{0.88, 0.62, 0.05, 2.0};

class HalleStaff {
 public:
  HalleStaff(domain::Scenario& s, const Horizon& horizon, Rng rng)
      : rng_(rng), capacity_(&s, &horizon, /*merge_booking_runs=*/false) {}

  // Adds `count` clerks of one team with alternating early and late rotas; every third clerk
  // works part-time (four days). Returns their ids.
  std::vector<std::string> Team(const OfficeDays& office, int count,
                                std::vector<std::string> skills, const FillCurve& fill,
                                const WeeklyRota* fixed_rota = nullptr) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      const domain::Clerk clerk = Clerk(office, skills);
      WeeklyRota rota = fixed_rota ? *fixed_rota : (i % 2 == 0 ? EarlyRota() : LateRota());
      if (i % 3 == 2) rota = WithoutDay(std::move(rota), static_cast<int>(rng_.Uniform(0, 4)));
      capacity_.AddRota(rng_, clerk, office, rota, RotaOptions{}, fill);
      ids.push_back(clerk.id);
    }
    return ids;
  }

  // A clerk lent by another department who only works overtime shifts.
  std::string Borrowed(const OfficeDays& office, std::vector<std::string> skills) {
    return Clerk(office, std::move(skills)).id;
  }

  void Overtime(const std::vector<std::string>& clerks, std::size_t how_many,
                const OfficeDays& office, LocalDate day, ShiftTemplate time) {
    for (std::size_t i = 0; i < how_many && i < clerks.size(); ++i) {
      capacity_.AddOvertime(clerks[i], office.office_id, day, time);
    }
  }

  // Overtime on every weekday from `first` to `last`.
  void OvertimeWeekdays(const std::string& clerk, const OfficeDays& office, LocalDate first,
                        LocalDate last, ShiftTemplate time) {
    for (LocalDate d : DateRange(first, last)) {
      if (office.IsOfficeDay(d)) capacity_.AddOvertime(clerk, office.office_id, d, time);
    }
  }

 private:
  domain::Clerk Clerk(const OfficeDays& office, std::vector<std::string> skills) {
    const int n = ++per_office_[office.office_id];
    return capacity_.AddClerk(absl::StrFormat("%s-%02d", office.office_id, n),
                              ContactFactory::PersonName(rng_, kStaffMix), std::move(skills),
                              office.office_id);
  }

  Rng rng_;
  CapacityBuilder capacity_;
  std::map<std::string, int> per_office_;
};

}  // namespace

HalleOffices AddHalleOffices(domain::Scenario& s) {
  s.offices = {
      {"bsz-mitte", "Bürgerservicezentrum Mitte", "DE-ST", "Europe/Berlin",
       "Marktplatz 1, 06108 Halle (Saale)"},
      {"bsz-neustadt", "Bürgerservicezentrum Neustadt", "DE-ST", "Europe/Berlin",
       "Neustädter Passage 18, 06122 Halle (Saale)"},
      {"bsz-sued", "Bürgerservicezentrum Süd", "DE-ST", "Europe/Berlin",
       "Südstadtring 90, 06128 Halle (Saale)"},
  };
  HalleOffices o{{"bsz-mitte", "DE-ST"}, {"bsz-neustadt", "DE-ST"}, {"bsz-sued", "DE-ST"}};
  // A staff assembly planned after the rota was written: the rota still has shifts that day.
  o.neustadt.closures = {Ymd(2026, 2, 6)};
  o.neustadt.rota_skips_closures = false;
  o.mitte.closures = {Ymd(2026, 2, 13)};
  s.closures = {
      {"bsz-neustadt", Ymd(2026, 2, 6), "Personalversammlung"},
      {"bsz-mitte", Ymd(2026, 2, 13), "IT-Wartung nach dem Ausfall"},
  };
  return o;
}

void AddHalleCapacity(domain::Scenario& s, const HalleOffices& offices, const Horizon& horizon,
                      Rng rng) {
  HalleStaff staff(s, horizon, rng);
  const std::vector<std::string> residents = SkillsOf(ServiceCategory::kResidents);
  const std::vector<std::string> vehicle = SkillsOf(ServiceCategory::kVehicleRegistration);
  const std::vector<std::string> dealer_desk = {std::string(kDealerRegistration), "kfz-zulassung",
                                                "kfz-umschreibung"};
  const std::vector<std::string> immigration = SkillsOf(ServiceCategory::kImmigration);
  const std::vector<std::string> citizenship = SkillsOf(ServiceCategory::kCitizenship);
  const std::vector<std::string> registry = SkillsOf(ServiceCategory::kRegistryOffice);
  const WeeklyRota immigration_rota = ImmigrationRota();
  const WeeklyRota registry_rota = RegistryRota();

  // Mitte: residents' services and the registry office.
  staff.Team(offices.mitte, 6, residents, kResidentsFill);
  staff.Team(offices.mitte, 2, registry, kRegistryFill, &registry_rota);
  staff.Team(offices.mitte, 1, Union({registry, residents}), kRegistryFill, &registry_rota);
  // Neustadt: residents' services and vehicle registration with its dealer desk.
  const auto neustadt_residents = staff.Team(offices.neustadt, 3, residents, kResidentsFill);
  auto vehicle_team = staff.Team(offices.neustadt, 4, vehicle, kVehicleFill);
  const auto mixed = staff.Team(offices.neustadt, 1, Union({vehicle, residents}), kVehicleFill);
  const auto dealers = staff.Team(offices.neustadt, 2, dealer_desk, kDealerFill);
  // Süd: residents' services, immigration (two clerks also do citizenship), citizenship.
  staff.Team(offices.sued, 2, residents, kResidentsFill);
  const auto immigration_team =
      staff.Team(offices.sued, 5, immigration, kImmigrationFill, &immigration_rota);
  const auto both = staff.Team(offices.sued, 2, Union({immigration, citizenship}), kImmigrationFill,
                               &immigration_rota);
  const auto citizenship_team = staff.Team(offices.sued, 1, citizenship, kCitizenshipFill);

  // Extra capacity after the outage. The brief: extra staff were brought in and some
  // appointments were made outside regular hours; the booked immigration appointments were
  // offered the next Thursday.
  staff.Overtime(immigration_team, 4, offices.sued, Ymd(2026, 1, 29), {Hm(18, 0), Hm(20, 0)});
  staff.Overtime(immigration_team, 3, offices.sued, Ymd(2026, 1, 28), {Hm(13, 0), Hm(17, 0)});
  staff.Overtime(immigration_team, 3, offices.sued, Ymd(2026, 2, 4), {Hm(13, 0), Hm(17, 0)});
  // Afternoons for the walk-ins, who were told to come on the following office days.
  staff.Overtime(immigration_team, 3, offices.sued, Ymd(2026, 1, 30), {Hm(12, 0), Hm(16, 0)});
  staff.Overtime(immigration_team, 3, offices.sued, Ymd(2026, 2, 2), {Hm(13, 0), Hm(17, 0)});
  staff.Overtime(immigration_team, 4, offices.sued, Ymd(2026, 2, 7), {Hm(9, 0), Hm(13, 0)});
  staff.Overtime(both, 1, offices.sued, Ymd(2026, 2, 7), {Hm(9, 0), Hm(13, 0)});
  staff.Overtime(citizenship_team, 1, offices.sued, Ymd(2026, 2, 7), {Hm(9, 0), Hm(13, 0)});
  // A Saturday opening of vehicle registration, with the dealer desk.
  vehicle_team.insert(vehicle_team.end(), mixed.begin(), mixed.end());
  staff.Overtime(vehicle_team, 3, offices.neustadt, Ymd(2026, 1, 31), {Hm(9, 0), Hm(13, 0)});
  staff.Overtime(dealers, 2, offices.neustadt, Ymd(2026, 1, 31), {Hm(9, 0), Hm(13, 0)});
  staff.Overtime(neustadt_residents, 2, offices.neustadt, Ymd(2026, 1, 31), {Hm(9, 0), Hm(13, 0)});
  // A clerk lent to Mitte for a week of afternoons, one to vehicle registration for two weeks.
  const std::string lent_residents = staff.Borrowed(offices.mitte, residents);
  staff.OvertimeWeekdays(lent_residents, offices.mitte, Ymd(2026, 1, 28), Ymd(2026, 2, 3),
                         {Hm(13, 0), Hm(17, 0)});
  const std::string lent_vehicle = staff.Borrowed(offices.neustadt, vehicle);
  staff.OvertimeWeekdays(lent_vehicle, offices.neustadt, Ymd(2026, 2, 2), Ymd(2026, 2, 13),
                         {Hm(12, 0), Hm(16, 0)});
}

}  // namespace rebook::generator::internal
