#include "services/generator/internal/local_days.h"

#include <chrono>
#include <utility>

#include "absl/status/statusor.h"
#include "services/domain/local_time.h"

namespace rebook::generator::internal {

LocalDate Ymd(int year, unsigned month, unsigned day) {
  return LocalDate(date::year(year), date::month(month), date::day(day));
}

LocalDate AddDays(LocalDate d, int days) { return LocalDate(date::sys_days(d) + date::days(days)); }

int DaysBetween(LocalDate a, LocalDate b) {
  return static_cast<int>((date::sys_days(b) - date::sys_days(a)).count());
}

int WeekdayIndex(LocalDate d) {
  return static_cast<int>(date::weekday(date::sys_days(d)).iso_encoding()) - 1;
}

bool IsWeekend(LocalDate d) { return WeekdayIndex(d) >= 5; }

std::vector<LocalDate> DateRange(LocalDate first, LocalDate last) {
  std::vector<LocalDate> out;
  for (LocalDate d = first; d <= last; d = AddDays(d, 1)) out.push_back(d);
  return out;
}

LocalClock::LocalClock(std::string zone) : zone_(std::move(zone)) {}

Instant LocalClock::At(LocalDate day, int minute_of_day) const {
  const domain::LocalDateTime local{date::local_days(day).time_since_epoch() +
                                    std::chrono::minutes(minute_of_day)};
  absl::StatusOr<Instant> t = domain::LocalToInstant(zone_, local);
  // A skipped local time: the same wall-clock reading one hour later always exists (DST gaps
  // are at most one hour wide), and it is where the clock actually is.
  for (int hour = 1; !t.ok() && hour <= 2; ++hour) {
    t = domain::LocalToInstant(zone_, local + std::chrono::hours(hour));
  }
  return t.ok() ? *t : Instant(local.time_since_epoch());
}

LocalDate LocalClock::DateOf(Instant t) const { return domain::LocalDateOf(zone_, t); }

}  // namespace rebook::generator::internal
