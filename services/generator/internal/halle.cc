// The Halle (Saale) outage of 27 January 2026, 11:50 to about 16:30: more than 620 booked
// appointments in three citizen service centres, plus about 150 immigration walk-ins.
// docs/scenarios.md lists what comes from the brief and what is assumed here.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/generator/internal/appointments.h"
#include "services/generator/internal/capacity.h"
#include "services/generator/internal/halle_capacity.h"
#include "services/generator/internal/people.h"
#include "services/generator/internal/preset_util.h"
#include "services/generator/internal/presets.h"

namespace rebook::generator::internal {
namespace {

// The brief's figures.
constexpr int kVehicleAppointments = 130;
constexpr int kDealerRegistrations = 200;
constexpr int kImmigrationAppointments = 80;
constexpr int kImmigrationWalkIns = 150;
constexpr int kCitizenshipAppointments = 20;
// Assumed: residents' services make up the rest of the "more than 620" booked appointments
// (counting each dealer registration as one), spread over the three centres.
constexpr int kResidentsMitte = 90;
constexpr int kResidentsNeustadt = 60;
constexpr int kResidentsSued = 40;
constexpr int kDealers = 12;

// The outage window on Tuesday 27 January 2026; the immigration desks close 12:00 to 13:00.
const std::vector<ShiftTemplate> kOutageWindow = {{Hm(11, 50), Hm(16, 30)}};
const std::vector<ShiftTemplate> kImmigrationWindow = {{Hm(11, 50), Hm(12, 0)},
                                                       {Hm(13, 0), Hm(16, 30)}};

// The brief's 26 registry-office appointments, split by assumed shares.
struct RegistryCount {
  std::string_view service;
  int count;
};
constexpr RegistryCount kRegistry[] = {{"geburt", 9},
                                       {"sterbefall", 5},
                                       {"ehe-anmeldung", 7},
                                       {"ehe-vorgespraech", 3},
                                       {"urkunde", 2}};

class HalleAppointments {
 public:
  HalleAppointments(domain::Scenario* s, const HalleOffices* offices, const Horizon* horizon,
                    Rng rng)
      : s_(s),
        offices_(offices),
        horizon_(horizon),
        rng_(rng),
        contacts_(&HalleLocality()),
        factory_(horizon, "hal", Odds()) {}

  void Build() {
    const AppointmentSite mitte = Site(offices_->mitte, true);
    const AppointmentSite neustadt = Site(offices_->neustadt, true);
    const AppointmentSite sued = Site(offices_->sued, true);
    const AppointmentSite vehicle = Site(offices_->neustadt, false);
    const AppointmentSite immigration = Site(offices_->sued, false);
    const AppointmentSite registry = Site(offices_->mitte, false);

    Booked(vehicle,
           ServiceSampler(ServiceCategory::kVehicleRegistration, false, {kDealerRegistration}),
           kVehicleAppointments, kOutageWindow, 5);
    DealerJobs(vehicle);
    Booked(immigration, ServiceSampler(ServiceCategory::kImmigration, false),
           kImmigrationAppointments, kImmigrationWindow, 5);
    WalkIns(immigration);
    Booked(immigration, ServiceSampler(ServiceCategory::kCitizenship, false),
           kCitizenshipAppointments, kImmigrationWindow, 15);
    for (const RegistryCount& r : kRegistry) {
      for (int i = 0; i < r.count; ++i) Add(registry, CatalogueEntryById(r.service), 15);
    }
    const ServiceSampler residents(ServiceCategory::kResidents, false);
    Booked(mitte, residents, kResidentsMitte, kOutageWindow, 5);
    Booked(neustadt, residents, kResidentsNeustadt, kOutageWindow, 5);
    Booked(sued, residents, kResidentsSued, kOutageWindow, 5);
    // Booking systems export by office and time, not by category.
    std::stable_sort(s_->appointments.begin(), s_->appointments.end(),
                     [](const domain::Appointment& a, const domain::Appointment& b) {
                       return a.original_start < b.original_start;
                     });
  }

 private:
  static AppointmentOdds Odds() {
    AppointmentOdds odds;
    odds.accepts_other_office = 0.35;
    odds.permit_deadline = 0.6;
    odds.walk_in_deadline = 0.35;
    odds.min_deadline_day = 1;
    return odds;
  }

  // Residents' services are offered at all three centres; the other services at one only.
  AppointmentSite Site(const OfficeDays& office, bool residents) const {
    AppointmentSite site{&office, &contacts_, {}, std::string(kHalleOutageId)};
    if (residents) {
      for (const OfficeDays* o : {&offices_->mitte, &offices_->neustadt, &offices_->sued}) {
        if (o->office_id != office.office_id) site.alternatives.push_back(o->office_id);
      }
    }
    return site;
  }

  void Add(const AppointmentSite& site, const CatalogueEntry& service, int grid) {
    const std::vector<ShiftTemplate>& window =
        site.office == &offices_->sued ? kImmigrationWindow : kOutageWindow;
    s_->appointments.push_back(factory_.Booked(
        rng_, site, service, RandomStart(rng_, horizon_->clock, kHalleOutageDay, window, grid)));
  }

  void Booked(const AppointmentSite& site, const ServiceSampler& sampler, int count,
              const std::vector<ShiftTemplate>& window, int grid) {
    for (int i = 0; i < count; ++i) {
      const CatalogueEntry& service = sampler.Draw(rng_);
      s_->appointments.push_back(factory_.Booked(
          rng_, site, service, RandomStart(rng_, horizon_->clock, kHalleOutageDay, window, grid)));
    }
  }

  // "About 200 registration jobs from car dealers": 200 registrations, batched per dealer into
  // jobs of 2 to 10 cars, one appointment each (see docs/scenarios.md).
  void DealerJobs(const AppointmentSite& site) {
    std::vector<domain::Contact> dealers;
    std::vector<double> weights;
    for (int i = 0; i < kDealers; ++i) {
      dealers.push_back(contacts_.Dealer(rng_));
      // A few large dealers bring most of the cars.
      weights.push_back(i < 3 ? 4.0 : 1.0);
    }
    int remaining = kDealerRegistrations;
    while (remaining > 0) {
      int cases = static_cast<int>(rng_.Uniform(2, 10));
      if (remaining - cases < 2) cases = remaining;  // no job of a single car
      remaining -= cases;
      const domain::Contact& dealer = dealers[rng_.Weighted(weights)];
      s_->appointments.push_back(factory_.DealerJob(
          rng_, site, dealer, cases,
          RandomStart(rng_, horizon_->clock, kHalleOutageDay, kOutageWindow, 15)));
    }
  }

  // Turned away between 11:50 and 16:30 and told to come on a later office day, after the
  // Thursday that was kept for the booked immigration appointments.
  void WalkIns(const AppointmentSite& site) {
    const ServiceSampler sampler(ServiceCategory::kImmigration, /*walk_ins=*/true);
    const Instant come_back = horizon_->clock.Midnight(Ymd(2026, 1, 30));
    for (int i = 0; i < kImmigrationWalkIns; ++i) {
      const Instant turned_away =
          RandomStart(rng_, horizon_->clock, kHalleOutageDay, kOutageWindow, 1);
      s_->appointments.push_back(
          factory_.WalkIn(rng_, site, sampler.Draw(rng_), turned_away, come_back));
    }
  }

  domain::Scenario* s_;
  const HalleOffices* offices_;
  const Horizon* horizon_;
  Rng rng_;
  ContactFactory contacts_;
  AppointmentFactory factory_;
};

}  // namespace

domain::Scenario BuildHalle(std::uint64_t seed) {
  const Rng rng(seed);
  domain::Scenario s;
  const Horizon horizon{LocalClock("Europe/Berlin"), Ymd(2026, 1, 28), Ymd(2026, 2, 20), Hm(7, 0)};
  s.params.horizon_start = horizon.Start();
  s.params.horizon_end = horizon.End();
  s.params.reserve_share = 0.2;
  const HalleOffices offices = AddHalleOffices(s);
  AddHalleCapacity(s, offices, horizon, rng.Fork(1));
  HalleAppointments(&s, &offices, &horizon, rng.Fork(2)).Build();
  SetUsedServices(s);
  return s;
}

}  // namespace rebook::generator::internal
