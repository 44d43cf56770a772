#include "services/solver/internal/capacity_bound.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace rebook::solver::internal {
namespace {

// Windows scanned per (job, office) for its cheapest start; past it, the next window's start
// bounds the cost from below (later windows start later).
constexpr int kMaxScan = 2048;
// Deadline levels tried per component (quantiles of its jobs' deadlines; each is valid alone).
constexpr int kMaxLevels = 32;

class UnionFind {
 public:
  explicit UnionFind(int n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int Find(int x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Unite(int a, int b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<int> parent_;
};

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
  struct Item {
    int due, duration;
    double extra;  // u_j - a_j: what leaving it unassigned adds
  };
  std::vector<std::vector<Item>> items(nodes);
  for (const Job& j : p.jobs) {
    bool fits = false;
    const double a = CheapestPlacement(p, j, fits);
    out.placement += a;
    if (!fits) {
      ++out.forced_unassigned;
      continue;
    }
    const int root = uf.Find(p.ListIndex(p.job_offices[j.offices_begin], j.service));
    for (int oi = j.offices_begin + 1; oi < j.offices_end; ++oi)
      uf.Unite(p.ListIndex(p.job_offices[oi], j.service), root);
    items[root].push_back({j.due, j.duration, j.unassigned_cost - a});
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
  for (int root = 0; root < nodes; ++root) {
    std::vector<Item>& jobs = by_root[root];
    if (jobs.empty()) continue;
    int shortest = kInfinity;
    for (const Item& it : jobs) shortest = std::min(shortest, it.duration);
    std::sort(jobs.begin(), jobs.end(), [](const Item& a, const Item& b) {
      return a.extra * b.duration < b.extra * a.duration;  // cheapest per minute first
    });
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
      for (int w : windows_of[root]) {
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
    out.shortfall_cost += best;
  }
  out.lower_bound = out.placement + out.shortfall_cost;
  // Sums of many terms: a margin far below any objective unit.
  out.lower_bound = std::max(0.0, out.lower_bound - 1e-9 * out.lower_bound);
  return out;
}

}  // namespace rebook::solver::internal
