#include "services/domain/local_time.h"

#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "date/tz.h"

namespace rebook::domain {
namespace {

// date::locate_zone is thread-safe but does a lookup each time; cache the pointers.
const date::time_zone* FindZone(std::string_view tz) {
  static std::mutex mu;
  static std::unordered_map<std::string, const date::time_zone*> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(std::string(tz));
  if (it != cache.end()) return it->second;
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(std::string(tz));
  } catch (const std::exception&) {
    zone = nullptr;
  }
  cache.emplace(std::string(tz), zone);
  return zone;
}

bool ParseFixed(std::string_view s, int& out) {
  if (s.empty()) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

absl::Status ValidateTimeZone(std::string_view tz) {
  if (FindZone(tz) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone \"", std::string(tz), "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<Instant> LocalToInstant(std::string_view tz, LocalDateTime local) {
  const date::time_zone* zone = FindZone(tz);
  if (zone == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown time zone \"", std::string(tz), "\""));
  }
  date::local_info info = zone->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
      return Instant(local.time_since_epoch() - info.first.offset);
    case date::local_info::ambiguous:
      return Instant(local.time_since_epoch() - info.first.offset);
    case date::local_info::nonexistent:
    default:
      return absl::InvalidArgumentError(absl::StrCat(FormatLocalDateTime(local),
                                                     " does not exist in ", std::string(tz),
                                                     " (skipped by the DST change)"));
  }
}

LocalDateTime InstantToLocal(std::string_view tz, Instant t) {
  const date::time_zone* zone = FindZone(tz);
  if (zone == nullptr) zone = date::locate_zone("UTC");
  return date::floor<std::chrono::seconds>(zone->to_local(t));
}

LocalDate LocalDateOf(std::string_view tz, Instant t) {
  return LocalDate(date::floor<date::days>(InstantToLocal(tz, t)));
}

Instant StartOfLocalDay(std::string_view tz, LocalDate day) {
  LocalDateTime midnight{date::local_days(day).time_since_epoch()};
  absl::StatusOr<Instant> t = LocalToInstant(tz, midnight);
  if (t.ok()) return *t;
  // Midnight skipped by a DST change (not in Germany): take the first valid hour.
  for (int h = 1; h <= 3; ++h) {
    t = LocalToInstant(tz, midnight + std::chrono::hours(h));
    if (t.ok()) return *t;
  }
  return Instant(midnight.time_since_epoch());
}

absl::StatusOr<LocalDateTime> ParseLocalDateTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", std::string(text), "\" is not a local time of the form YYYY-MM-DDTHH:MM"));
  };
  if (text.size() != 16 && text.size() != 19) return bad();
  if (text[10] != 'T' && text[10] != ' ') return bad();
  absl::StatusOr<LocalDate> day = ParseLocalDate(text.substr(0, 10));
  if (!day.ok()) return bad();
  int hh = 0, mm = 0, ss = 0;
  if (text[13] != ':' || !ParseFixed(text.substr(11, 2), hh) ||
      !ParseFixed(text.substr(14, 2), mm)) {
    return bad();
  }
  if (text.size() == 19 && (text[16] != ':' || !ParseFixed(text.substr(17, 2), ss))) return bad();
  if (hh > 23 || mm > 59 || ss > 59) return bad();
  return LocalDateTime(date::local_days(*day).time_since_epoch() + std::chrono::hours(hh) +
                       std::chrono::minutes(mm) + std::chrono::seconds(ss));
}

std::string FormatLocalDateTime(LocalDateTime t) {
  date::local_days day = date::floor<date::days>(t);
  date::year_month_day ymd(day);
  date::hh_mm_ss<std::chrono::seconds> hms(t - day);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d", static_cast<int>(ymd.year()),
                         static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                         hms.hours().count(), hms.minutes().count());
}

std::string FormatLocal(std::string_view tz, Instant t) {
  return FormatLocalDateTime(InstantToLocal(tz, t));
}

absl::StatusOr<LocalDate> ParseLocalDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseFixed(text.substr(0, 4), y) ||
      !ParseFixed(text.substr(5, 2), m) || !ParseFixed(text.substr(8, 2), d)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", std::string(text), "\" is not a date of the form YYYY-MM-DD"));
  }
  LocalDate date{date::year(y), date::month(static_cast<unsigned>(m)),
                 date::day(static_cast<unsigned>(d))};
  if (!date.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", std::string(text), "\" is not a valid calendar date"));
  }
  return date;
}

std::string FormatLocalDate(LocalDate d) {
  return absl::StrFormat("%04d-%02d-%02d", static_cast<int>(d.year()),
                         static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::string FormatUtc(Instant t) {
  date::sys_days day = date::floor<date::days>(t);
  date::year_month_day ymd(day);
  date::hh_mm_ss<std::chrono::seconds> hms(t - day);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                         static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                         hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

}  // namespace rebook::domain
