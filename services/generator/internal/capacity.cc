#include "services/generator/internal/capacity.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/generator/internal/catalogue.h"

namespace rebook::generator::internal {

CapacityBuilder::CapacityBuilder(domain::Scenario* scenario, const Horizon* horizon,
                                 bool merge_booking_runs)
    : scenario_(scenario), horizon_(horizon), merge_booking_runs_(merge_booking_runs) {}

domain::Clerk CapacityBuilder::AddClerk(std::string id, std::string name,
                                        std::vector<std::string> skills,
                                        std::string home_office_id) {
  scenario_->clerks.push_back(
      domain::Clerk{std::move(id), std::move(name), std::move(skills), std::move(home_office_id)});
  return scenario_->clerks.back();
}

void CapacityBuilder::AddRota(Rng& rng, const domain::Clerk& clerk, const OfficeDays& office,
                              const WeeklyRota& rota, const RotaOptions& options,
                              const FillCurve& fill) {
  for (LocalDate day = horizon_->first_day; day <= horizon_->last_day; day = AddDays(day, 1)) {
    const std::vector<ShiftTemplate>& shifts = rota[WeekdayIndex(day)];
    if (shifts.empty() || !office.RotaCovers(day)) continue;
    if (rng.Bernoulli(options.absence_rate)) continue;
    for (const ShiftTemplate& t : shifts) AddRegularShift(rng, clerk, office, day, t, fill);
  }
}

void CapacityBuilder::AddRegularShift(Rng& rng, const domain::Clerk& clerk,
                                      const OfficeDays& office, LocalDate day, ShiftTemplate time,
                                      const FillCurve& fill) {
  const LocalClock& clock = horizon_->clock;
  scenario_->shifts.push_back(
      domain::Shift{absl::StrCat("s", next_shift_++),
                    clerk.id,
                    office.office_id,
                    {clock.At(day, time.start_min), clock.At(day, time.end_min)},
                    domain::ShiftKind::kRegular});
  // Nobody books appointments on a day the office is closed, even if the rota has a shift.
  if (!office.IsOfficeDay(day)) return;
  const double p = horizon_->Progress(day);
  const double share =
      fill.first + (fill.last - fill.first) * p + (rng.Real() * 2 - 1) * fill.jitter;
  AddStandingBookings(rng, clerk, office.office_id, day, time, std::clamp(share, 0.0, 0.98),
                      fill.mean_run);
}

void CapacityBuilder::AddOvertime(const std::string& clerk_id, const std::string& office_id,
                                  LocalDate day, ShiftTemplate time) {
  const LocalClock& clock = horizon_->clock;
  scenario_->shifts.push_back(
      domain::Shift{absl::StrCat("s", next_shift_++),
                    clerk_id,
                    office_id,
                    {clock.At(day, time.start_min), clock.At(day, time.end_min)},
                    domain::ShiftKind::kOvertime});
}

const std::vector<std::pair<int, double>>& CapacityBuilder::DurationsOf(
    const domain::Clerk& clerk) {
  std::string key = absl::StrJoin(clerk.skills, ";");
  if (key == durations_key_ && !durations_.empty()) return durations_;
  durations_key_ = std::move(key);
  durations_.clear();
  for (const std::string& skill : clerk.skills) {
    const CatalogueEntry& e = CatalogueEntryById(skill);
    // Dealer jobs are booked as blocks of registrations; count them like a normal booking.
    const double w = e.id == kDealerRegistration ? 0.5 : e.booked_share;
    if (w > 0) durations_.emplace_back(e.duration_min, w);
  }
  if (durations_.empty()) durations_.emplace_back(15, 1.0);
  return durations_;
}

void CapacityBuilder::AddStandingBookings(Rng& rng, const domain::Clerk& clerk,
                                          const std::string& office_id, LocalDate day,
                                          ShiftTemplate time, double fill, double mean_run) {
  if (fill <= 0.01) return;
  const std::vector<std::pair<int, double>>& durations = DurationsOf(clerk);
  std::vector<double> weights;
  weights.reserve(durations.size());
  for (const auto& [minutes, w] : durations) weights.push_back(w);

  // A two-state Markov chain over slots: booked runs have mean length `mean_run`, free runs
  // the length that makes the booked share `fill` on average. A free run is at least one slot,
  // so nearly full days get longer booked runs instead.
  const double booked_run = std::max(mean_run, fill / (1 - fill));
  const double free_run = booked_run * (1 - fill) / fill;
  const double stay_booked = 1 - 1 / booked_run;
  const double stay_free = 1 - 1 / free_run;
  bool booked = rng.Bernoulli(fill);
  int run_start = -1;  // start minute of the open merged booking, -1 if none
  const LocalClock& clock = horizon_->clock;
  auto close_run = [&](int end_min) {
    if (run_start < 0) return;
    scenario_->bookings.push_back(
        domain::StandingBooking{absl::StrCat("b", next_booking_++),
                                clerk.id,
                                office_id,
                                {clock.At(day, run_start), clock.At(day, end_min)}});
    run_start = -1;
  };
  int t = time.start_min;
  while (true) {
    const int minutes = durations[rng.Weighted(weights)].first;
    if (t + minutes > time.end_min) break;
    if (booked) {
      if (run_start < 0) run_start = t;
      if (!merge_booking_runs_) close_run(t + minutes);
    } else {
      close_run(t);
    }
    t += minutes;
    booked = rng.Bernoulli(booked ? stay_booked : 1 - stay_free);
  }
  close_run(t);
}

}  // namespace rebook::generator::internal
