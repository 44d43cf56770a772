// ZMS availabilities: opening times with a number of workstations, repeated by weekday.
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/interop/zms_records.h"

namespace rebook::interop::internal {
namespace {

constexpr const char* kWeekdays[7] = {"sunday",   "monday", "tuesday", "wednesday",
                                      "thursday", "friday", "saturday"};

absl::StatusOr<int> SmallInt(const JsonCursor& c, int fallback, int lo, int hi) {
  REBOOK_ASSIGN_OR_RETURN(std::optional<std::int64_t> v, c.OptionalInt());
  if (!v) return fallback;
  if (*v < lo || *v > hi) return c.Error(absl::StrCat(*v, " is not in [", lo, ", ", hi, "]"));
  return static_cast<int>(*v);
}

absl::StatusOr<domain::LocalDate> DayOf(const JsonCursor& c, const std::string& tz) {
  REBOOK_ASSIGN_OR_RETURN(std::int64_t t, c.Int());
  if (t <= 0) return c.Error("is not a unix timestamp");
  return domain::LocalDateOf(tz, Instant(std::chrono::seconds(t)));
}

}  // namespace

absl::StatusOr<int> ParseClockTime(const JsonCursor& c) {
  REBOOK_ASSIGN_OR_RETURN(std::string text, c.String());
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  int h = -1, m = -1, s = 0;
  bool ok = (parts.size() == 2 || parts.size() == 3) && absl::SimpleAtoi(parts[0], &h) &&
            absl::SimpleAtoi(parts[1], &m) && (parts.size() == 2 || absl::SimpleAtoi(parts[2], &s));
  if (!ok || h < 0 || m < 0 || m > 59 || s < 0 || s > 59 || h * 60 + m > 24 * 60 ||
      (h == 24 && (m > 0 || s > 0))) {
    return c.Error(absl::StrCat("\"", text, "\" is not a time of day (HH:MM or HH:MM:SS)"));
  }
  return h * 60 + m;
}

bool ZmsAvailability::AppliesOn(domain::LocalDate day) const {
  if (day < first_day || day > last_day) return false;
  date::weekday wd{date::sys_days{day}};
  if (!weekdays[wd.c_encoding()]) return false;
  if (after_weeks > 0) {
    auto weeks = (date::sys_days{day} - date::sys_days{first_day}).count() / 7;
    if (weeks % after_weeks != 0) return false;
  }
  if (week_of_month > 0) {
    unsigned d = static_cast<unsigned>(day.day());
    if (week_of_month == 5) {
      date::year_month_day_last last{day.year(), date::month_day_last{day.month()}};
      if (d + 7 <= static_cast<unsigned>(last.day())) return false;
    } else if (static_cast<int>((d - 1) / 7 + 1) != week_of_month) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::optional<ZmsAvailability>> ReadAvailability(
    const JsonCursor& rec, const std::map<std::string, std::string>& zones) {
  if (!rec.IsObject()) return rec.Error("is not an object");
  REBOOK_ASSIGN_OR_RETURN(std::string type, rec.Get("type").String());
  if (!type.empty() && type != "appointment") return std::optional<ZmsAvailability>();
  ZmsAvailability a;
  a.path = rec.path();
  JsonCursor scope_id = rec.Get("scope").Get("id");
  REBOOK_ASSIGN_OR_RETURN(std::int64_t scope, scope_id.Int());
  a.office_id = absl::StrCat(scope);
  auto zone = zones.find(a.office_id);
  if (zone == zones.end()) {
    return scope_id.Error(absl::StrCat("scope ", scope, " is not in scopes.json"));
  }
  REBOOK_ASSIGN_OR_RETURN(a.first_day, DayOf(rec.Get("startDate"), zone->second));
  REBOOK_ASSIGN_OR_RETURN(a.last_day, DayOf(rec.Get("endDate"), zone->second));
  if (a.last_day < a.first_day) return rec.Get("endDate").Error("lies before startDate");
  JsonCursor weekday = rec.Get("weekday");
  bool any = false;
  for (int d = 0; d < 7; ++d) {
    REBOOK_ASSIGN_OR_RETURN(a.weekdays[d], weekday.Get(kWeekdays[d]).Flag());
    any = any || a.weekdays[d];
  }
  if (!any) return weekday.Error("names no weekday");
  REBOOK_ASSIGN_OR_RETURN(a.after_weeks, SmallInt(rec.Get("repeat").Get("afterWeeks"), 0, 0, 52));
  REBOOK_ASSIGN_OR_RETURN(a.week_of_month, SmallInt(rec.Get("repeat").Get("weekOfMonth"), 0, 0, 5));
  REBOOK_ASSIGN_OR_RETURN(a.start_min, ParseClockTime(rec.Get("startTime")));
  REBOOK_ASSIGN_OR_RETURN(a.end_min, ParseClockTime(rec.Get("endTime")));
  if (a.end_min <= a.start_min) return rec.Get("endTime").Error("is not after startTime");
  JsonCursor count = rec.Get("workstationCount");
  REBOOK_ASSIGN_OR_RETURN(a.workstations, SmallInt(count.Get("intern"), 0, 0, 200));
  if (a.workstations == 0) {
    REBOOK_ASSIGN_OR_RETURN(a.workstations, SmallInt(count.Get("public"), 0, 0, 200));
  }
  if (a.workstations == 0) {
    return count.Error("has no workstation (intern and public are 0 or missing)");
  }
  REBOOK_ASSIGN_OR_RETURN(int slot, SmallInt(rec.Get("slotTimeInMinutes"), 0, 0, 24 * 60));
  if (slot > 0) a.slot_minutes = slot;
  return std::optional<ZmsAvailability>(std::move(a));
}

}  // namespace rebook::interop::internal
