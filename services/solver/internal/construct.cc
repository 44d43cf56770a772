#include <algorithm>
#include <tuple>

#include "services/solver/internal/search.h"

namespace rebook::solver::internal {
namespace {

void RunPass(Schedule& s, const std::vector<int>& jobs, const std::vector<char>& critical,
             const std::vector<int>& target) {
  const Problem& p = s.problem();
  std::vector<int> order = jobs;
  auto key = [&](int j) {
    const Job& job = p.jobs[j];
    const int when = critical[j] ? job.due : (target.empty() ? job.release : target[j]);
    return std::make_tuple(critical[j] ? 0 : 1, when,
                           -static_cast<double>(job.priority) / job.duration, job.original_start,
                           j);
  };
  std::sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
  for (int j : order) {
    if (s.IsPlaced(j)) continue;
    Slot slot = s.FindBestSlot(j, p.jobs[j].unassigned_cost);
    if (slot.window >= 0) s.Place(j, slot.window, slot.start);
  }
}

}  // namespace

void Construct(Schedule& s, const std::vector<int>& target) {
  const Problem& p = s.problem();
  std::vector<int> jobs;
  for (int j = 0; j < static_cast<int>(p.jobs.size()); ++j) {
    if (!s.IsPlaced(j) && !s.IsLocked(j)) jobs.push_back(j);
  }
  std::vector<char> critical(p.jobs.size(), 0);
  std::vector<Placement> best;
  double best_cost = 0;
  for (int pass = 0; pass < 3; ++pass) {
    RunPass(s, jobs, critical, target);
    if (pass == 0 || s.total_cost() < best_cost) {
      best_cost = s.total_cost();
      best.clear();
      for (int j : jobs) {
        if (s.IsPlaced(j)) best.push_back({j, s.WindowOf(j), s.StartOf(j)});
      }
    }
    bool more = false;
    for (int j : jobs) {
      if (!s.IsPlaced(j) && p.jobs[j].due < p.horizon_end && !critical[j]) {
        critical[j] = 1;
        more = true;
      }
    }
    if (!more || pass == 2) break;
    for (int j : jobs) s.Remove(j);
  }
  for (int j : jobs) s.Remove(j);
  for (const Placement& b : best) s.Place(b.job, b.window, b.start);
}

}  // namespace rebook::solver::internal
