// Calendar arithmetic on office-local dates and wall-clock times, for the generator.
//
// Generated times are office-hour times (05:00 to 23:00). In Germany the clocks change at
// 02:00/03:00, so these times always exist and are never ambiguous; At() still goes through
// the zone database, so the offset is right on both sides of a DST change.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_LOCAL_DAYS_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_LOCAL_DAYS_H_

#include <string>
#include <vector>

#include "services/common/clock.h"
#include "services/domain/model.h"

namespace rebook::generator::internal {

using domain::LocalDate;

LocalDate Ymd(int year, unsigned month, unsigned day);
LocalDate AddDays(LocalDate d, int days);
// Days from `a` to `b` (negative if b is earlier).
int DaysBetween(LocalDate a, LocalDate b);
// 0 = Monday ... 6 = Sunday.
int WeekdayIndex(LocalDate d);
bool IsWeekend(LocalDate d);
// All dates in [first, last], both included.
std::vector<LocalDate> DateRange(LocalDate first, LocalDate last);

// Minutes since local midnight, e.g. Hm(11, 50).
constexpr int Hm(int hours, int minutes) { return hours * 60 + minutes; }

// Converts local wall-clock times of one zone to instants. Cheap to copy.
class LocalClock {
 public:
  explicit LocalClock(std::string zone = "Europe/Berlin");

  const std::string& zone() const { return zone_; }
  // The instant when local time in the zone reads `day` + `minute_of_day`. A time skipped by a
  // DST change (never asked for by the generator) is moved forward past the gap, as calendar
  // applications do.
  Instant At(LocalDate day, int minute_of_day) const;
  // Local midnight at the start of `day`.
  Instant Midnight(LocalDate day) const { return At(day, 0); }
  LocalDate DateOf(Instant t) const;

 private:
  std::string zone_;
};

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_LOCAL_DAYS_H_
