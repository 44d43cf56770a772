#include "services/solver/internal/report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

#include "services/domain/local_time.h"
#include "services/solver/inversions.h"

namespace rebook::solver::internal {
namespace {

using domain::Assignment;
using domain::AssignmentStatus;

std::string UnassignedReason(const Schedule& s, int job) {
  const Problem& p = s.problem();
  const Job& j = p.jobs[job];
  bool any_clerk = false, any_window = false;
  for (int oi = j.offices_begin; oi < j.offices_end && !any_window; ++oi) {
    const std::vector<int>& list = p.lists[p.ListIndex(p.job_offices[oi], j.service)];
    any_clerk |= !list.empty();
    for (int w : list) {
      const Window& win = p.windows[w];
      if (win.start + j.duration > j.due) break;
      if (std::max(win.start, j.release) + j.duration <= std::min(win.end, j.due)) {
        any_window = true;
        break;
      }
    }
  }
  if (!any_clerk) return "no clerk with this skill works at the allowed offices in the horizon";
  if (!any_window) return "no qualified shift time between the earliest start and the deadline";
  if (j.due < p.horizon_end) return "no qualified capacity left before the deadline";
  return "no qualified capacity left in the planning horizon";
}

void AddShortfall(const Schedule& s, const domain::ShiftCalendar& cal, domain::PlanSummary& m) {
  const Problem& p = s.problem();
  const domain::Scenario& sc = *p.scenario;
  struct Entry {
    std::int64_t minutes = 0, count = 0;
    std::vector<std::pair<double, int>> jobs;  // (unassigned cost, minutes), costliest first
  };
  std::map<std::tuple<int, int, int>, Entry> groups;  // (office, service, day number)
  for (int j = 0; j < static_cast<int>(p.jobs.size()); ++j) {
    if (s.IsPlaced(j)) continue;
    const Job& job = p.jobs[j];
    int office = job.office;
    bool home_allowed = false;
    for (int oi = job.offices_begin; oi < job.offices_end; ++oi)
      home_allowed |= p.job_offices[oi] == office;
    if (!home_allowed && job.offices_end > job.offices_begin)
      office = p.job_offices[job.offices_begin];
    const int by = std::max(job.release, job.due - 1);
    domain::LocalDate day = domain::LocalDateOf(sc.offices[office].time_zone, p.ToInstant(by));
    int day_number = static_cast<int>(date::local_days(day).time_since_epoch().count());
    Entry& e = groups[{office, job.service, day_number}];
    e.minutes += job.duration;
    e.count += 1;
    e.jobs.push_back({job.unassigned_cost, job.duration});
  }
  for (auto& [key, e] : groups) {
    auto [office, service, day_number] = key;
    domain::LocalDate day{date::local_days(date::days(day_number))};
    m.shortfall.push_back(
        {sc.offices[office].id, sc.services[service].id, day, e.minutes, e.count});
    // Suggest extra shifts on the last day up to `day` on which the office works (has a usable
    // shift: not a holiday, closure or a weekday without shifts, such as its Sundays), in chunks
    // of at most 8 hours. An office without such a day in the two weeks before gets none.
    domain::LocalDate open = day;
    int back = 0;
    for (; back < 14 && cal.FindOfficeDay(office, open) < 0; ++back) {
      open = domain::LocalDate(date::local_days(open) - date::days(1));
    }
    if (back == 14) continue;
    // Each chunk takes the costliest jobs that fit into it whole; a chunk that would place
    // nothing (or save less than its overtime costs) is not suggested.
    std::sort(e.jobs.begin(), e.jobs.end(), std::greater<>());
    std::int64_t left = (e.minutes + 29) / 30 * 30;
    std::size_t next = 0;
    while (left > 0 && next < e.jobs.size()) {
      const std::int64_t minutes = std::min<std::int64_t>(left, 480);
      double saving = -p.w_overtime * static_cast<double>(minutes);
      std::int64_t covered = 0;
      while (next < e.jobs.size() && covered + e.jobs[next].second <= minutes) {
        covered += e.jobs[next].second;
        saving += e.jobs[next++].first;
      }
      if (covered == 0) break;  // the next job is longer than a shift chunk
      if (saving > 0) {
        m.suggested_shifts.push_back(
            {sc.offices[office].id, sc.services[service].id, open, minutes, saving});
      }
      left -= minutes;
    }
  }
  RankSuggestedShifts(m.suggested_shifts);
}

}  // namespace

void RankSuggestedShifts(std::vector<domain::ShiftSuggestion>& shifts) {
  // Ties broken by everything else, so that plans joined from parts rank them alike.
  auto key = [](const domain::ShiftSuggestion& x) {
    return std::tie(x.office_id, x.service_id, x.day, x.minutes);
  };
  std::sort(shifts.begin(), shifts.end(),
            [&](const domain::ShiftSuggestion& a, const domain::ShiftSuggestion& b) {
              if (a.estimated_saving != b.estimated_saving)
                return a.estimated_saving > b.estimated_saving;
              return key(a) < key(b);
            });
  if (shifts.size() > kMaxSuggestedShifts) shifts.resize(kMaxSuggestedShifts);
}

std::int64_t CountFcfsInversions(const Schedule& s) {
  const Problem& p = s.problem();
  std::unordered_map<std::int64_t, std::vector<int>> groups;
  for (int j = 0; j < static_cast<int>(p.jobs.size()); ++j)
    groups[p.jobs[j].fcfs_group].push_back(j);
  std::int64_t total = 0;
  for (auto& [g, jobs] : groups) {
    auto key = [&](int j) -> std::int64_t { return s.IsPlaced(j) ? s.StartOf(j) : (1LL << 40); };
    std::sort(jobs.begin(), jobs.end(), [&](int a, int b) {
      const Instant ta = p.jobs[a].original_start, tb = p.jobs[b].original_start;
      return ta != tb ? ta < tb : key(a) < key(b);
    });
    std::vector<std::int64_t> keys;
    for (int j : jobs) keys.push_back(key(j));
    total += solver::CountInversions(keys);
  }
  return total;
}

domain::Plan BuildPlan(const Schedule& s, const domain::ShiftCalendar& cal) {
  const Problem& p = s.problem();
  const domain::Scenario& sc = *p.scenario;
  domain::Plan plan;
  domain::PlanSummary& m = plan.summary;
  plan.assignments.reserve(p.jobs.size());
  double delay_sum = 0;
  for (int j = 0; j < static_cast<int>(p.jobs.size()); ++j) {
    const Job& job = p.jobs[j];
    const domain::Appointment& a = sc.appointments[job.appointment];
    Assignment out;
    out.appointment_id = a.id;
    out.appointment_office_id = a.office_id;
    if (!s.IsPlaced(j)) {
      out.status = AssignmentStatus::kUnassigned;
      out.cost = job.unassigned_cost;
      out.reason = UnassignedReason(s, j);
      m.parts.unassigned += out.cost;
      ++m.unassigned;
    } else {
      const Window& w = p.windows[s.WindowOf(j)];
      out.status = AssignmentStatus::kAssigned;
      out.office_id = sc.offices[w.office].id;
      out.clerk_id = sc.clerks[w.clerk].id;
      out.time = {p.ToInstant(s.StartOf(j)), p.ToInstant(s.StartOf(j) + job.duration)};
      const Instant from =
          std::max(a.earliest_start.value_or(sc.params.horizon_start), sc.params.horizon_start);
      const double delay = static_cast<double>((out.time.start - from).count()) / 60.0;
      const double delay_cost = a.priority * delay / 60.0;
      const double change = w.office != job.office ? p.w_office_change : 0.0;
      const double overtime = w.overtime ? p.w_overtime * job.duration : 0.0;
      out.cost = delay_cost + change + overtime;
      m.parts.delay += delay_cost;
      m.parts.office_change += change;
      m.parts.overtime += overtime;
      m.office_changes += change > 0 || w.office != job.office ? 1 : 0;
      m.overtime_minutes += w.overtime ? job.duration : 0;
      delay_sum += delay;
      m.max_delay_minutes = std::max(m.max_delay_minutes, delay);
      ++m.assigned;
    }
    plan.assignments.push_back(std::move(out));
  }
  m.objective = m.parts.Total();
  m.mean_delay_minutes = m.assigned > 0 ? delay_sum / static_cast<double>(m.assigned) : 0.0;
  m.fcfs_inversions = CountFcfsInversions(s);
  AddShortfall(s, cal, m);
  return plan;
}

}  // namespace rebook::solver::internal
