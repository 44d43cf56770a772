#include "services/solver/internal/dense_simplex.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "gtest/gtest.h"
#include "services/solver/internal/lp_master.h"

namespace rebook::solver::internal {
namespace {

// A master shaped like the time-indexed bound's (time_indexed_bound.cc): `classes` equality rows
// (members to place), `caps` capacity rows (<=), `windows` convexity rows (<= 1), one leave-out
// column per class, then columns that each take a few members of a few classes into one window.
struct RandomMaster {
  std::vector<LpRow> rows;
  int classes, caps, windows;
};

RandomMaster MakeMaster(std::mt19937& rng, int classes, int caps, int windows) {
  RandomMaster m{{}, classes, caps, windows};
  std::uniform_int_distribution<int> count(1, 4), cap(5, 60);
  for (int k = 0; k < classes; ++k) {
    const double c = count(rng);
    m.rows.push_back({c, c});
  }
  for (int c = 0; c < caps; ++c) m.rows.push_back({-kLpInfinity, 1.0 * cap(rng)});
  for (int w = 0; w < windows; ++w) m.rows.push_back({-kLpInfinity, 1.0});
  return m;
}

struct Column {
  double cost, lower, upper;
  std::vector<std::pair<int, double>> entries;
};

Column RandomColumn(std::mt19937& rng, const RandomMaster& m, bool integral_costs) {
  std::uniform_int_distribution<int> klass(0, m.classes - 1), cap(0, m.caps - 1),
      window(0, m.windows - 1), members(1, 4), duration(1, 3);
  std::uniform_real_distribution<double> cost(0, 30);
  Column c{0, 0, kLpInfinity, {}};
  const int n = members(rng);
  std::vector<double> per_row(m.rows.size(), 0.0);
  for (int i = 0; i < n; ++i) {
    per_row[klass(rng)] += 1;
    per_row[m.classes + cap(rng)] += 5.0 * duration(rng);
    c.cost += integral_costs ? std::round(cost(rng)) : cost(rng);
  }
  per_row[m.classes + m.caps + window(rng)] = 1;
  for (std::size_t r = 0; r < per_row.size(); ++r)
    if (per_row[r] != 0) c.entries.emplace_back(static_cast<int>(r), per_row[r]);
  return c;
}

// Checks that `lp`'s last solution is optimal: primal feasible, and its duals price every
// column and row consistently with where the solution puts it.
void ExpectOptimal(const LpMaster& lp, const std::vector<LpRow>& rows,
                   const std::vector<Column>& columns) {
  const std::vector<double>& x = lp.primal();
  const std::vector<double>& y = lp.duals();
  ASSERT_EQ(x.size(), columns.size());
  ASSERT_EQ(y.size(), rows.size());
  std::vector<double> activity(rows.size(), 0.0);
  double objective = 0;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const Column& c = columns[j];
    EXPECT_GE(x[j], c.lower - 1e-7);
    EXPECT_LE(x[j], c.upper + 1e-7);
    objective += c.cost * x[j];
    double d = c.cost;
    for (const auto& [r, a] : c.entries) {
      activity[r] += a * x[j];
      d -= y[r] * a;
    }
    if (x[j] > c.lower + 1e-7) {
      EXPECT_LE(d, 1e-6) << "column " << j;
    }
    if (x[j] < c.upper - 1e-7) {
      EXPECT_GE(d, -1e-6) << "column " << j;
    }
  }
  EXPECT_NEAR(objective, lp.objective(), 1e-6 * (1 + std::abs(objective)));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    EXPECT_GE(activity[r], rows[r].lower - 1e-6) << "row " << r;
    EXPECT_LE(activity[r], rows[r].upper + 1e-6) << "row " << r;
    // A row strictly inside its bounds has no price; one at its upper bound a price <= 0.
    if (activity[r] < rows[r].upper - 1e-6) {
      EXPECT_GE(y[r], -1e-6) << "row " << r;
    }
    if (activity[r] > rows[r].lower + 1e-6) {
      EXPECT_LE(y[r], 1e-6) << "row " << r;
    }
  }
}

// Column generation's use: grow the master in rounds, re-solving after each. The dense path must
// reach CLP's optimal value every round (the vertex may differ: the masters are degenerate) and
// must do most of the re-solves itself.
TEST(DenseSimplexTest, MatchesClpOnGrowingMasters) {
  int dense_solves = 0, solves = 0;
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    const RandomMaster m = MakeMaster(rng, 5 + seed % 20, 1 + seed % 5, 3 + seed % 17);
    const bool integral = seed % 2 == 0;  // integral costs: many ties, degenerate pivots
    LpMaster dense(m.rows), clp(m.rows, /*dense=*/false);
    std::vector<Column> columns;
    for (int k = 0; k < m.classes; ++k) {
      columns.push_back({200.0 + k, 0, m.rows[k].upper, {{k, 1.0}}});
    }
    for (int round = 0; round < 25; ++round) {
      const int add = round == 0 ? 3 : 1 + static_cast<int>(rng() % 6);
      for (int i = 0; i < add; ++i) columns.push_back(RandomColumn(rng, m, integral));
      const std::size_t before = columns.size() - add - (round == 0 ? m.classes : 0);
      for (std::size_t j = before; j < columns.size(); ++j) {
        dense.AddColumn(columns[j].cost, columns[j].lower, columns[j].upper, columns[j].entries);
        clp.AddColumn(columns[j].cost, columns[j].lower, columns[j].upper, columns[j].entries);
      }
      ASSERT_TRUE(clp.Solve());
      ASSERT_TRUE(dense.Solve()) << "seed " << seed << " round " << round;
      EXPECT_NEAR(dense.objective(), clp.objective(), 1e-7 * (1 + std::abs(clp.objective())))
          << "seed " << seed << " round " << round;
      ExpectOptimal(dense, m.rows, columns);
      ++solves;
      dense_solves += dense.solved_dense();
    }
  }
  // Every re-solve after each master's first (which is CLP's).
  EXPECT_EQ(dense_solves, solves - 40);
}

TEST(DenseSimplexTest, AMasterAboveTheRowLimitStaysWithClp) {
  std::vector<LpRow> rows(kDenseMaxRows + 1, LpRow{-kLpInfinity, 1.0});
  rows[0] = {1, 1};
  LpMaster lp(rows);
  lp.AddColumn(5, 0, kLpInfinity, {{0, 1.0}});
  ASSERT_TRUE(lp.Solve());
  lp.AddColumn(1, 0, kLpInfinity, {{0, 1.0}, {1, 1.0}});
  ASSERT_TRUE(lp.Solve());
  EXPECT_FALSE(lp.solved_dense());
  EXPECT_NEAR(lp.objective(), 1.0, 1e-9);
}

TEST(DenseSimplexTest, ReportsUnboundednessAndLpMasterLetsClpConfirm) {
  // min -x, x - y <= 1 (row), x, y >= 0 with y free to grow: unbounded once y exists.
  DenseSimplex lp({{-kLpInfinity, 1}});
  lp.AddColumn(-1, 0, kLpInfinity, {{0, 1.0}});
  // Optimal vertex of the first LP: x = 1 basic, the row at its upper bound.
  ASSERT_TRUE(lp.SetBasis({1, 1}, {false, true}));
  ASSERT_EQ(lp.Solve(), DenseSimplex::Result::kOptimal);
  EXPECT_NEAR(lp.objective(), -1, 1e-12);
  EXPECT_NEAR(lp.duals()[0], -1, 1e-12);
  lp.AddColumn(0, 0, kLpInfinity, {{0, -1.0}});
  EXPECT_EQ(lp.Solve(), DenseSimplex::Result::kUnbounded);

  LpMaster master({{-kLpInfinity, 1}});
  master.AddColumn(-1, 0, kLpInfinity, {{0, 1.0}});
  ASSERT_TRUE(master.Solve());
  master.AddColumn(0, 0, kLpInfinity, {{0, -1.0}});
  EXPECT_FALSE(master.Solve());
}

TEST(DenseSimplexTest, RefusesABasisThatIsNotOne) {
  DenseSimplex lp({{1, 1}, {-kLpInfinity, 4}});
  lp.AddColumn(1, 0, kLpInfinity, {{0, 1.0}, {1, 1.0}});
  lp.AddColumn(2, 0, kLpInfinity, {{0, 2.0}, {1, 2.0}});
  // Wrong count.
  EXPECT_FALSE(lp.SetBasis({1, 1, 1, 0}, {true, true, true, false}));
  // Singular: the two columns are parallel.
  EXPECT_FALSE(lp.SetBasis({1, 1, 0.5, 0.25}, {false, false, true, true}));
  // Values that are not the basis's: x1 = 1 is implied, 0.7 is claimed.
  EXPECT_FALSE(lp.SetBasis({1, 1, 0.7, 0}, {false, true, true, false}));
  // A nonbasic column between its bounds.
  EXPECT_FALSE(lp.SetBasis({1, 1, 1, 0.3}, {false, true, true, false}));
  EXPECT_EQ(lp.Solve(), DenseSimplex::Result::kFailed);
  // The real vertex: x1 = 1 basic, row 1 basic at 1.
  ASSERT_TRUE(lp.SetBasis({1, 1, 1, 0}, {false, true, true, false}));
  ASSERT_EQ(lp.Solve(), DenseSimplex::Result::kOptimal);
  EXPECT_NEAR(lp.objective(), 1, 1e-12);
}

// A column added at a nonzero lower bound moves the basic values; one that makes them
// infeasible ends the dense path (there is no phase 1), and LpMaster's CLP still solves it.
TEST(DenseSimplexTest, AColumnWithANonzeroLowerBoundIsHandedToClp) {
  LpMaster lp({{1, 1}});
  lp.AddColumn(3, 0, kLpInfinity, {{0, 1.0}});
  ASSERT_TRUE(lp.Solve());
  lp.AddColumn(1, 0.25, 1, {{0, 1.0}});  // feasible: the first column drops to 0.75, then 0
  ASSERT_TRUE(lp.Solve());
  EXPECT_TRUE(lp.solved_dense());
  EXPECT_NEAR(lp.objective(), 1, 1e-9);
  lp.AddColumn(0, 2, 3, {{0, 1.0}});  // infeasible at any basis: row 0 would be >= 2
  EXPECT_FALSE(lp.Solve());
}

}  // namespace
}  // namespace rebook::solver::internal
