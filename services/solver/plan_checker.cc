#include "services/solver/plan_checker.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/status_macros.h"
#include "services/domain/calendar.h"
#include "services/domain/local_time.h"

namespace rebook::solver {
namespace {

using domain::Appointment;
using domain::Assignment;
using domain::TimeInterval;

struct Busy {
  TimeInterval time;
  std::string what;  // appointment id, or "booking <id>"
  bool appointment;
};

class Checker {
 public:
  Checker(const domain::Scenario& s, const domain::ShiftCalendar& cal) : s_(s), cal_(cal) {
    for (std::size_t i = 0; i < s.services.size(); ++i)
      services_[s.services[i].id] = &s.services[i];
    for (std::size_t i = 0; i < s.clerks.size(); ++i) clerks_[s.clerks[i].id] = &s.clerks[i];
    for (const auto& b : s.bookings)
      busy_[b.clerk_id].push_back({b.time, "booking " + b.id, false});
  }

  void Check(const Appointment& a, const Assignment& x) {
    const double w_un = s_.params.w_unassigned;
    if (x.status != domain::AssignmentStatus::kAssigned) {
      ++r_.unassigned;
      r_.parts.unassigned += w_un * a.priority;
      return;
    }
    ++r_.assigned;
    const domain::Service* service =
        services_.count(a.service_id) ? services_[a.service_id] : nullptr;
    const domain::Clerk* clerk = clerks_.count(x.clerk_id) ? clerks_[x.clerk_id] : nullptr;
    // Rule 1.
    if (clerk == nullptr || std::find(clerk->skills.begin(), clerk->skills.end(), a.service_id) ==
                                clerk->skills.end()) {
      Add(1, a.id, absl::StrCat("clerk ", x.clerk_id, " does not hold the skill ", a.service_id));
    }
    // Rule 2.
    const int shift = ContainingShift(x);
    bool overtime = false;
    if (shift < 0) {
      Add(2, a.id,
          absl::StrCat("no single shift of ", x.clerk_id, " at ", x.office_id, " contains ",
                       Local(x.office_id, x.time.start), " to ", Local(x.office_id, x.time.end)));
    } else if (!cal_.shift(shift).usable) {
      Add(2, a.id,
          absl::StrCat("the shift's day ", domain::FormatLocalDate(cal_.shift(shift).day),
                       " is a public holiday or closure at ", x.office_id));
    } else {
      overtime = s_.shifts[shift].kind == domain::ShiftKind::kOvertime;
      if (!overtime) {
        regular_minutes_[cal_.shift(shift).office_day] += Minutes(x.time);
        od_members_[cal_.shift(shift).office_day].push_back(a.id);
      }
    }
    if (service != nullptr &&
        x.time.Duration() != std::chrono::minutes(a.cases * service->duration_min)) {
      Add(2, a.id,
          absl::StrCat("lasts ", Minutes(x.time), " minutes instead of ",
                       a.cases * service->duration_min));
    }
    // Rule 3 is checked per clerk at the end.
    busy_[x.clerk_id].push_back({x.time, a.id, true});
    // Rule 4.
    const Instant from =
        std::max(a.earliest_start.value_or(s_.params.horizon_start), s_.params.horizon_start);
    if (x.time.start < from) Add(4, a.id, "starts before its earliest start or the horizon");
    if (a.deadline && x.time.end > *a.deadline) Add(4, a.id, "ends after its deadline");
    if (x.time.end > s_.params.horizon_end) Add(4, a.id, "ends after the horizon");
    // Rule 5.
    std::vector<std::string> allowed = a.EffectiveAllowedOffices();
    if (std::find(allowed.begin(), allowed.end(), x.office_id) == allowed.end()) {
      Add(5, a.id, absl::StrCat("office ", x.office_id, " is not among its allowed offices"));
    }
    for (const TimeInterval& u : a.unavailable) {
      if (u.Overlaps(x.time)) Add(5, a.id, "overlaps a time the citizen cannot come");
    }
    // Objective.
    const double delay = static_cast<double>((x.time.start - from).count()) / 60.0;
    r_.parts.delay += a.priority * delay / 60.0;
    if (x.office_id != a.office_id) r_.parts.office_change += s_.params.w_office_change;
    if (overtime) r_.parts.overtime += s_.params.w_overtime_min * Minutes(x.time);
  }

  CheckReport Finish() {
    for (auto& [clerk, list] : busy_) {
      std::sort(list.begin(), list.end(),
                [](const Busy& a, const Busy& b) { return a.time.start < b.time.start; });
      // Compare each interval with the one reaching furthest so far.
      std::size_t reach = 0;
      for (std::size_t i = 1; i < list.size(); ++i) {
        if (list[reach].time.Overlaps(list[i].time) &&
            (list[i].appointment || list[reach].appointment)) {
          const Busy& a = list[i].appointment ? list[i] : list[reach];
          const Busy& b = list[i].appointment ? list[reach] : list[i];
          Add(3, a.what, absl::StrCat("overlaps ", b.what, " of clerk ", clerk));
        }
        if (list[i].time.end > list[reach].time.end) reach = i;
      }
    }
    const double keep = 1.0 - s_.params.reserve_share;
    for (const auto& [od, minutes] : regular_minutes_) {
      const auto& day = cal_.office_days()[od];
      const double allowed = keep * static_cast<double>(day.FreeRegularSeconds()) / 60.0;
      if (minutes > allowed + 1e-6) {
        Add(6, od_members_[od].front(),
            absl::StrFormat("office %s on %s: %.0f rebooked regular minutes exceed %.2f "
                            "(1 - reserve share of %.0f free regular minutes)",
                            s_.offices[day.office].id, domain::FormatLocalDate(day.day), minutes,
                            allowed, static_cast<double>(day.FreeRegularSeconds()) / 60.0));
      }
    }
    r_.objective = r_.parts.Total();
    return std::move(r_);
  }

  void Add(int rule, const std::string& id, std::string message) {
    r_.violations.push_back(
        {rule, id, absl::StrCat("rule ", rule, ": appointment ", id, ": ", message)});
  }

 private:
  static double Minutes(const TimeInterval& t) {
    return static_cast<double>(t.Duration().count()) / 60.0;
  }

  std::string Local(const std::string& office, Instant t) const {
    int o = cal_.FindOffice(office);
    return o < 0 ? domain::FormatUtc(t) : domain::FormatLocal(s_.offices[o].time_zone, t);
  }

  int ContainingShift(const Assignment& x) const {
    for (int i : cal_.ShiftsOfClerk(x.clerk_id)) {
      const domain::Shift& sh = s_.shifts[i];
      if (sh.office_id == x.office_id && sh.time.Contains(x.time)) return i;
    }
    return -1;
  }

  const domain::Scenario& s_;
  const domain::ShiftCalendar& cal_;
  std::unordered_map<std::string, const domain::Service*> services_;
  std::unordered_map<std::string, const domain::Clerk*> clerks_;
  std::unordered_map<std::string, std::vector<Busy>> busy_;
  std::map<int, double> regular_minutes_;
  std::map<int, std::vector<std::string>> od_members_;
  CheckReport r_;
};

}  // namespace

absl::StatusOr<CheckReport> CheckPlan(const domain::Scenario& s,
                                      const std::vector<Assignment>& assignments) {
  REBOOK_ASSIGN_OR_RETURN(domain::ShiftCalendar cal, domain::ShiftCalendar::Build(s));
  Checker checker(s, cal);
  std::unordered_map<std::string, const Assignment*> rows;
  for (const Assignment& x : assignments) {
    if (!rows.emplace(x.appointment_id, &x).second) {
      checker.Add(0, x.appointment_id, "appears more than once in the plan");
    }
  }
  for (const Appointment& a : s.appointments) {
    auto it = rows.find(a.id);
    if (it == rows.end()) {
      checker.Add(0, a.id, "has no row in the plan");
      continue;
    }
    checker.Check(a, *it->second);
  }
  std::unordered_set<std::string> known;
  for (const Appointment& a : s.appointments) known.insert(a.id);
  for (const Assignment& x : assignments) {
    if (!known.count(x.appointment_id)) checker.Add(0, x.appointment_id, "is not in the scenario");
  }
  return checker.Finish();
}

}  // namespace rebook::solver
