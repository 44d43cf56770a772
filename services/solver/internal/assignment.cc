#include "services/solver/internal/assignment.h"

#include <limits>

namespace rebook::solver::internal {

std::vector<int> SolveAssignment(const std::vector<double>& cost, int n, int m) {
  // Shortest augmenting paths with potentials (1-based arrays, column 0 is a sentinel).
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0), v(m + 1, 0), minv(m + 1);
  std::vector<int> p(m + 1, 0), way(m + 1, 0);
  std::vector<char> used(m + 1);
  for (int i = 1; i <= n; ++i) {
    p[0] = i;
    int j0 = 0;
    std::fill(minv.begin(), minv.end(), inf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      const int i0 = p[j0];
      double delta = inf;
      int j1 = -1;
      for (int j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double c = cost[static_cast<std::size_t>(i0 - 1) * m + (j - 1)];
        const double cur = c >= kForbidden ? inf : c - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      if (j1 < 0 || delta == inf) return {};
      for (int j = 0; j <= m; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const int j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<int> col(n, -1);
  for (int j = 1; j <= m; ++j) {
    if (p[j] != 0) col[p[j] - 1] = j - 1;
  }
  return col;
}

}  // namespace rebook::solver::internal
