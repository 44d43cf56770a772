#include "services/domain/calendar.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/domain/holidays.h"
#include "services/domain/local_time.h"

namespace rebook::domain {
namespace {

int DayNumber(LocalDate d) {
  return static_cast<int>(date::local_days(d).time_since_epoch().count());
}

std::int64_t Key(int office, LocalDate day) {
  return (static_cast<std::int64_t>(office) << 32) + (DayNumber(day) + (1 << 30));
}

// Sorted, merged busy intervals of each clerk.
std::unordered_map<std::string, std::vector<TimeInterval>> MergedBookings(const Scenario& s) {
  std::unordered_map<std::string, std::vector<TimeInterval>> by_clerk;
  for (const StandingBooking& b : s.bookings) {
    if (b.time.start < b.time.end) by_clerk[b.clerk_id].push_back(b.time);
  }
  for (auto& [clerk, v] : by_clerk) {
    std::sort(v.begin(), v.end(),
              [](const TimeInterval& a, const TimeInterval& b) { return a.start < b.start; });
    std::vector<TimeInterval> merged;
    for (const TimeInterval& t : v) {
      if (!merged.empty() && t.start <= merged.back().end) {
        merged.back().end = std::max(merged.back().end, t.end);
      } else {
        merged.push_back(t);
      }
    }
    v = std::move(merged);
  }
  return by_clerk;
}

// `shift` minus `busy` (sorted, merged); also returns the busy time inside the shift.
std::vector<TimeInterval> Subtract(const TimeInterval& shift, const std::vector<TimeInterval>* busy,
                                   std::int64_t& busy_seconds) {
  std::vector<TimeInterval> free;
  busy_seconds = 0;
  Instant cursor = shift.start;
  if (busy != nullptr) {
    auto it = std::lower_bound(busy->begin(), busy->end(), shift.start,
                               [](const TimeInterval& b, Instant t) { return b.end <= t; });
    for (; it != busy->end() && it->start < shift.end; ++it) {
      Instant bs = std::max(it->start, shift.start);
      Instant be = std::min(it->end, shift.end);
      if (bs > cursor) free.push_back({cursor, bs});
      busy_seconds += (be - bs).count();
      cursor = std::max(cursor, be);
    }
  }
  if (cursor < shift.end) free.push_back({cursor, shift.end});
  return free;
}

}  // namespace

absl::Status ValidateOffices(const Scenario& s) {
  for (const Office& o : s.offices) {
    if (absl::Status st = ValidateTimeZone(o.time_zone); !st.ok()) return st;
    if (!IsGermanStateCode(o.state)) {
      return absl::InvalidArgumentError(
          absl::StrCat("office ", o.id, ": unknown state code \"", o.state, "\""));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ShiftCalendar> ShiftCalendar::Build(const Scenario& s) {
  if (absl::Status st = ValidateOffices(s); !st.ok()) return st;
  ShiftCalendar cal;
  for (std::size_t i = 0; i < s.offices.size(); ++i) {
    cal.office_index_.emplace(s.offices[i].id, static_cast<int>(i));
  }
  int min_year = 1 << 20, max_year = -(1 << 20);
  for (const Shift& sh : s.shifts) {
    int y = static_cast<int>(LocalDate(date::floor<date::days>(sh.time.start)).year());
    min_year = std::min(min_year, y - 1);
    max_year = std::max(max_year, y + 1);
  }
  cal.closed_days_.resize(s.offices.size());
  for (std::size_t i = 0; i < s.offices.size(); ++i) {
    for (int y = min_year; y <= max_year; ++y) {
      absl::StatusOr<std::vector<PublicHoliday>> table = PublicHolidays(s.offices[i].state, y);
      if (!table.ok()) return table.status();
      for (const PublicHoliday& h : *table) cal.closed_days_[i].push_back(DayNumber(h.date));
    }
  }
  for (const Closure& c : s.closures) {
    int office = cal.FindOffice(c.office_id);
    if (office < 0) {
      return absl::InvalidArgumentError(absl::StrCat("closure: unknown office ", c.office_id));
    }
    cal.closed_days_[office].push_back(DayNumber(c.date));
  }
  for (auto& days : cal.closed_days_) {
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
  }

  const auto busy = MergedBookings(s);
  cal.shifts_.resize(s.shifts.size());
  for (std::size_t i = 0; i < s.shifts.size(); ++i) {
    const Shift& sh = s.shifts[i];
    ShiftInfo& info = cal.shifts_[i];
    info.office = cal.FindOffice(sh.office_id);
    if (info.office < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("shift ", sh.id, ": unknown office ", sh.office_id));
    }
    cal.clerk_shifts_[sh.clerk_id].push_back(static_cast<int>(i));
    info.day = LocalDateOf(s.offices[info.office].time_zone, sh.time.start);
    info.usable = !cal.IsClosed(info.office, info.day) && sh.time.start < sh.time.end;
    if (!info.usable) continue;
    auto it = busy.find(sh.clerk_id);
    std::int64_t busy_seconds = 0;
    info.free = Subtract(sh.time, it == busy.end() ? nullptr : &it->second, busy_seconds);
    auto [pos, inserted] = cal.office_day_index_.emplace(Key(info.office, info.day),
                                                         static_cast<int>(cal.office_days_.size()));
    if (inserted) cal.office_days_.push_back({info.office, info.day, 0, 0});
    info.office_day = pos->second;
    if (sh.kind == ShiftKind::kRegular) {
      OfficeDay& od = cal.office_days_[info.office_day];
      od.regular_seconds += sh.time.Duration().count();
      od.booked_regular_seconds += busy_seconds;
    }
  }
  for (auto& [clerk, list] : cal.clerk_shifts_) {
    std::sort(list.begin(), list.end(),
              [&](int a, int b) { return s.shifts[a].time.start < s.shifts[b].time.start; });
  }
  return cal;
}

int ShiftCalendar::FindOfficeDay(int office, LocalDate day) const {
  auto it = office_day_index_.find(Key(office, day));
  return it == office_day_index_.end() ? -1 : it->second;
}

int ShiftCalendar::FindOffice(std::string_view office_id) const {
  auto it = office_index_.find(std::string(office_id));
  return it == office_index_.end() ? -1 : it->second;
}

const std::vector<int>& ShiftCalendar::ShiftsOfClerk(std::string_view clerk_id) const {
  static const std::vector<int> kNone;
  auto it = clerk_shifts_.find(std::string(clerk_id));
  return it == clerk_shifts_.end() ? kNone : it->second;
}

bool ShiftCalendar::IsClosed(int office, LocalDate day) const {
  const std::vector<int>& days = closed_days_[office];
  return std::binary_search(days.begin(), days.end(), DayNumber(day));
}

void AssignBookingOffices(Scenario& s) {
  std::unordered_map<std::string, std::vector<const Shift*>> by_clerk;
  for (const Shift& sh : s.shifts) by_clerk[sh.clerk_id].push_back(&sh);
  for (StandingBooking& b : s.bookings) {
    if (!b.office_id.empty()) continue;
    auto it = by_clerk.find(b.clerk_id);
    if (it == by_clerk.end()) continue;
    const Shift* best = nullptr;
    std::int64_t best_overlap = 0;
    for (const Shift* sh : it->second) {
      if (sh->time.start <= b.time.start && b.time.start < sh->time.end) {
        best = sh;
        break;
      }
      Instant lo = std::max(sh->time.start, b.time.start);
      Instant hi = std::min(sh->time.end, b.time.end);
      if ((hi - lo).count() > best_overlap) {
        best_overlap = (hi - lo).count();
        best = sh;
      }
    }
    if (best != nullptr) b.office_id = best->office_id;
  }
}

}  // namespace rebook::domain
