#include "services/rebooking/slot_explanation.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/calendar.h"
#include "services/domain/holidays.h"
#include "services/domain/local_time.h"

namespace rebook::rebooking {
namespace {

using domain::LocalDate;
using domain::TimeInterval;

std::int64_t Minutes(std::chrono::seconds s) { return s.count() / 60; }

// `from` minus every interval of `cut` (any order, may overlap).
std::vector<TimeInterval> Subtract(const std::vector<TimeInterval>& from,
                                   std::vector<TimeInterval> cut) {
  std::sort(cut.begin(), cut.end(),
            [](const TimeInterval& a, const TimeInterval& b) { return a.start < b.start; });
  std::vector<TimeInterval> out;
  for (const TimeInterval& piece : from) {
    Instant cursor = piece.start;
    for (const TimeInterval& c : cut) {
      if (c.end <= cursor || c.start >= piece.end) continue;
      if (c.start > cursor) out.push_back({cursor, c.start});
      cursor = std::max(cursor, c.end);
    }
    if (cursor < piece.end) out.push_back({cursor, piece.end});
  }
  return out;
}

// True if an interval of `needed` fits into `piece` and starts before `start_limit`.
bool Fits(const TimeInterval& piece, std::chrono::seconds needed, Instant start_limit) {
  return piece.start < start_limit && piece.Duration() >= needed;
}

// One qualified shift of the office-day, cut to the times the citizen's rules allow.
struct QualifiedTime {
  const domain::Shift* shift = nullptr;
  std::vector<TimeInterval> window;  // the shift within [lo, hi)
  std::vector<TimeInterval> free;    // ... minus the clerk's bookings
  std::vector<TimeInterval> usable;  // ... minus the citizen's unavailable times
};

struct Context {
  const domain::Scenario& s;
  const SlotQuestion& q;
  const std::unordered_map<std::string, Occupant>& occupants;
  const domain::ShiftCalendar& cal;
  std::unordered_map<std::string, std::vector<const domain::StandingBooking*>> bookings_of_clerk;
  std::unordered_map<std::string, const domain::Clerk*> clerks;
  std::chrono::seconds needed{0};
  Instant lo{}, hi{}, start_limit{};
};

std::string ClosureOrHoliday(const Context& c, const domain::Office& office, LocalDate day,
                             DayReason& reason) {
  for (const domain::Closure& cl : c.s.closures) {
    if (cl.office_id == office.id && cl.date == day) {
      reason = DayReason::kOfficeClosed;
      return cl.reason;
    }
  }
  absl::StatusOr<std::vector<domain::PublicHoliday>> table =
      domain::PublicHolidays(office.state, static_cast<int>(day.year()));
  if (table.ok()) {
    for (const domain::PublicHoliday& h : *table) {
      if (h.date == day) {
        reason = DayReason::kHoliday;
        return std::string(h.name);
      }
    }
  }
  return "";
}

// Counts other citizens' rebooked places at the qualified clerks that day, and how many of them
// had a deadline earlier than this citizen's (none: every deadline is earlier).
void CountPlaces(const Context& c, const std::vector<QualifiedTime>& qualified,
                 DayExplanation& out) {
  const std::optional<Instant>& mine = c.q.appointment.deadline;
  for (const QualifiedTime& qt : qualified) {
    auto it = c.bookings_of_clerk.find(qt.shift->clerk_id);
    if (it == c.bookings_of_clerk.end()) continue;
    for (const domain::StandingBooking* b : it->second) {
      if (!b->time.Overlaps(qt.shift->time)) continue;
      auto occ = c.occupants.find(b->id);
      if (occ == c.occupants.end()) continue;
      out.places_taken += 1;
      if (occ->second.deadline.has_value() &&
          (!mine.has_value() || *occ->second.deadline < *mine)) {
        out.priority_places += 1;
      }
    }
  }
}

// The rebooked minutes and the cap of rule 6 for the office-day.
void Reserve(const Context& c, int office_day, const std::vector<QualifiedTime>& regular_all,
             DayExplanation& out) {
  const domain::ShiftCalendar::OfficeDay& od = c.cal.office_days()[office_day];
  std::int64_t rebooked_seconds = 0;
  for (const QualifiedTime& qt : regular_all) {
    auto it = c.bookings_of_clerk.find(qt.shift->clerk_id);
    if (it == c.bookings_of_clerk.end()) continue;
    for (const domain::StandingBooking* b : it->second) {
      if (c.occupants.count(b->id) == 0 || !b->time.Overlaps(qt.shift->time)) continue;
      rebooked_seconds += (std::min(b->time.end, qt.shift->time.end) -
                           std::max(b->time.start, qt.shift->time.start))
                              .count();
    }
  }
  // The calendar counts every booking as busy; rule 6 counts only regular bookings.
  double free_regular = static_cast<double>(od.FreeRegularSeconds() + rebooked_seconds) / 60.0;
  out.rebooked_minutes = rebooked_seconds / 60;
  out.regular_cap_minutes =
      static_cast<std::int64_t>(std::floor((1.0 - c.s.params.reserve_share) * free_regular + 1e-9));
}

// The reason for one office-day; nullopt when the office has nothing earlier to explain.
std::optional<DayExplanation> ExplainDay(const Context& c, int office_index, LocalDate day,
                                         const std::vector<int>& shifts) {
  const domain::Office& office = c.s.offices[office_index];
  DayExplanation out;
  out.day = day;
  out.office_id = office.id;
  out.needed_minutes = Minutes(c.needed);
  out.reserve_percent = std::llround(c.s.params.reserve_share * 100.0);
  const date::weekday wd{date::sys_days(day)};
  const bool weekend = wd == date::Saturday || wd == date::Sunday;
  if (weekend && shifts.empty()) return std::nullopt;
  out.detail = ClosureOrHoliday(c, office, day, out.reason);
  if (!out.detail.empty() || out.reason == DayReason::kOfficeClosed) return out;
  if (shifts.empty()) {
    out.reason = DayReason::kNoOpening;
    return out;
  }

  std::vector<QualifiedTime> qualified;
  for (int i : shifts) {
    const domain::Shift& sh = c.s.shifts[i];
    auto clerk = c.clerks.find(sh.clerk_id);
    if (clerk == c.clerks.end()) continue;
    const std::vector<std::string>& skills = clerk->second->skills;
    if (std::find(skills.begin(), skills.end(), c.q.appointment.service_id) == skills.end()) {
      continue;
    }
    qualified.push_back({&sh, {}, {}, {}});
  }
  if (qualified.empty()) {
    out.reason = DayReason::kNoQualifiedClerk;
    return out;
  }

  Instant latest_end = Instant::min();
  bool any_window = false;
  for (QualifiedTime& qt : qualified) {
    latest_end = std::max(latest_end, qt.shift->time.end);
    TimeInterval w{std::max(qt.shift->time.start, c.lo), std::min(qt.shift->time.end, c.hi)};
    if (w.start >= w.end) continue;
    any_window = true;
    w.end = std::min(w.end, c.start_limit);  // only times before the slot count
    if (w.start >= w.end) continue;
    qt.window = {w};
    std::vector<TimeInterval> busy;
    auto it = c.bookings_of_clerk.find(qt.shift->clerk_id);
    if (it != c.bookings_of_clerk.end()) {
      for (const domain::StandingBooking* b : it->second) busy.push_back(b->time);
    }
    qt.free = Subtract(qt.window, busy);
    qt.usable = Subtract(qt.free, c.q.appointment.unavailable);
  }
  if (!any_window) {
    const domain::Appointment& a = c.q.appointment;
    if (latest_end <= c.s.params.horizon_start) {
      out.reason = DayReason::kBeforeNotice;
    } else if (a.earliest_start.has_value() && latest_end <= *a.earliest_start) {
      out.reason = DayReason::kBeforeEarliest;
    } else {
      out.reason = DayReason::kAfterDeadline;
    }
    return out;
  }

  bool fits_free = false, fits_usable = false, fits_overtime = false;
  bool any_before_slot = false;
  for (const QualifiedTime& qt : qualified) {
    any_before_slot = any_before_slot || !qt.window.empty();
    for (const TimeInterval& f : qt.free) {
      out.free_minutes += Minutes(f.Duration());
      fits_free = fits_free || Fits(f, c.needed, c.start_limit);
    }
    for (const TimeInterval& u : qt.usable) {
      if (u.start >= c.start_limit) continue;
      out.longest_free_minutes = std::max(out.longest_free_minutes, Minutes(u.Duration()));
      if (!Fits(u, c.needed, c.start_limit)) continue;
      fits_usable = true;
      fits_overtime = fits_overtime || qt.shift->kind == domain::ShiftKind::kOvertime;
    }
  }
  if (!any_before_slot) return std::nullopt;  // the slot is the day's first qualified time
  CountPlaces(c, qualified, out);
  if (!fits_free) {
    out.reason = out.priority_places > 0 ? DayReason::kDeadlinePriority : DayReason::kFull;
    return out;
  }
  if (!fits_usable) {
    out.reason = DayReason::kCitizenUnavailable;
    return out;
  }
  out.reason = DayReason::kFreeUnused;
  int office_day = c.cal.FindOfficeDay(office_index, day);
  if (!fits_overtime && office_day >= 0) {
    std::vector<QualifiedTime> regular;
    for (int i : shifts) {
      if (c.s.shifts[i].kind == domain::ShiftKind::kRegular) regular.push_back({&c.s.shifts[i]});
    }
    Reserve(c, office_day, regular, out);
    if (out.rebooked_minutes + out.needed_minutes > out.regular_cap_minutes) {
      out.reason = DayReason::kReserve;
    }
  }
  return out;
}

}  // namespace

std::string_view ToString(DayReason r) {
  switch (r) {
    case DayReason::kOfficeClosed:
      return "office_closed";
    case DayReason::kHoliday:
      return "holiday";
    case DayReason::kNoOpening:
      return "no_opening";
    case DayReason::kNoQualifiedClerk:
      return "no_qualified_clerk";
    case DayReason::kBeforeNotice:
      return "minimum_notice";
    case DayReason::kBeforeEarliest:
      return "before_earliest_start";
    case DayReason::kAfterDeadline:
      return "after_deadline";
    case DayReason::kFull:
      return "full";
    case DayReason::kDeadlinePriority:
      return "deadline_priority";
    case DayReason::kCitizenUnavailable:
      return "citizen_unavailable";
    case DayReason::kReserve:
      return "reserve";
    case DayReason::kFreeUnused:
      return "free";
  }
  return "unknown";
}

absl::StatusOr<SlotExplanation> ExplainSlot(
    const domain::Scenario& s, const SlotQuestion& q,
    const std::unordered_map<std::string, Occupant>& occupants) {
  const domain::Appointment& a = q.appointment;
  auto service = std::find_if(s.services.begin(), s.services.end(),
                              [&](const domain::Service& sv) { return sv.id == a.service_id; });
  if (service == s.services.end()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown service type \"", a.service_id, "\""));
  }
  REBOOK_ASSIGN_OR_RETURN(domain::ShiftCalendar cal, domain::ShiftCalendar::Build(s));
  Context c{s, q, occupants, cal, {}, {}, {}, {}, {}, {}};
  for (const domain::StandingBooking& b : s.bookings) c.bookings_of_clerk[b.clerk_id].push_back(&b);
  for (const domain::Clerk& cl : s.clerks) c.clerks.emplace(cl.id, &cl);
  c.needed = std::chrono::minutes(std::int64_t{service->duration_min} * std::max(1, a.cases));
  c.lo = std::max(s.params.horizon_start, a.earliest_start.value_or(s.params.horizon_start));
  c.hi = std::min(s.params.horizon_end, a.deadline.value_or(s.params.horizon_end));
  c.start_limit = q.slot.has_value() ? q.slot->time.start : Instant::max();

  SlotExplanation e;
  e.appointment_id = a.id;
  e.appointment_office_id = a.office_id;
  e.service_id = a.service_id;
  e.slot = q.slot;
  e.earliest_possible = c.lo;
  e.allowed_offices = a.EffectiveAllowedOffices();
  e.only_original_office =
      e.allowed_offices.size() == 1 && e.allowed_offices.front() == a.office_id;

  // The shifts of each office-day, by the calendar's day of a shift.
  std::map<std::pair<int, int>, std::vector<int>> shifts_of_day;
  for (std::size_t i = 0; i < s.shifts.size(); ++i) {
    const domain::ShiftCalendar::ShiftInfo& info = cal.shift(i);
    int day_number = date::sys_days(info.day).time_since_epoch().count();
    shifts_of_day[{info.office, day_number}].push_back(static_cast<int>(i));
  }
  std::vector<int> offices;
  for (const std::string& id : e.allowed_offices) {
    int index = cal.FindOffice(id);
    if (index < 0) return absl::InvalidArgumentError(absl::StrCat("unknown office \"", id, "\""));
    offices.push_back(index);
  }
  const std::string& first_zone = s.offices[offices.front()].time_zone;
  const LocalDate first = domain::LocalDateOf(first_zone, s.params.horizon_start);
  e.slot_day =
      q.slot.has_value()
          ? domain::LocalDateOf(s.offices[std::max(0, cal.FindOffice(q.slot->office_id))].time_zone,
                                q.slot->time.start)
          : domain::LocalDateOf(first_zone, s.params.horizon_end - std::chrono::seconds(1));
  for (date::sys_days d{first}; d <= date::sys_days(e.slot_day); d += date::days(1)) {
    const int day_number = d.time_since_epoch().count();
    for (int office : offices) {
      auto it = shifts_of_day.find({office, day_number});
      static const std::vector<int> kNone;
      std::optional<DayExplanation> x =
          ExplainDay(c, office, LocalDate(d), it == shifts_of_day.end() ? kNone : it->second);
      if (x.has_value()) e.days.push_back(std::move(*x));
    }
  }
  return e;
}

}  // namespace rebook::rebooking
