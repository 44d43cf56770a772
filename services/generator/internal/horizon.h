// The planning horizon and the office calendar, as the generator sees them.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_HORIZON_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_HORIZON_H_

#include <string>
#include <vector>

#include "services/generator/internal/local_days.h"

namespace rebook::generator::internal {

// The horizon runs from `first_day` at `start_minute` to the midnight after `last_day`.
// All offices of a generated scenario share one zone, Europe/Berlin.
struct Horizon {
  LocalClock clock;
  LocalDate first_day;
  LocalDate last_day;
  int start_minute = Hm(7, 0);

  Instant Start() const { return clock.At(first_day, start_minute); }
  Instant End() const { return clock.Midnight(AddDays(last_day, 1)); }
  // Position of `day` in the horizon, 0 on the first day and 1 on the last.
  double Progress(LocalDate day) const;
  std::vector<LocalDate> Days() const { return DateRange(first_day, last_day); }
};

// Which days an office works: weekdays that are neither public holidays of its state nor
// closures.
struct OfficeDays {
  std::string office_id;
  std::string state;
  std::vector<LocalDate> closures;
  // Rota exports do not always know about holidays and closures decided later; when these are
  // false the generator writes shifts on such days anyway, and the solver has to skip them.
  bool rota_skips_holidays = true;
  bool rota_skips_closures = true;

  bool IsClosure(LocalDate d) const;
  bool IsHoliday(LocalDate d) const;
  // A weekday on which the office is open.
  bool IsOfficeDay(LocalDate d) const { return !IsWeekend(d) && !IsHoliday(d) && !IsClosure(d); }
  // Whether a rota writes a shift on `d` (weekends are up to the rota itself).
  bool RotaCovers(LocalDate d) const;
};

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_HORIZON_H_
