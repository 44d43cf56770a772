#include "services/notify/local_format.h"

#include "absl/strings/str_format.h"
#include "services/domain/local_time.h"

namespace rebook::notify {
namespace {

constexpr const char* kGermanWeekdays[] = {"Sonntag",    "Montag",  "Dienstag", "Mittwoch",
                                           "Donnerstag", "Freitag", "Samstag"};
constexpr const char* kGermanMonths[] = {"Januar",    "Februar", "März",     "April",
                                         "Mai",       "Juni",    "Juli",     "August",
                                         "September", "Oktober", "November", "Dezember"};
constexpr const char* kEnglishWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
constexpr const char* kEnglishMonths[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

}  // namespace

std::string FormatLongDate(std::string_view language, std::string_view time_zone, Instant t) {
  const date::local_days day = date::floor<date::days>(domain::InstantToLocal(time_zone, t));
  const date::year_month_day ymd(day);
  const unsigned weekday = date::weekday(day).c_encoding();
  const unsigned month = static_cast<unsigned>(ymd.month()) - 1;
  const unsigned d = static_cast<unsigned>(ymd.day());
  const int y = static_cast<int>(ymd.year());
  if (language == "de") {
    return absl::StrFormat("%s, %u. %s %d", kGermanWeekdays[weekday], d, kGermanMonths[month], y);
  }
  if (language == "en") {
    return absl::StrFormat("%s, %u %s %d", kEnglishWeekdays[weekday], d, kEnglishMonths[month], y);
  }
  return FormatShortDate(time_zone, t);
}

std::string FormatShortDate(std::string_view time_zone, Instant t) {
  const date::year_month_day ymd(date::floor<date::days>(domain::InstantToLocal(time_zone, t)));
  return absl::StrFormat("%02u.%02u.%04d", static_cast<unsigned>(ymd.day()),
                         static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
}

std::string FormatClockTime(std::string_view time_zone, Instant t) {
  const domain::LocalDateTime local = domain::InstantToLocal(time_zone, t);
  const auto since_midnight = local - date::floor<date::days>(local);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count();
  return absl::StrFormat("%02d:%02d", static_cast<int>(minutes / 60),
                         static_cast<int>(minutes % 60));
}

}  // namespace rebook::notify
