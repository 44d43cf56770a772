#include <algorithm>

#include "services/solver/internal/search.h"

namespace rebook::solver::internal {

void PlaceFromLp(Schedule& s, const std::vector<LpSchedule>& schedules,
                 const std::vector<int>& job_class) {
  const Problem& p = s.problem();
  // Members of each class, first come first served.
  int classes = 0;
  for (int k : job_class) classes = std::max(classes, k + 1);
  std::vector<std::vector<int>> members(classes);
  for (int j = 0; j < static_cast<int>(job_class.size()); ++j) {
    if (!s.IsPlaced(j) && !s.IsLocked(j)) members[job_class[j]].push_back(j);
  }
  for (auto& m : members) {
    std::sort(m.begin(), m.end(), [&](int a, int b) {
      return p.jobs[a].original_start != p.jobs[b].original_start
                 ? p.jobs[a].original_start < p.jobs[b].original_start
                 : a < b;
    });
  }
  std::vector<std::size_t> next(classes, 0);
  for (const LpSchedule& schedule : schedules) {
    for (const auto& [k, minute] : schedule.placements) {
      std::vector<int>& m = members[k];
      while (next[k] < m.size() && s.IsPlaced(m[next[k]])) ++next[k];
      if (next[k] >= m.size()) continue;  // the class is placed in full already
      const int job = m[next[k]];
      const int start = s.EarliestStartIn(job, schedule.window, minute);
      if (start >= 0 && s.CanPlace(job, schedule.window, start))
        s.Place(job, schedule.window, start);
    }
  }
}

}  // namespace rebook::solver::internal
