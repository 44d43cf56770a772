#include "bench/solver/mip_writer.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/status_macros.h"
#include "services/domain/calendar.h"

namespace rebook::bench {
namespace {

struct FreeWindow {
  int clerk, office, office_day;
  bool overtime;
  std::int64_t start, end;  // minutes since the horizon start
};

struct Var {
  int job, window;
  std::int64_t start;
  double cost;
};

std::int64_t FloorMin(Instant t, Instant epoch) {
  std::int64_t s = (t - epoch).count();
  return s >= 0 ? s / 60 : -((-s + 59) / 60);
}
std::int64_t CeilMin(Instant t, Instant epoch) { return -FloorMin(epoch - (t - epoch), epoch); }

// Splits long sums over several lines (LP readers limit line length).
class LpText {
 public:
  explicit LpText(std::ofstream& out) : out_(out) {}
  void Term(const std::string& t) {
    if (line_ > 200) {
      out_ << "\n   ";
      line_ = 0;
    }
    out_ << " " << t;
    line_ += t.size() + 1;
  }
  void End(const std::string& tail) {
    out_ << " " << tail << "\n";
    line_ = 0;
  }

 private:
  std::ofstream& out_;
  std::size_t line_ = 0;
};

}  // namespace

absl::StatusOr<MipStats> WriteTimeIndexedMip(const domain::Scenario& s,
                                             const std::filesystem::path& lp_file,
                                             std::int64_t max_variables) {
  REBOOK_ASSIGN_OR_RETURN(domain::ShiftCalendar cal, domain::ShiftCalendar::Build(s));
  const Instant epoch = s.params.horizon_start;
  const std::int64_t horizon = FloorMin(s.params.horizon_end, epoch);
  std::unordered_map<std::string, int> office, clerk, service;
  for (std::size_t i = 0; i < s.offices.size(); ++i) office[s.offices[i].id] = i;
  for (std::size_t i = 0; i < s.clerks.size(); ++i) clerk[s.clerks[i].id] = i;
  for (std::size_t i = 0; i < s.services.size(); ++i) service[s.services[i].id] = i;

  std::vector<FreeWindow> windows;
  std::int64_t g = 0;
  for (std::size_t i = 0; i < s.shifts.size(); ++i) {
    if (!cal.shift(i).usable) continue;
    for (const domain::TimeInterval& f : cal.shift(i).free) {
      std::int64_t a = std::max<std::int64_t>(0, CeilMin(f.start, epoch));
      std::int64_t b = std::min(horizon, FloorMin(f.end, epoch));
      if (b <= a) continue;
      windows.push_back({clerk.at(s.shifts[i].clerk_id), cal.shift(i).office,
                         cal.shift(i).office_day, s.shifts[i].kind == domain::ShiftKind::kOvertime,
                         a, b});
      g = std::gcd(g, std::gcd(a, b));
    }
  }
  struct JobData {
    int service, office, duration, priority;
    std::int64_t release, due;
    std::vector<std::pair<std::int64_t, std::int64_t>> blocked;
  };
  std::vector<JobData> jobs;
  for (const domain::Appointment& a : s.appointments) {
    JobData j{service.at(a.service_id),
              office.at(a.office_id),
              a.cases * s.services[service.at(a.service_id)].duration_min,
              a.priority,
              0,
              horizon,
              {}};
    if (a.earliest_start) j.release = std::max<std::int64_t>(0, CeilMin(*a.earliest_start, epoch));
    if (a.deadline) j.due = std::min(j.due, FloorMin(*a.deadline, epoch));
    for (const auto& u : a.unavailable)
      j.blocked.push_back({FloorMin(u.start, epoch), CeilMin(u.end, epoch)});
    g = std::gcd(g, std::gcd(std::gcd(j.release, j.due), static_cast<std::int64_t>(j.duration)));
    for (auto [x, y] : j.blocked) g = std::gcd(g, std::gcd(std::abs(x), std::abs(y)));
    jobs.push_back(std::move(j));
  }
  if (g <= 0) g = 1;

  std::vector<Var> vars;
  for (std::size_t ji = 0; ji < jobs.size(); ++ji) {
    const JobData& j = jobs[ji];
    const domain::Appointment& a = s.appointments[ji];
    std::vector<int> allowed;
    for (const std::string& o : a.EffectiveAllowedOffices()) allowed.push_back(office.at(o));
    for (std::size_t wi = 0; wi < windows.size(); ++wi) {
      const FreeWindow& w = windows[wi];
      if (std::find(allowed.begin(), allowed.end(), w.office) == allowed.end()) continue;
      const auto& skills = s.clerks[w.clerk].skills;
      if (std::find(skills.begin(), skills.end(), a.service_id) == skills.end()) continue;
      std::int64_t first = std::max(w.start, j.release);
      first = (first + g - 1) / g * g;
      for (std::int64_t t = first; t + j.duration <= std::min(w.end, j.due); t += g) {
        bool blocked = false;
        for (auto [x, y] : j.blocked) blocked |= x < t + j.duration && t < y;
        if (blocked) continue;
        double cost = j.priority * static_cast<double>(t - j.release) / 60.0;
        if (w.office != j.office) cost += s.params.w_office_change;
        if (w.overtime) cost += s.params.w_overtime_min * j.duration;
        vars.push_back({static_cast<int>(ji), static_cast<int>(wi), t, cost});
        if (static_cast<std::int64_t>(vars.size()) > max_variables) {
          return absl::FailedPreconditionError(
              absl::StrCat("the MIP has more than ", max_variables, " variables"));
        }
      }
    }
  }

  std::ofstream out(lp_file);
  LpText lp(out);
  MipStats stats;
  stats.grid_minutes = static_cast<int>(g);
  stats.variables = static_cast<std::int64_t>(vars.size() + jobs.size());
  out << "Minimize\n obj:";
  for (std::size_t v = 0; v < vars.size(); ++v)
    lp.Term(absl::StrFormat("+ %.9g x%d", vars[v].cost, v));
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    lp.Term(absl::StrFormat("+ %.9g u%d", s.params.w_unassigned * jobs[j].priority, j));
  }
  lp.End("");
  out << "Subject To\n";
  std::vector<std::vector<int>> by_job(jobs.size());
  for (std::size_t v = 0; v < vars.size(); ++v) by_job[vars[v].job].push_back(v);
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    out << " a" << j << ":";
    for (int v : by_job[j]) lp.Term(absl::StrCat("+ x", v));
    lp.Term(absl::StrCat("+ u", j));
    lp.End("= 1");
    ++stats.constraints;
  }
  // One job per clerk per grid cell, per window (windows of one clerk do not overlap).
  std::map<std::pair<int, std::int64_t>, std::vector<int>> cells;
  for (std::size_t v = 0; v < vars.size(); ++v) {
    const int d = jobs[vars[v].job].duration;
    for (std::int64_t t = vars[v].start; t < vars[v].start + d; t += g)
      cells[{vars[v].window, t}].push_back(v);
  }
  int c = 0;
  for (const auto& [cell, list] : cells) {
    if (list.size() < 2) continue;
    out << " c" << c++ << ":";
    for (int v : list) lp.Term(absl::StrCat("+ x", v));
    lp.End("<= 1");
    ++stats.constraints;
  }
  // Rule 6.
  std::map<int, std::vector<int>> regular;
  for (std::size_t v = 0; v < vars.size(); ++v) {
    if (!windows[vars[v].window].overtime) regular[windows[vars[v].window].office_day].push_back(v);
  }
  for (const auto& [od, list] : regular) {
    const double free = static_cast<double>(cal.office_days()[od].FreeRegularSeconds()) / 60.0;
    const double cap = std::floor((1.0 - s.params.reserve_share) * free + 1e-9);
    out << " r" << od << ":";
    for (int v : list) lp.Term(absl::StrFormat("+ %d x%d", jobs[vars[v].job].duration, v));
    lp.End(absl::StrFormat("<= %.0f", cap));
    ++stats.constraints;
  }
  out << "Binaries\n";
  for (std::size_t v = 0; v < vars.size(); ++v) lp.Term(absl::StrCat("x", v));
  for (std::size_t j = 0; j < jobs.size(); ++j) lp.Term(absl::StrCat("u", j));
  lp.End("");
  out << "End\n";
  // The variables' meaning, for turning CBC's solution back into a plan when debugging.
  std::ofstream map(lp_file.string() + ".map");
  for (std::size_t v = 0; v < vars.size(); ++v) {
    const FreeWindow& w = windows[vars[v].window];
    map << "x" << v << " " << s.appointments[vars[v].job].id << " " << s.clerks[w.clerk].id << " "
        << s.offices[w.office].id << " " << vars[v].start << " " << vars[v].cost << "\n";
  }
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", lp_file.string()));
  return stats;
}

}  // namespace rebook::bench
