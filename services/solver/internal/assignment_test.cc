#include "services/solver/internal/assignment.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "gtest/gtest.h"

namespace rebook::solver::internal {
namespace {

double BruteForce(const std::vector<double>& cost, int n, int m) {
  std::vector<int> cols(m);
  std::iota(cols.begin(), cols.end(), 0);
  double best = kForbidden;
  do {
    double total = 0;
    for (int r = 0; r < n; ++r) total += cost[r * m + cols[r]];
    best = std::min(best, total);
  } while (std::next_permutation(cols.begin(), cols.end()));
  return best;
}

TEST(AssignmentTest, MatchesBruteForceOnRandomMatrices) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 4), m = n + static_cast<int>(rng() % 3);
    std::vector<double> cost(n * m);
    for (double& c : cost) c = rng() % 5 == 0 ? kForbidden : static_cast<double>(rng() % 100);
    const double best = BruteForce(cost, n, m);
    std::vector<int> col = SolveAssignment(cost, n, m);
    if (best >= kForbidden) {
      EXPECT_TRUE(col.empty());
      continue;
    }
    ASSERT_EQ(static_cast<int>(col.size()), n);
    double total = 0;
    for (int r = 0; r < n; ++r) total += cost[r * m + col[r]];
    EXPECT_DOUBLE_EQ(total, best);
    std::vector<int> sorted = col;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_TRUE(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  }
}

}  // namespace
}  // namespace rebook::solver::internal
