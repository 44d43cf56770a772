#include "services/solver/internal/time_indexed_model.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>

namespace rebook::solver::internal {
namespace {

// Past this many (window, class) entries (~100 MB) the model is not built.
constexpr std::size_t kMaxEntries = 4000000;

int FloorTo(int v, int g) { return (v >= 0 ? v / g : -((-v + g - 1) / g)) * g; }
int CeilTo(int v, int g) { return -FloorTo(-v, g); }

}  // namespace

TimeIndexedModel::TimeIndexedModel(const Problem& problem, double max_work, double exact_max_work)
    : p_(problem) {
  int g = 0;
  for (const Job& j : p_.jobs) g = std::gcd(g, j.duration);
  g_ = std::max(1, g);
  const int exact = ExactGrid();
  if (exact < g_ && exact_max_work > 0) {
    const int coarse = g_;
    g_ = exact;
    Build(std::min(max_work, exact_max_work));
    if (complete_) return;
    g_ = coarse;
  }
  Build(max_work);
}

int TimeIndexedModel::ExactGrid() const {
  int g = g_;
  for (const Window& w : p_.windows) g = std::gcd(g, std::gcd(w.start, w.end));
  for (const Job& j : p_.jobs) {
    g = std::gcd(g, j.release);
    if (j.due < kInfinity) g = std::gcd(g, j.due);
    for (int b = j.blocked_begin; b < j.blocked_end; ++b)
      g = std::gcd(g, std::gcd(p_.blocked[b].start, p_.blocked[b].end));
  }
  return std::max(1, g);
}

void TimeIndexedModel::Build(double max_work) {
  classes_.clear();
  windows_.clear();
  entries_.clear();
  work_ = 0;
  max_points_ = 0;
  complete_ = true;
  BuildClasses();
  BuildWindows(max_work);
  if (!complete_) {
    windows_.clear();
    entries_.clear();
    return;
  }
  f_.resize(max_points_ + 1);
  choice_.resize(max_points_ + 1);
  base_.resize(entries_.size());
}

void TimeIndexedModel::BuildClasses() {
  std::map<std::tuple<int, int, int, int, int, int, std::vector<int>, std::vector<int>>, int> index;
  class_of_job_.resize(p_.jobs.size());
  for (std::size_t ji = 0; ji < p_.jobs.size(); ++ji) {
    const Job& j = p_.jobs[ji];
    std::vector<int> offices(p_.job_offices.begin() + j.offices_begin,
                             p_.job_offices.begin() + j.offices_end);
    std::vector<int> blocked;
    for (int b = j.blocked_begin; b < j.blocked_end; ++b) {
      blocked.push_back(p_.blocked[b].start);
      blocked.push_back(p_.blocked[b].end);
    }
    auto key = std::make_tuple(j.service, j.duration, j.priority, j.office, j.release, j.due,
                               std::move(offices), std::move(blocked));
    auto [it, inserted] = index.emplace(std::move(key), static_cast<int>(classes_.size()));
    if (inserted) {
      JobClass k;
      k.service = j.service;
      k.office = j.office;
      k.duration = j.duration;
      k.steps = j.duration / g_;
      k.release = FloorTo(j.release, g_);
      k.due = FloorTo(j.due, g_);
      k.exact_release = j.release;
      k.weight = j.weight;
      k.unassigned_cost = j.unassigned_cost;
      k.offices_begin = j.offices_begin;
      k.offices_end = j.offices_end;
      for (int b = j.blocked_begin; b < j.blocked_end; ++b) {
        Span s{CeilTo(p_.blocked[b].start, g_), FloorTo(p_.blocked[b].end, g_)};
        if (s.start < s.end) k.blocked.push_back(s);
      }
      classes_.push_back(std::move(k));
    }
    classes_[it->second].count++;
    class_of_job_[ji] = it->second;
  }
}

void TimeIndexedModel::BuildWindows(double max_work) {
  // The classes each office may take, so that a window only looks at its own office's.
  std::vector<std::vector<int>> classes_of_office(p_.office_count);
  for (int ki = 0; ki < static_cast<int>(classes_.size()); ++ki) {
    for (int oi = classes_[ki].offices_begin; oi < classes_[ki].offices_end; ++oi)
      classes_of_office[p_.job_offices[oi]].push_back(ki);
  }
  for (int wi = 0; wi < static_cast<int>(p_.windows.size()); ++wi) {
    if (static_cast<double>(work_) > max_work || entries_.size() > kMaxEntries) {
      complete_ = false;
      return;
    }
    const Window& w = p_.windows[wi];
    GridWindow gw;
    gw.window = wi;
    gw.start = FloorTo(w.start, g_);
    gw.points = (FloorTo(w.end, g_) - gw.start) / g_;
    gw.office_day = w.overtime ? -1 : w.office_day;
    gw.entries_begin = static_cast<int>(entries_.size());
    if (gw.points <= 0) continue;
    for (int ki : classes_of_office[w.office]) {
      const JobClass& k = classes_[ki];
      if (!p_.Qualified(w.clerk, k.service) || k.steps > gw.points) continue;
      const int latest = k.due - k.duration - gw.start;  // a multiple of the grid
      const int first = std::max(0, (k.release - gw.start) / g_);
      const int last = std::min(gw.points - k.steps, latest / g_);
      if (latest < 0 || first > last) continue;
      Entry e;
      e.job_class = ki;
      e.fixed = (w.office != k.office ? p_.w_office_change : 0.0) +
                (w.overtime ? p_.w_overtime * k.duration : 0.0);
      e.first = first;
      e.last = last;
      entries_.push_back(e);
      work_ += gw.points;
    }
    gw.entries_end = static_cast<int>(entries_.size());
    if (gw.entries_end > gw.entries_begin) {
      windows_.push_back(gw);
      max_points_ = std::max(max_points_, gw.points);
    }
  }
}

bool TimeIndexedModel::BlockedAt(const JobClass& k, int t) const {
  for (const Span& b : k.blocked) {
    if (b.start < t + k.duration && t < b.end) return true;
  }
  return false;
}

double TimeIndexedModel::Cost(const GridWindow& w, int entry, int index) const {
  const Entry& e = entries_[entry];
  const JobClass& k = classes_[e.job_class];
  return k.weight * (w.start + index * g_ - k.exact_release) + e.fixed;
}

double TimeIndexedModel::SolveWindow(int wi, const std::vector<double>& lambda, double mu,
                                     double nu, int unit) const {
  const GridWindow& w = windows_[wi];
  for (int e = w.entries_begin; e < w.entries_end; ++e) {
    const JobClass& k = classes_[entries_[e].job_class];
    base_[e] = entries_[e].fixed + k.weight * (w.start - k.exact_release) + mu * k.duration -
               lambda[entries_[e].job_class];
    if (nu != 0) base_[e] += nu * (k.duration / unit);
  }
  f_[w.points] = 0;
  for (int i = w.points - 1; i >= 0; --i) {
    double best = f_[i + 1];
    int pick = -1;
    for (int e = w.entries_begin; e < w.entries_end; ++e) {
      const Entry& en = entries_[e];
      if (i < en.first || i > en.last) continue;
      const JobClass& k = classes_[en.job_class];
      const double v = k.weight * (i * g_) + base_[e] + f_[i + k.steps];
      if (v < best && (k.blocked.empty() || !BlockedAt(k, w.start + i * g_))) {
        best = v;
        pick = e;
      }
    }
    f_[i] = best;
    choice_[i] = pick;
  }
  return f_[0];
}

double TimeIndexedModel::PriceWindow(int wi, const std::vector<double>& lambda, double mu,
                                     double nu, int unit, std::int64_t& load,
                                     std::int64_t& units) const {
  const double value = SolveWindow(wi, lambda, mu, nu, unit);
  ForEachOnPath(windows_[wi], [&](int entry, int) {
    const int d = classes_[entries_[entry].job_class].duration;
    load += d;
    units += d / unit;
  });
  return value;
}

double TimeIndexedModel::Price(const std::vector<double>& lambda, const std::vector<double>& mu,
                               bool paths, Pricing& out) const {
  out.window_value.resize(windows_.size());
  out.used.assign(classes_.size(), 0);
  out.load.assign(p_.office_days.size(), 0);
  out.paths.clear();
  out.paths_begin.clear();
  double total = 0;
  for (std::size_t k = 0; k < classes_.size(); ++k) total += classes_[k].count * lambda[k];
  for (std::size_t od = 0; od < mu.size(); ++od) total -= mu[od] * p_.office_days[od].regular_cap;
  for (std::size_t wi = 0; wi < windows_.size(); ++wi) {
    const GridWindow& w = windows_[wi];
    const double m = w.office_day >= 0 ? mu[w.office_day] : 0.0;
    out.window_value[wi] = SolveWindow(static_cast<int>(wi), lambda, m, 0.0, 1);
    total += out.window_value[wi];
    if (paths) out.paths_begin.push_back(static_cast<int>(out.paths.size()));
    ForEachOnPath(w, [&](int entry, int i) {
      const int k = entries_[entry].job_class;
      out.used[k]++;
      if (w.office_day >= 0) out.load[w.office_day] += classes_[k].duration;
      if (paths) out.paths.push_back({entry, i});
    });
  }
  if (paths) out.paths_begin.push_back(static_cast<int>(out.paths.size()));
  return total;
}

}  // namespace rebook::solver::internal
