#include "services/solver/internal/capacity_bound.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <vector>

#include "services/solver/internal/queueing_bound.h"
#include "services/solver/internal/union_find.h"

namespace rebook::solver::internal {
namespace {

// Windows scanned per (job, office) for its cheapest start; past it, the next window's start
// bounds the cost from below (later windows start later).
constexpr int kMaxScan = 2048;
// Deadline levels tried per component (quantiles of its jobs' deadlines; each is valid alone).
constexpr int kMaxLevels = 32;
// Deadline levels per service for the count term.
constexpr int kMaxCountLevels = 8;
constexpr int kAllServices = -1;

// The least cost of placing `job` alone (no other jobs, no unavailable times, no reserve cap);
// its unassigned cost if it fits nowhere. Sets `fits`.
double CheapestPlacement(const Problem& p, const Job& job, bool& fits) {
  double best = job.unassigned_cost;
  fits = false;
  for (int oi = job.offices_begin; oi < job.offices_end; ++oi) {
    const int office = p.job_offices[oi];
    const int l = p.ListIndex(office, job.service);
    const std::vector<int>& list = p.lists[l];
    const double change = office != job.office ? p.w_office_change : 0.0;
    // Windows are sorted by start; one starting before release - longest cannot reach release.
    auto it = std::lower_bound(list.begin(), list.end(), job.release - p.list_max_length[l],
                               [&](int w, int t) { return p.windows[w].start < t; });
    for (int scanned = 0; it != list.end(); ++it, ++scanned) {
      const Window& w = p.windows[*it];
      const int t = std::max(w.start, job.release);
      const double floor_cost = job.weight * (t - job.release) + change;
      if (floor_cost >= best || t >= job.due) break;
      if (scanned >= kMaxScan) {
        best = floor_cost;  // every later window costs at least this
        fits = true;        // unknown: treat as placeable (weaker, still valid)
        break;
      }
      if (t + job.duration > w.end || t + job.duration > job.due) continue;
      best = floor_cost + (w.overtime ? p.w_overtime * job.duration : 0.0);
      fits = true;
    }
  }
  return std::min(best, job.unassigned_cost);
}

struct Item {
  int due, duration;
  double extra;  // u_j - a_j: what leaving it unassigned adds
  int service, release, offices_begin, offices_end;
  int job;
};

struct Count {
  double cost = 0;
  // The set it counted: jobs of `service` (or of all, kAllServices) lasting at least `length`
  // and due by `due`.
  int service = -1, length = 0, due = 0;
};

// The count term of one component: for a service s (or all of them) and a length L, the jobs S of s
// lasting at least L can only use the windows of s's qualified clerks at their allowed offices,
// between their earliest release and latest due, and a window of usable length len holds at most
// floor(len / L) of them (S may also be cut to the jobs due by a deadline level). So at least
// |S| - sum floor(len / L) of S stay unassigned, the
// cheapest of them (by extra) bound the extra cost. Long jobs in fragmented free time (dealer
// jobs between standing bookings) are where minute counts see room that whole jobs do not.
Count CountTerm(const Problem& p, const std::vector<Item>& jobs, std::vector<int>& seen, int& stamp,
                std::vector<std::int64_t>& od_jobs) {
  std::vector<int> services;
  for (const Item& it : jobs) services.push_back(it.service);
  std::sort(services.begin(), services.end());
  services.erase(std::unique(services.begin(), services.end()), services.end());
  // Each service alone, then (if there are several) all of them: jobs of different services
  // that share clerks (births and deaths at a registry office) compete for the same windows.
  if (services.size() > 1) services.push_back(kAllServices);
  std::vector<char> list_used(p.lists.size(), 0);
  Count best;
  for (int s : services) {
    std::vector<const Item*> of;
    for (const Item& it : jobs) {
      if (s == kAllServices || it.service == s) of.push_back(&it);
    }
    std::vector<int> lengths, dues;
    for (const Item* it : of) {
      lengths.push_back(it->duration);
      dues.push_back(it->due);
    }
    for (std::vector<int>* v : {&lengths, &dues}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    std::vector<int> levels;
    for (int i = 1; i <= kMaxCountLevels; ++i)
      levels.push_back(dues[(dues.size() - 1) * i / kMaxCountLevels]);
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    for (int len_min : lengths) {
      for (int level : levels) {
        std::vector<double> extras;
        std::vector<int> lists;
        int release = kInfinity, due = 0;
        for (const Item* it : of) {
          if (it->duration < len_min || it->due > level) continue;
          extras.push_back(it->extra);
          release = std::min(release, it->release);
          due = std::max(due, it->due);
          for (int oi = it->offices_begin; oi < it->offices_end; ++oi) {
            const int l = p.ListIndex(p.job_offices[oi], it->service);
            if (!list_used[l]) lists.push_back(l);
            list_used[l] = 1;
          }
        }
        std::int64_t capacity = 0;
        const std::int64_t count = static_cast<std::int64_t>(extras.size());
        ++stamp;  // a window in several services' lists counts once
        std::vector<int> touched;
        for (int l : lists) {
          list_used[l] = 0;
          for (int w : p.lists[l]) {
            if (seen[w] == stamp) continue;
            seen[w] = stamp;
            const Window& win = p.windows[w];
            const int len = std::min(win.end, due) - std::max(win.start, release);
            if (len < len_min) continue;
            if (win.overtime) {
              capacity += len / len_min;
            } else {
              if (od_jobs[win.office_day] == 0) touched.push_back(win.office_day);
              od_jobs[win.office_day] += len / len_min;
            }
          }
        }
        // Rule 6: an office-day's regular minutes hold at most floor(cap / L) such jobs.
        for (int od : touched) {
          capacity += std::min<std::int64_t>(od_jobs[od], p.office_days[od].regular_cap / len_min);
          od_jobs[od] = 0;
        }
        if (capacity >= count) continue;
        const std::size_t missing = static_cast<std::size_t>(count - capacity);
        std::nth_element(extras.begin(), extras.begin() + (missing - 1), extras.end());
        double cost = 0;
        for (std::size_t i = 0; i < missing; ++i) cost += extras[i];
        if (cost > best.cost) best = {cost, s, len_min, level};
      }
    }
  }
  return best;
}

// The knapsack term of `jobs` (sorted cheapest per minute first) that can only use `windows`:
// at each deadline level D, the minutes due by D that the windows' minutes before D (regular
// minutes capped per office-day) cannot hold stay unassigned at least cost.
double Knapsack(const Problem& p, const std::vector<Item>& jobs, const std::vector<int>& windows,
                std::vector<std::int64_t>& od_minutes) {
  int shortest = kInfinity;
  for (const Item& it : jobs) shortest = std::min(shortest, it.duration);
  std::vector<int> dues;
  for (const Item& it : jobs) dues.push_back(it.due);
  std::sort(dues.begin(), dues.end());
  dues.erase(std::unique(dues.begin(), dues.end()), dues.end());
  std::vector<int> levels;
  for (int i = 1; i <= kMaxLevels && !dues.empty(); ++i) {
    levels.push_back(dues[(dues.size() - 1) * i / kMaxLevels]);
  }
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  double best = 0;
  for (int level : levels) {
    std::int64_t demand = 0;
    for (const Item& it : jobs) demand += it.due <= level ? it.duration : 0;
    std::int64_t capacity = 0;
    std::vector<int> touched;
    for (int w : windows) {
      const Window& win = p.windows[w];
      const int len = std::min(win.end, level) - win.start;
      if (len < shortest) continue;
      if (win.overtime) {
        capacity += len;
      } else {
        if (od_minutes[win.office_day] == 0) touched.push_back(win.office_day);
        od_minutes[win.office_day] += len;
      }
    }
    for (int od : touched) {
      capacity += std::min<std::int64_t>(od_minutes[od], p.office_days[od].regular_cap);
      od_minutes[od] = 0;
    }
    std::int64_t missing = demand - capacity;
    if (missing <= 0) continue;
    double cost = 0;
    for (const Item& it : jobs) {
      if (it.due > level) continue;
      const std::int64_t take = std::min<std::int64_t>(missing, it.duration);
      cost += it.extra * static_cast<double>(take) / it.duration;
      missing -= take;
      if (missing == 0) break;
    }
    best = std::max(best, cost);
  }
  return best;
}

// Σ over offices o of max(knapsack, count term) of the jobs whose only allowed office is o, in
// o's windows among `windows` (disjoint jobs, windows and office-days). `jobs` are sorted
// cheapest per minute first. (Grouping offices joined by jobs' allowed offices instead, so that
// every job counts, gave one group per component on region: no gain.)
double SingleOfficeTerms(const Problem& p, const std::vector<Item>& jobs,
                         const std::vector<int>& windows, std::vector<int>& seen, int& stamp,
                         std::vector<std::int64_t>& od_minutes) {
  std::map<int, std::vector<Item>> by_office;
  for (const Item& it : jobs) {
    if (it.offices_end - it.offices_begin == 1)
      by_office[p.job_offices[it.offices_begin]].push_back(it);
  }
  if (by_office.empty()) return 0;
  std::map<int, std::vector<int>> windows_at;
  for (int w : windows) {
    auto it = by_office.find(p.windows[w].office);
    if (it != by_office.end()) windows_at[it->first].push_back(w);
  }
  double sum = 0;
  for (const auto& [office, items] : by_office) {
    const double knapsack = Knapsack(p, items, windows_at[office], od_minutes);
    sum += std::max(knapsack, CountTerm(p, items, seen, stamp, od_minutes).cost);
  }
  return sum;
}

// The sum over offices o of the queueing bounds of the jobs whose only allowed office is o in o's
// windows (disjoint jobs and windows), plus the other jobs' a_j.
double SingleOfficeQueues(const Problem& p, const std::vector<Item>& jobs,
                          const std::vector<int>& windows) {
  std::map<int, std::vector<int>> by_office;
  double others = 0;
  for (const Item& it : jobs) {
    if (it.offices_end - it.offices_begin == 1) {
      by_office[p.job_offices[it.offices_begin]].push_back(it.job);
    } else {
      others += p.jobs[it.job].unassigned_cost - it.extra;
    }
  }
  if (by_office.empty()) return 0;
  std::map<int, std::vector<int>> windows_at;
  for (int w : windows) {
    if (by_office.count(p.windows[w].office) > 0) windows_at[p.windows[w].office].push_back(w);
  }
  double sum = others;
  for (const auto& [office, members] : by_office) {
    sum += ComputeQueueingBound(p, members, windows_at[office]);
  }
  return sum;
}

// The shortfall terms of `jobs` (sorted cheapest per minute first) alone, with their a_j.
double ShortfallBound(const Problem& p, const std::vector<Item>& jobs,
                      const std::vector<int>& windows, std::vector<int>& seen, int& stamp,
                      std::vector<std::int64_t>& od_minutes) {
  if (jobs.empty()) return 0;
  double placement = 0;
  for (const Item& it : jobs) placement += p.jobs[it.job].unassigned_cost - it.extra;
  return placement + std::max({Knapsack(p, jobs, windows, od_minutes),
                               CountTerm(p, jobs, seen, stamp, od_minutes).cost,
                               SingleOfficeTerms(p, jobs, windows, seen, stamp, od_minutes)});
}

// The queueing bounds of `jobs` (sorted cheapest per minute first) in `windows`: of all of them
// (the component's queue, and the sum of the single-office queues), and of the jobs with a
// deadline alone (their shortfall or queue) plus the others alone (their queue or shortfall):
// a plan's cost is a sum over jobs and dropping jobs keeps it feasible, so bounds on disjoint
// sets add up. The shortfall of jobs due in days (births at a registry office whose clerks are
// full until then) and the others' wait thus count together.
double QueueTerms(const Problem& p, const std::vector<Item>& jobs, const std::vector<int>& windows,
                  std::vector<int>& seen, int& stamp, std::vector<std::int64_t>& od_minutes) {
  auto queue = [&](const std::vector<Item>& set) {
    if (set.empty()) return 0.0;
    std::vector<int> members;
    for (const Item& it : set) members.push_back(it.job);
    return std::max(ComputeQueueingBound(p, members, windows), SingleOfficeQueues(p, set, windows));
  };
  std::vector<Item> due, others;
  for (const Item& it : jobs) (it.due < p.horizon_end ? due : others).push_back(it);
  double best = queue(jobs);
  if (!due.empty() && !others.empty()) {
    const double split =
        std::max(queue(due), ShortfallBound(p, due, windows, seen, stamp, od_minutes)) +
        std::max(queue(others), ShortfallBound(p, others, windows, seen, stamp, od_minutes));
    best = std::max(best, split);
  }
  return best;
}

}  // namespace

CapacityBound ComputeCapacityBound(const Problem& p) {
  CapacityBound out;
  const int nodes = static_cast<int>(p.lists.size());
  if (p.jobs.empty() || nodes == 0) return out;
  UnionFind uf(nodes);
  std::vector<int> clerk_node(p.clerk_count, -1);
  for (const Window& w : p.windows) {
    for (int s = 0; s < p.service_count; ++s) {
      if (!p.Qualified(w.clerk, s)) continue;
      const int node = p.ListIndex(w.office, s);
      if (clerk_node[w.clerk] < 0) clerk_node[w.clerk] = node;
      uf.Unite(node, clerk_node[w.clerk]);
    }
  }
  std::vector<std::vector<Item>> items(nodes);
  for (const Job& j : p.jobs) {
    bool fits = false;
    const double a = CheapestPlacement(p, j, fits);
    out.job_placement.push_back(a);
    out.placement += a;
    if (!fits) {
      ++out.forced_unassigned;
      continue;
    }
    const int root = uf.Find(p.ListIndex(p.job_offices[j.offices_begin], j.service));
    for (int oi = j.offices_begin + 1; oi < j.offices_end; ++oi)
      uf.Unite(p.ListIndex(p.job_offices[oi], j.service), root);
    items[root].push_back({j.due, j.duration, j.unassigned_cost - a, j.service, j.release,
                           j.offices_begin, j.offices_end, static_cast<int>(&j - p.jobs.data())});
  }
  // Allowed offices may have merged components after a job was filed: regroup by final root.
  std::vector<std::vector<Item>> by_root(nodes);
  for (int n = 0; n < nodes; ++n) {
    for (const Item& it : items[n]) by_root[uf.Find(n)].push_back(it);
  }
  std::vector<std::vector<int>> windows_of(nodes);
  for (int w = 0; w < static_cast<int>(p.windows.size()); ++w) {
    const int c = p.windows[w].clerk;
    if (clerk_node[c] >= 0) windows_of[uf.Find(clerk_node[c])].push_back(w);
  }
  std::vector<std::int64_t> od_minutes(p.office_days.size(), 0);
  std::vector<int> seen(p.windows.size(), 0);
  int stamp = 0;
  out.component.assign(p.jobs.size(), -1);
  for (int root = 0; root < nodes; ++root) {
    std::vector<Item>& jobs = by_root[root];
    if (jobs.empty()) continue;
    const int id = static_cast<int>(out.component_bound.size());
    double placement = 0;
    for (const Item& it : jobs) {
      out.component[it.job] = id;
      placement += p.jobs[it.job].unassigned_cost - it.extra;
    }
    std::sort(jobs.begin(), jobs.end(), [](const Item& a, const Item& b) {
      return a.extra * b.duration < b.extra * a.duration;  // cheapest per minute first
    });
    const double best = Knapsack(p, jobs, windows_of[root], od_minutes);
    const Count count = CountTerm(p, jobs, seen, stamp, od_minutes);
    out.shortfall_cost += std::max(best, count.cost);
    // Components are joined by clerks who work at several offices and by jobs that accept
    // several, but a job bound to one office only uses that office's windows: the sum of the
    // offices' own terms is a bound too, and where a few overloaded offices sit in a large
    // component it is much stronger than the component's term (region: 791.6 M -> 887.9 M).
    const double local = SingleOfficeTerms(p, jobs, windows_of[root], seen, stamp, od_minutes);
    if (local > std::max(best, count.cost)) {
      out.office_cost += local - std::max(best, count.cost);
      out.shortfall_cost += local - std::max(best, count.cost);
    }
    const double queue = QueueTerms(p, jobs, windows_of[root], seen, stamp, od_minutes);
    const double term = placement + std::max({best, count.cost, local});
    if (queue > term) out.queue_cost += queue - term;
    out.component_bound.push_back(std::max(term, queue));
    if (count.cost <= best) continue;
    out.count_cost += count.cost - best;
    // A set of all services would take the whole component out of the fluid, which then loses
    // all its delay costs; only sets of one service are separated.
    if (count.service == kAllServices) continue;
    out.separate_bound += count.cost;
    if (out.separate.empty()) out.separate.assign(p.jobs.size(), 0);
    for (const Item& it : jobs) {
      if ((count.service != kAllServices && it.service != count.service) ||
          it.duration < count.length || it.due > count.due) {
        continue;
      }
      out.separate[it.job] = 1;
      out.separate_bound += p.jobs[it.job].unassigned_cost - it.extra;
    }
  }
  out.lower_bound = out.placement + out.shortfall_cost + out.queue_cost;
  // Sums of many terms: a margin far below any objective unit.
  out.lower_bound = std::max(0.0, out.lower_bound - 1e-9 * out.lower_bound);
  return out;
}

}  // namespace rebook::solver::internal
