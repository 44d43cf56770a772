// German public holidays by state (ISO 3166-2 code, e.g. "DE-ST").
//
// The table covers the statutory holidays of each whole state, including the Easter-based
// movable feasts. Holidays that only some municipalities keep are handled like this:
//   - Mariä Himmelfahrt (15 Aug) counts for DE-SL and for DE-BY. In Bavaria it is a holiday in the
//     predominantly Catholic municipalities (about 1,700 of 2,056, Munich included); an office
//     only knows its state, and planning on a day an office may be closed is worse than losing
//     that day, so rebook treats it as closed everywhere in Bavaria.
//   - Fronleichnam in parts of DE-SN and DE-TH, and the Augsburger Friedensfest (8 Aug, city of
//     Augsburg only) are not included: a closure in closures.csv covers those offices.
// One-off holidays are included: Reformationstag 2017 (all states) and Tag der Befreiung in
// Berlin (8 May 2020 and 2025). Rules that changed are applied by year (e.g. Frauentag in Berlin
// from 2019, in Mecklenburg-Vorpommern from 2023; Reformationstag in HB, HH, NI, SH from 2018;
// Weltkindertag in Thuringia from 2019).
//
//   absl::StatusOr<std::vector<PublicHoliday>> h = PublicHolidays("DE-ST", 2026);
//   HolidayCalendar cal;  bool closed = cal.IsHoliday("DE-BY", date::year{2026}/8/15);
//
// Thread safety: the free functions are pure. HolidayCalendar is not thread-safe (it caches).
#ifndef REBOOK_SERVICES_DOMAIN_HOLIDAYS_H_
#define REBOOK_SERVICES_DOMAIN_HOLIDAYS_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::domain {

struct PublicHoliday {
  LocalDate date;
  std::string_view name;  // German name, e.g. "Karfreitag"; points to a static string
  friend bool operator==(const PublicHoliday&, const PublicHoliday&) = default;
};

// The 16 state codes, "DE-BW" ... "DE-TH".
const std::vector<std::string_view>& GermanStateCodes();
bool IsGermanStateCode(std::string_view state);

// Easter Sunday (Gregorian calendar) of `year`, by the anonymous Gregorian algorithm.
LocalDate EasterSunday(int year);

// The public holidays of `state` in `year`, sorted by date. InvalidArgument for unknown states.
absl::StatusOr<std::vector<PublicHoliday>> PublicHolidays(std::string_view state, int year);

// Answers "is this date a holiday in this state" quickly, caching one table per state and year.
// Unknown states have no holidays (validate them with IsGermanStateCode first).
class HolidayCalendar {
 public:
  bool IsHoliday(std::string_view state, LocalDate day);

 private:
  std::map<std::pair<std::string, int>, std::vector<LocalDate>> cache_;
};

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_HOLIDAYS_H_
