// Builds the capacity side of a scenario: clerks, their shifts, overtime and the standing
// bookings that already fill part of the regular time.
//
//   CapacityBuilder capacity(&scenario, &horizon, /*merge_booking_runs=*/false);
//   domain::Clerk c = capacity.AddClerk("bsz-mitte-01", "Anna Schulz", skills, "bsz-mitte");
//   capacity.AddRota(rng, c, office_days, EarlyRota(), {}, FillCurve{0.9, 0.5});
//   capacity.AddOvertime(c.id, office_days, Ymd(2026, 1, 31), Hm(9, 0), Hm(13, 0));
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_CAPACITY_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_CAPACITY_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "services/domain/model.h"
#include "services/generator/internal/horizon.h"
#include "services/generator/internal/random.h"

namespace rebook::generator::internal {

// [start_min, end_min) in minutes since local midnight.
struct ShiftTemplate {
  int start_min;
  int end_min;
};

// A clerk's regular week: the shifts per weekday (0 = Monday). Two shifts on one day are a split
// day with a break between them.
using WeeklyRota = std::array<std::vector<ShiftTemplate>, 7>;

// How much of the regular time standing bookings already fill. Offices are booked out for the
// next days and emptier further ahead, so the share falls linearly over the horizon.
struct FillCurve {
  double first = 0.85;   // booked share on the horizon's first day
  double last = 0.45;    // booked share on its last day
  double jitter = 0.08;  // uniform +/- per clerk and day
  // Mean length of a run of back-to-back standing bookings, in bookings. Longer runs leave
  // longer free gaps for the same share.
  double mean_run = 3.0;
};

struct RotaOptions {
  // Chance that a clerk misses a rota day (illness, leave); no shift is written for it.
  double absence_rate = 0.04;
};

class CapacityBuilder {
 public:
  // Appends to `scenario`; both pointers must outlive the builder. With `merge_booking_runs`, a
  // run of back-to-back standing bookings of one clerk is written as one booking, which blocks
  // the same time with far fewer rows (for the large benchmark presets).
  CapacityBuilder(domain::Scenario* scenario, const Horizon* horizon, bool merge_booking_runs);

  // Adds the clerk and returns a copy to pass to AddRota (references into the scenario would be
  // invalidated by the next clerk).
  domain::Clerk AddClerk(std::string id, std::string name, std::vector<std::string> skills,
                         std::string home_office_id);

  // Regular shifts of `clerk` at `office` on every horizon day the rota covers, each with
  // standing bookings that fill about `fill` of it.
  void AddRota(Rng& rng, const domain::Clerk& clerk, const OfficeDays& office,
               const WeeklyRota& rota, const RotaOptions& options, const FillCurve& fill);
  // One regular shift on `day`, with standing bookings.
  void AddRegularShift(Rng& rng, const domain::Clerk& clerk, const OfficeDays& office,
                       LocalDate day, ShiftTemplate time, const FillCurve& fill);
  // An overtime shift; overtime is never pre-booked.
  void AddOvertime(const std::string& clerk_id, const std::string& office_id, LocalDate day,
                   ShiftTemplate time);

 private:
  void AddStandingBookings(Rng& rng, const domain::Clerk& clerk, const std::string& office_id,
                           LocalDate day, ShiftTemplate time, double fill, double mean_run);
  // Durations of the clerk's services, weighted by how often they are booked.
  const std::vector<std::pair<int, double>>& DurationsOf(const domain::Clerk& clerk);

  domain::Scenario* scenario_;
  const Horizon* horizon_;
  bool merge_booking_runs_;
  std::int64_t next_shift_ = 1;
  std::int64_t next_booking_ = 1;
  std::string durations_key_;
  std::vector<std::pair<int, double>> durations_;
};

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_CAPACITY_H_
