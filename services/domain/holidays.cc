#include "services/domain/holidays.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace rebook::domain {
namespace {

using date::days;
using date::local_days;

LocalDate Ymd(int y, unsigned m, unsigned d) {
  return LocalDate{date::year(y), date::month(m), date::day(d)};
}

LocalDate Offset(LocalDate d, int n) { return LocalDate(local_days(d) + days(n)); }

bool In(std::string_view state, std::initializer_list<std::string_view> states) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

// Buß- und Bettag: the Wednesday before 23 November (between 16 and 22 November).
LocalDate RepentanceDay(int year) {
  local_days nov22 = local_days(Ymd(year, 11, 22));
  date::weekday wd(nov22);
  int back = (static_cast<int>(wd.c_encoding()) - 3 + 7) % 7;  // 3 = Wednesday
  return LocalDate(nov22 - days(back));
}

}  // namespace

const std::vector<std::string_view>& GermanStateCodes() {
  static const std::vector<std::string_view> kCodes = {
      "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
      "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH"};
  return kCodes;
}

bool IsGermanStateCode(std::string_view state) {
  const auto& codes = GermanStateCodes();
  return std::find(codes.begin(), codes.end(), state) != codes.end();
}

LocalDate EasterSunday(int year) {
  int a = year % 19;
  int b = year / 100;
  int c = year % 100;
  int d = b / 4;
  int e = b % 4;
  int f = (b + 8) / 25;
  int g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4;
  int k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = ((h + l - 7 * m + 114) % 31) + 1;
  return Ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

absl::StatusOr<std::vector<PublicHoliday>> PublicHolidays(std::string_view s, int y) {
  if (!IsGermanStateCode(s)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", std::string(s), "\" is not a German state code (DE-BW ... DE-TH)"));
  }
  const LocalDate easter = EasterSunday(y);
  std::vector<PublicHoliday> out = {
      {Ymd(y, 1, 1), "Neujahr"},
      {Offset(easter, -2), "Karfreitag"},
      {Offset(easter, 1), "Ostermontag"},
      {Ymd(y, 5, 1), "Tag der Arbeit"},
      {Offset(easter, 39), "Christi Himmelfahrt"},
      {Offset(easter, 50), "Pfingstmontag"},
      {Ymd(y, 10, 3), "Tag der Deutschen Einheit"},
      {Ymd(y, 12, 25), "1. Weihnachtstag"},
      {Ymd(y, 12, 26), "2. Weihnachtstag"},
  };
  auto add = [&](LocalDate d, std::string_view name) { out.push_back({d, name}); };
  if (In(s, {"DE-BW", "DE-BY", "DE-ST"})) add(Ymd(y, 1, 6), "Heilige Drei Könige");
  if ((s == "DE-BE" && y >= 2019) || (s == "DE-MV" && y >= 2023)) {
    add(Ymd(y, 3, 8), "Internationaler Frauentag");
  }
  if (s == "DE-BB") {
    add(easter, "Ostersonntag");
    add(Offset(easter, 49), "Pfingstsonntag");
  }
  if (s == "DE-BE" && (y == 2020 || y == 2025)) add(Ymd(y, 5, 8), "Tag der Befreiung");
  if (In(s, {"DE-BW", "DE-BY", "DE-HE", "DE-NW", "DE-RP", "DE-SL"})) {
    add(Offset(easter, 60), "Fronleichnam");
  }
  if (In(s, {"DE-SL", "DE-BY"})) add(Ymd(y, 8, 15), "Mariä Himmelfahrt");
  if (s == "DE-TH" && y >= 2019) add(Ymd(y, 9, 20), "Weltkindertag");
  bool reformation = In(s, {"DE-BB", "DE-MV", "DE-SN", "DE-ST", "DE-TH"}) ||
                     (In(s, {"DE-HB", "DE-HH", "DE-NI", "DE-SH"}) && y >= 2018) || y == 2017;
  if (reformation) add(Ymd(y, 10, 31), "Reformationstag");
  if (In(s, {"DE-BW", "DE-BY", "DE-NW", "DE-RP", "DE-SL"})) add(Ymd(y, 11, 1), "Allerheiligen");
  if (s == "DE-SN") add(RepentanceDay(y), "Buß- und Bettag");
  std::sort(out.begin(), out.end(),
            [](const PublicHoliday& a, const PublicHoliday& b) { return a.date < b.date; });
  return out;
}

bool HolidayCalendar::IsHoliday(std::string_view state, LocalDate day) {
  const int year = static_cast<int>(day.year());
  auto key = std::make_pair(std::string(state), year);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    std::vector<LocalDate> dates;
    absl::StatusOr<std::vector<PublicHoliday>> table = PublicHolidays(state, year);
    if (table.ok()) {
      for (const PublicHoliday& h : *table) dates.push_back(h.date);
    }
    it = cache_.emplace(std::move(key), std::move(dates)).first;
  }
  return std::binary_search(it->second.begin(), it->second.end(), day);
}

}  // namespace rebook::domain
