#include "services/generator/scenario_stats.h"

#include <array>
#include <chrono>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/domain/holidays.h"
#include "services/domain/local_time.h"

namespace rebook::generator {
namespace {

constexpr int kCategories = 6;

std::int64_t Minutes(const domain::TimeInterval& t) {
  return std::chrono::duration_cast<std::chrono::minutes>(t.Duration()).count();
}

struct ClerkMinutes {
  std::int64_t regular = 0;
  std::int64_t booked = 0;
  std::int64_t overtime = 0;
  std::int64_t week1_regular = 0;
  std::int64_t week1_booked = 0;
  std::int64_t week1_overtime = 0;
  std::array<bool, kCategories> categories{};
};

}  // namespace

ScenarioStats ComputeStats(const domain::Scenario& s) {
  ScenarioStats st;
  st.offices = static_cast<std::int64_t>(s.offices.size());
  st.services = static_cast<std::int64_t>(s.services.size());
  st.clerks = static_cast<std::int64_t>(s.clerks.size());
  st.shifts = static_cast<std::int64_t>(s.shifts.size());
  st.closures = static_cast<std::int64_t>(s.closures.size());
  st.bookings = static_cast<std::int64_t>(s.bookings.size());
  st.reserve_share = s.params.reserve_share;

  std::unordered_map<std::string, const domain::Office*> offices;
  for (const domain::Office& o : s.offices) offices[o.id] = &o;
  std::unordered_map<std::string, const domain::Service*> services;
  for (const domain::Service& sv : s.services) services[sv.id] = &sv;
  domain::HolidayCalendar holidays;
  std::set<std::pair<std::string, long>> closed;
  for (const domain::Closure& c : s.closures) {
    closed.insert({c.office_id, date::sys_days(c.date).time_since_epoch().count()});
  }

  std::unordered_map<std::string, ClerkMinutes> clerks;
  for (const domain::Clerk& c : s.clerks) {
    ClerkMinutes& m = clerks[c.id];
    for (const std::string& skill : c.skills) {
      auto it = services.find(skill);
      if (it != services.end()) m.categories[static_cast<int>(it->second->category)] = true;
    }
  }
  const Instant week1_end = s.params.horizon_start + std::chrono::hours(24 * 7);
  // Regular time on unusable days does not count, nor do bookings in it.
  std::set<std::pair<std::string, std::int64_t>> unusable_days;  // (clerk, local midnight)
  for (const domain::Shift& sh : s.shifts) {
    const domain::Office& office = *offices.at(sh.office_id);
    const domain::LocalDate day = domain::LocalDateOf(office.time_zone, sh.time.start);
    const bool usable =
        !holidays.IsHoliday(office.state, day) &&
        !closed.contains({sh.office_id, date::sys_days(day).time_since_epoch().count()});
    ClerkMinutes& m = clerks[sh.clerk_id];
    const bool week1 = sh.time.start < week1_end;
    if (!usable) {
      ++st.unusable_shifts;
      unusable_days.insert({sh.clerk_id, date::sys_days(day).time_since_epoch().count()});
    } else if (sh.kind == domain::ShiftKind::kOvertime) {
      m.overtime += Minutes(sh.time);
      if (week1) m.week1_overtime += Minutes(sh.time);
    } else {
      m.regular += Minutes(sh.time);
      if (week1) m.week1_regular += Minutes(sh.time);
    }
    if (sh.kind == domain::ShiftKind::kOvertime) ++st.overtime_shifts;
  }
  for (const domain::StandingBooking& b : s.bookings) {
    const domain::Office& office = *offices.at(b.office_id);
    const domain::LocalDate day = domain::LocalDateOf(office.time_zone, b.time.start);
    if (unusable_days.contains({b.clerk_id, date::sys_days(day).time_since_epoch().count()})) {
      continue;
    }
    clerks[b.clerk_id].booked += Minutes(b.time);
    if (b.time.start < week1_end) clerks[b.clerk_id].week1_booked += Minutes(b.time);
  }

  std::array<CategoryStats, kCategories> cats{};
  for (int i = 0; i < kCategories; ++i) cats[i].category = static_cast<domain::ServiceCategory>(i);
  for (const auto& [id, m] : clerks) {
    for (int i = 0; i < kCategories; ++i) {
      if (!m.categories[i]) continue;
      cats[i].regular_min += m.regular;
      cats[i].booked_min += m.booked;
      cats[i].overtime_min += m.overtime;
      cats[i].week1_regular_min += m.week1_regular;
      cats[i].week1_booked_min += m.week1_booked;
      cats[i].week1_overtime_min += m.week1_overtime;
    }
  }
  for (const domain::Appointment& a : s.appointments) {
    ++st.appointments;
    st.cases += a.cases;
    if (a.kind == domain::AppointmentKind::kWalkIn) ++st.walk_ins;
    if (a.cases > 1) ++st.multi_case;
    if (a.deadline) ++st.with_deadline;
    if (!a.allowed_offices.empty()) ++st.with_allowed_offices;
    if (!a.unavailable.empty()) ++st.with_unavailable;
    if (a.earliest_start) ++st.with_earliest_start;
    auto it = services.find(a.service_id);
    if (it == services.end()) continue;
    CategoryStats& c = cats[static_cast<int>(it->second->category)];
    ++c.appointments;
    c.cases += a.cases;
    const std::int64_t minutes = static_cast<std::int64_t>(a.cases) * it->second->duration_min;
    c.demand_min += minutes;
    if (a.deadline && *a.deadline <= week1_end) c.week1_deadline_demand_min += minutes;
    if (a.kind == domain::AppointmentKind::kWalkIn) ++c.walk_ins;
    if (a.deadline) ++c.with_deadline;
  }
  for (const CategoryStats& c : cats) {
    if (c.appointments > 0 || c.regular_min > 0 || c.overtime_min > 0) {
      st.by_category.push_back(c);
    }
  }
  return st;
}

std::string FormatStats(const ScenarioStats& st) {
  std::string out = absl::StrFormat(
      "offices %d, services %d, clerks %d, shifts %d (overtime %d, unusable %d), closures %d, "
      "standing bookings %d\n"
      "appointments %d (walk-ins %d, multi-case %d, cases %d), with deadline %d, other offices "
      "allowed %d, unavailable times %d, later earliest start %d\n",
      st.offices, st.services, st.clerks, st.shifts, st.overtime_shifts, st.unusable_shifts,
      st.closures, st.bookings, st.appointments, st.walk_ins, st.multi_case, st.cases,
      st.with_deadline, st.with_allowed_offices, st.with_unavailable, st.with_earliest_start);
  // ratio: usable / demand over the horizon; week-1 columns: usable hours in the first seven
  // days and the demand that is due within them.
  absl::StrAppendFormat(&out, "%-21s %7s %7s %9s %9s %9s %9s %9s %6s %8s %8s\n", "category",
                        "appts", "walk-in", "demand_h", "regular_h", "booked_h", "overtm_h",
                        "usable_h", "ratio", "w1_use_h", "w1_due_h");
  for (const CategoryStats& c : st.by_category) {
    const double usable = c.UsableMinutes(st.reserve_share);
    absl::StrAppendFormat(
        &out, "%-21s %7d %7d %9.1f %9.1f %9.1f %9.1f %9.1f %6.2f %8.1f %8.1f\n",
        std::string(domain::ToString(c.category)), c.appointments, c.walk_ins, c.demand_min / 60.0,
        c.regular_min / 60.0, c.booked_min / 60.0, c.overtime_min / 60.0, usable / 60.0,
        c.demand_min > 0 ? usable / static_cast<double>(c.demand_min) : 0.0,
        c.Week1UsableMinutes(st.reserve_share) / 60.0, c.week1_deadline_demand_min / 60.0);
  }
  return out;
}

}  // namespace rebook::generator
