#include "services/generator/scenario_check.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/domain/holidays.h"
#include "services/domain/local_time.h"

namespace rebook::generator {
namespace {

using domain::Scenario;

absl::Status Fail(std::string what) { return absl::FailedPreconditionError(std::move(what)); }

class Checker {
 public:
  explicit Checker(const Scenario& s) : s_(s) {}

  absl::Status Run() {
    if (absl::Status st = Params(); !st.ok()) return st;
    if (absl::Status st = Offices(); !st.ok()) return st;
    if (absl::Status st = ServicesAndClerks(); !st.ok()) return st;
    if (absl::Status st = Shifts(); !st.ok()) return st;
    if (absl::Status st = Bookings(); !st.ok()) return st;
    return Appointments();
  }

 private:
  struct ShiftWindow {
    Instant start;
    Instant end;
  };

  absl::Status Params() {
    const domain::PlanParams& p = s_.params;
    if (p.horizon_end <= p.horizon_start) return Fail("params: empty horizon");
    if (p.reserve_share < 0 || p.reserve_share > 1)
      return Fail("params: reserve_share not in [0, 1]");
    if (s_.offices.empty()) return Fail("no offices");
    return absl::OkStatus();
  }

  absl::Status Offices() {
    for (const domain::Office& o : s_.offices) {
      if (!domain::IsValidId(o.id) || !zones_.emplace(o.id, o.time_zone).second) {
        return Fail(absl::StrCat("office \"", o.id, "\": invalid or duplicate id"));
      }
      if (absl::Status st = domain::ValidateTimeZone(o.time_zone); !st.ok()) return st;
      if (o.state.empty()) return Fail(absl::StrCat("office ", o.id, ": no state"));
      states_[o.id] = o.state;
    }
    // params.csv times are in the offices' zone; all generated offices share one.
    const std::string& zone = s_.offices.front().time_zone;
    if (absl::Status st = Time("params", "horizon_start", zone, s_.params.horizon_start);
        !st.ok()) {
      return st;
    }
    if (absl::Status st = Time("params", "horizon_end", zone, s_.params.horizon_end); !st.ok()) {
      return st;
    }
    for (const domain::Closure& c : s_.closures) {
      if (!zones_.contains(c.office_id))
        return Fail(absl::StrCat("closure: unknown office ", c.office_id));
      closures_.insert({c.office_id, date::sys_days(c.date).time_since_epoch().count()});
    }
    return absl::OkStatus();
  }

  absl::Status ServicesAndClerks() {
    for (const domain::Service& sv : s_.services) {
      if (!domain::IsValidId(sv.id) || !durations_.emplace(sv.id, sv.duration_min).second) {
        return Fail(absl::StrCat("service \"", sv.id, "\": invalid or duplicate id"));
      }
      if (sv.duration_min <= 0) return Fail(absl::StrCat("service ", sv.id, ": duration <= 0"));
    }
    for (const domain::Clerk& c : s_.clerks) {
      if (!domain::IsValidId(c.id) || !skills_.emplace(c.id, &c.skills).second) {
        return Fail(absl::StrCat("clerk \"", c.id, "\": invalid or duplicate id"));
      }
      for (const std::string& skill : c.skills) {
        if (!durations_.contains(skill)) {
          return Fail(absl::StrCat("clerk ", c.id, ": unknown skill ", skill));
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status Shifts() {
    std::set<std::pair<std::string, std::string>> ids;
    for (const domain::Shift& sh : s_.shifts) {
      const std::string where = absl::StrCat("shift ", sh.id);
      if (!domain::IsValidId(sh.id) || !ids.insert({sh.office_id, sh.id}).second) {
        return Fail(absl::StrCat(where, ": invalid or duplicate id"));
      }
      auto zone = zones_.find(sh.office_id);
      auto skills = skills_.find(sh.clerk_id);
      if (zone == zones_.end() || skills == skills_.end()) {
        return Fail(absl::StrCat(where, ": unknown office or clerk"));
      }
      if (absl::Status st = Time(where, "start", zone->second, sh.time.start); !st.ok()) return st;
      if (absl::Status st = Time(where, "end", zone->second, sh.time.end); !st.ok()) return st;
      if (sh.time.end <= sh.time.start) return Fail(absl::StrCat(where, ": ends before it starts"));
      const domain::LocalDate day = domain::LocalDateOf(zone->second, sh.time.start);
      if (domain::LocalDateOf(zone->second, sh.time.end - std::chrono::seconds(1)) != day) {
        return Fail(absl::StrCat(where, ": spans two local days"));
      }
      clerk_shifts_[sh.clerk_id].push_back(&sh);
      if (!Usable(sh.office_id, day)) continue;
      for (const std::string& skill : *skills->second) {
        usable_[Key(sh.office_id, skill)].push_back({sh.time.start, sh.time.end});
      }
    }
    // Latest first: Appointments() looks for room before the horizon's end.
    for (auto& [key, windows] : usable_) {
      std::sort(windows.begin(), windows.end(),
                [](const ShiftWindow& a, const ShiftWindow& b) { return a.end > b.end; });
    }
    return absl::OkStatus();
  }

  absl::Status Bookings() {
    std::unordered_set<std::string> ids;
    std::unordered_map<std::string, std::vector<domain::TimeInterval>> by_clerk;
    for (const domain::StandingBooking& b : s_.bookings) {
      const std::string where = absl::StrCat("booking ", b.id);
      if (!domain::IsValidId(b.id) || !ids.insert(b.id).second) {
        return Fail(absl::StrCat(where, ": invalid or duplicate id"));
      }
      auto zone = zones_.find(b.office_id);
      if (zone == zones_.end() || !skills_.contains(b.clerk_id)) {
        return Fail(absl::StrCat(where, ": unknown office or clerk"));
      }
      if (absl::Status st = Time(where, "start", zone->second, b.time.start); !st.ok()) return st;
      if (absl::Status st = Time(where, "end", zone->second, b.time.end); !st.ok()) return st;
      const auto& shifts = clerk_shifts_[b.clerk_id];
      const bool inside = std::any_of(shifts.begin(), shifts.end(), [&](const domain::Shift* sh) {
        return sh->office_id == b.office_id && sh->time.Contains(b.time);
      });
      if (!inside || b.time.end <= b.time.start) {
        return Fail(absl::StrCat(where, ": not inside a shift of its clerk at its office"));
      }
      by_clerk[b.clerk_id].push_back(b.time);
    }
    for (auto& [clerk, times] : by_clerk) {
      std::sort(times.begin(), times.end(),
                [](const auto& a, const auto& b) { return a.start < b.start; });
      for (std::size_t i = 1; i < times.size(); ++i) {
        if (times[i].start < times[i - 1].end) {
          return Fail(absl::StrCat("clerk ", clerk, ": overlapping standing bookings"));
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status Appointments() {
    std::unordered_set<std::string> ids;
    for (const domain::Appointment& a : s_.appointments) {
      const std::string where = absl::StrCat("appointment ", a.id);
      if (!domain::IsValidId(a.id) || !ids.insert(a.id).second) {
        return Fail(absl::StrCat(where, ": invalid or duplicate id"));
      }
      auto zone = zones_.find(a.office_id);
      auto duration = durations_.find(a.service_id);
      if (zone == zones_.end() || duration == durations_.end()) {
        return Fail(absl::StrCat(where, ": unknown office or service"));
      }
      if (a.priority < 1 || a.priority > 10 || a.cases < 1) {
        return Fail(absl::StrCat(where, ": priority or cases out of range"));
      }
      const std::string& tz = zone->second;
      if (absl::Status st = Times(where, tz, a); !st.ok()) return st;
      const Instant from = std::max(s_.params.horizon_start, a.earliest_start.value_or(Instant{}));
      const auto needed = std::chrono::minutes(a.cases * duration->second);
      bool servable = false;
      for (const std::string& office : a.EffectiveAllowedOffices()) {
        if (!zones_.contains(office)) return Fail(absl::StrCat(where, ": unknown allowed office"));
        servable = servable || HasRoom(Key(office, a.service_id), from, needed);
      }
      if (!servable) {
        return Fail(absl::StrCat(where, ": no qualified clerk with a usable shift at an allowed ",
                                 "office that fits it in the horizon"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status Times(const std::string& where, const std::string& tz,
                     const domain::Appointment& a) {
    if (absl::Status st = Time(where, "original_start", tz, a.original_start); !st.ok()) return st;
    if (a.earliest_start) {
      if (absl::Status st = Time(where, "earliest_start", tz, *a.earliest_start); !st.ok())
        return st;
    }
    if (a.deadline) {
      if (absl::Status st = Time(where, "deadline", tz, *a.deadline); !st.ok()) return st;
      if (a.earliest_start && *a.deadline <= *a.earliest_start) {
        return Fail(absl::StrCat(where, ": deadline not after earliest_start"));
      }
    }
    for (const domain::TimeInterval& u : a.unavailable) {
      if (absl::Status st = Time(where, "unavailable", tz, u.start); !st.ok()) return st;
      if (absl::Status st = Time(where, "unavailable", tz, u.end); !st.ok()) return st;
      if (u.end <= u.start) return Fail(absl::StrCat(where, ": empty unavailable interval"));
    }
    return absl::OkStatus();
  }

  bool HasRoom(const std::string& key, Instant from, std::chrono::seconds needed) const {
    auto it = usable_.find(key);
    if (it == usable_.end()) return false;
    for (const ShiftWindow& w : it->second) {
      const Instant end = std::min(w.end, s_.params.horizon_end);
      if (end - from < needed) return false;  // sorted by end: no later window is left
      if (end - std::max(w.start, from) >= needed) return true;
    }
    return false;
  }

  // A whole minute that reads back to itself through the zone's local time.
  static absl::Status Time(const std::string& where, const char* field, const std::string& tz,
                           Instant t) {
    if (t.time_since_epoch() % std::chrono::minutes(1) != std::chrono::seconds(0)) {
      return Fail(absl::StrCat(where, ": ", field, " is not a whole minute"));
    }
    absl::StatusOr<Instant> back = domain::LocalToInstant(tz, domain::InstantToLocal(tz, t));
    if (!back.ok() || *back != t) {
      return Fail(absl::StrCat(where, ": ", field, " ", domain::FormatUtc(t),
                               " has no unique local time in ", tz));
    }
    return absl::OkStatus();
  }

  bool Usable(const std::string& office, domain::LocalDate day) const {
    if (holidays_.IsHoliday(states_.at(office), day)) return false;
    return !closures_.contains({office, date::sys_days(day).time_since_epoch().count()});
  }

  static std::string Key(const std::string& office, const std::string& service) {
    return absl::StrCat(office, "\x1f", service);
  }

  const Scenario& s_;
  mutable domain::HolidayCalendar holidays_;
  std::unordered_map<std::string, std::string> zones_;
  std::unordered_map<std::string, std::string> states_;
  std::set<std::pair<std::string, long>> closures_;
  std::unordered_map<std::string, int> durations_;
  std::unordered_map<std::string, const std::vector<std::string>*> skills_;
  std::unordered_map<std::string, std::vector<const domain::Shift*>> clerk_shifts_;
  std::unordered_map<std::string, std::vector<ShiftWindow>> usable_;
};

}  // namespace

absl::Status CheckScenario(const domain::Scenario& scenario) { return Checker(scenario).Run(); }

}  // namespace rebook::generator
