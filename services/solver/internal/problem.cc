#include "services/solver/internal/problem.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace rebook::solver::internal {
namespace {

using domain::Scenario;

int FloorDivToInt(std::int64_t a, std::int64_t b) {
  return static_cast<int>(a >= 0 ? a / b : -((-a + b - 1) / b));
}

struct MinuteClock {
  Instant epoch;
  std::int64_t Seconds(Instant t) const { return (t - epoch).count(); }
  int Floor(Instant t) const { return FloorDivToInt(Seconds(t), 60); }
  int Ceil(Instant t) const { return -FloorDivToInt(-Seconds(t), 60); }
};

int Clamp(int v, int lo, int hi) { return std::max(lo, std::min(hi, v)); }

}  // namespace

absl::StatusOr<Problem> BuildProblem(const Scenario& s, const domain::ShiftCalendar& cal,
                                     const ProblemOptions& options) {
  Problem p;
  p.scenario = &s;
  p.epoch = s.params.horizon_start;
  const MinuteClock clock{p.epoch};
  p.horizon_end = std::max(0, clock.Floor(s.params.horizon_end));
  p.w_office_change = s.params.w_office_change;
  p.w_overtime = s.params.w_overtime_min;
  p.service_count = static_cast<int>(s.services.size());
  p.office_count = static_cast<int>(s.offices.size());
  p.clerk_count = static_cast<int>(s.clerks.size());

  std::unordered_map<std::string, int> service_index, clerk_index;
  for (int i = 0; i < p.service_count; ++i) service_index.emplace(s.services[i].id, i);
  for (int i = 0; i < p.clerk_count; ++i) clerk_index.emplace(s.clerks[i].id, i);
  p.skill.assign(static_cast<std::size_t>(p.clerk_count) * std::max(1, p.service_count), 0);
  for (int c = 0; c < p.clerk_count; ++c) {
    for (const std::string& sk : s.clerks[c].skills) {
      auto it = service_index.find(sk);
      if (it != service_index.end()) p.skill[c * p.service_count + it->second] = 1;
    }
  }

  // Rule 6: rebooked regular minutes per office-day <= (1 - reserve_share) x free regular minutes.
  for (const domain::ShiftCalendar::OfficeDay& od : cal.office_days()) {
    double free_minutes = static_cast<double>(od.FreeRegularSeconds()) / 60.0;
    int cap = static_cast<int>(std::floor((1.0 - s.params.reserve_share) * free_minutes + 1e-9));
    p.office_days.push_back({od.office, od.day, std::max(0, cap)});
  }

  for (std::size_t i = 0; i < s.shifts.size(); ++i) {
    const domain::ShiftCalendar::ShiftInfo& info = cal.shift(i);
    if (!info.usable) continue;
    auto c = clerk_index.find(s.shifts[i].clerk_id);
    if (c == clerk_index.end()) continue;
    for (const domain::TimeInterval& f : info.free) {
      int start = Clamp(clock.Ceil(f.start), 0, p.horizon_end);
      int end = Clamp(clock.Floor(f.end), 0, p.horizon_end);
      if (end <= start) continue;
      p.windows.push_back({c->second, info.office, static_cast<int>(i), info.office_day,
                           s.shifts[i].kind == domain::ShiftKind::kOvertime, start, end});
    }
  }
  std::sort(p.windows.begin(), p.windows.end(), [](const Window& a, const Window& b) {
    return a.clerk != b.clerk ? a.clerk < b.clerk : a.start < b.start;
  });

  p.lists.assign(static_cast<std::size_t>(p.office_count) * std::max(1, p.service_count), {});
  p.list_max_length.assign(p.lists.size(), 0);
  for (int w = 0; w < static_cast<int>(p.windows.size()); ++w) {
    const Window& win = p.windows[w];
    for (int sv = 0; sv < p.service_count; ++sv) {
      if (!p.Qualified(win.clerk, sv)) continue;
      int l = p.ListIndex(win.office, sv);
      p.lists[l].push_back(w);
      p.list_max_length[l] = std::max(p.list_max_length[l], win.end - win.start);
    }
  }
  for (auto& list : p.lists) {
    std::stable_sort(list.begin(), list.end(),
                     [&](int a, int b) { return p.windows[a].start < p.windows[b].start; });
  }

  std::unordered_map<std::string, int> office_index;
  for (int i = 0; i < p.office_count; ++i) office_index.emplace(s.offices[i].id, i);
  p.min_duration_of_service.assign(p.service_count, kInfinity);
  p.jobs.reserve(s.appointments.size());
  for (std::size_t i = 0; i < s.appointments.size(); ++i) {
    const domain::Appointment& a = s.appointments[i];
    Job j;
    j.appointment = static_cast<int>(i);
    auto sv = service_index.find(a.service_id);
    auto of = office_index.find(a.office_id);
    if (sv == service_index.end() || of == office_index.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("appointment ", a.id, ": unknown service or office"));
    }
    j.service = sv->second;
    j.office = of->second;
    j.duration = a.cases * s.services[j.service].duration_min;
    j.release = std::max(0, a.earliest_start ? clock.Ceil(*a.earliest_start) : 0);
    j.due = p.horizon_end;
    if (a.deadline) j.due = std::min(j.due, clock.Floor(*a.deadline));
    j.priority = a.priority;
    j.weight = a.priority / 60.0;
    j.unassigned_cost = s.params.w_unassigned * a.priority;
    j.original_start = a.original_start;
    j.fcfs_group =
        (static_cast<std::int64_t>(j.service) * p.office_count + j.office) * 16 + a.priority;
    p.min_duration_of_service[j.service] =
        std::min(p.min_duration_of_service[j.service], j.duration);
    j.offices_begin = static_cast<int>(p.job_offices.size());
    for (const std::string& o : a.EffectiveAllowedOffices()) {
      auto it = office_index.find(o);
      if (it == office_index.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("appointment ", a.id, ": unknown office ", o));
      }
      if (std::find(p.job_offices.begin() + j.offices_begin, p.job_offices.end(), it->second) ==
          p.job_offices.end()) {
        p.job_offices.push_back(it->second);
      }
    }
    j.offices_end = static_cast<int>(p.job_offices.size());
    std::vector<Span> blocked;
    for (const domain::TimeInterval& u : a.unavailable) {
      blocked.push_back({clock.Floor(u.start), clock.Ceil(u.end)});
    }
    j.clerk_bans_begin = static_cast<int>(p.clerk_bans.size());
    if (auto b = options.bans.find(static_cast<int>(i)); b != options.bans.end()) {
      for (const ClerkBan& ban : b->second) {
        if (ban.clerk < 0 && ban.office < 0) {
          blocked.push_back(ban.time);
        } else {
          p.clerk_bans.push_back(ban);
        }
      }
    }
    j.clerk_bans_end = static_cast<int>(p.clerk_bans.size());
    std::sort(blocked.begin(), blocked.end(),
              [](const Span& x, const Span& y) { return x.start < y.start; });
    j.blocked_begin = static_cast<int>(p.blocked.size());
    p.blocked.insert(p.blocked.end(), blocked.begin(), blocked.end());
    j.blocked_end = static_cast<int>(p.blocked.size());
    p.jobs.push_back(j);
  }
  return p;
}

}  // namespace rebook::solver::internal
