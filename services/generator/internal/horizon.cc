#include "services/generator/internal/horizon.h"

#include <algorithm>

#include "services/domain/holidays.h"

namespace rebook::generator::internal {

double Horizon::Progress(LocalDate day) const {
  const int span = DaysBetween(first_day, last_day);
  if (span <= 0) return 0;
  return std::clamp(static_cast<double>(DaysBetween(first_day, day)) / span, 0.0, 1.0);
}

bool OfficeDays::IsClosure(LocalDate d) const {
  return std::find(closures.begin(), closures.end(), d) != closures.end();
}

bool OfficeDays::IsHoliday(LocalDate d) const {
  // The domain's calendar, so that generator and solver agree on every holiday; it caches per
  // state and year, hence one per thread.
  thread_local domain::HolidayCalendar calendar;
  return calendar.IsHoliday(state, d);
}

bool OfficeDays::RotaCovers(LocalDate d) const {
  if (rota_skips_holidays && IsHoliday(d)) return false;
  if (rota_skips_closures && IsClosure(d)) return false;
  return true;
}

}  // namespace rebook::generator::internal
