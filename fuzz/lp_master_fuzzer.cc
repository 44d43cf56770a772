// Fuzzes the solver's master LP (LpMaster) with its dense re-solves (DenseSimplex) against the
// same master solved by CLP alone, on small LPs that grow by columns as column generation grows
// them. The input's bytes are read in order: the rows (count, then each row's kind and bound),
// then rounds of columns (cost, bounds, entries), each round followed by a solve of both.
// Invariants, every round: both masters agree on whether the LP is solved; where solved, the
// objectives agree, and the dense master's solution is primal feasible, its objective is c.x,
// and its duals price every column and row as an optimal solution's must (reduced costs and row
// prices of the right sign where the solution is at a bound, zero where it is not).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "services/solver/internal/lp_master.h"

namespace internal = rebook::solver::internal;

namespace {

class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return at_ >= size_; }
  int Next() { return at_ < size_ ? data_[at_++] : 0; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

struct Column {
  double cost, lower, upper;
  std::vector<std::pair<int, double>> entries;
};

constexpr double kTolerance = 1e-6;

double Scale(double v) { return 1 + std::abs(v); }

// The optimality conditions of `lp`'s solution, as in dense_simplex_test.cc.
void CheckOptimal(const internal::LpMaster& lp, const std::vector<internal::LpRow>& rows,
                  const std::vector<Column>& columns) {
  const std::vector<double>& x = lp.primal();
  const std::vector<double>& y = lp.duals();
  REBOOK_FUZZ_CHECK(x.size() == columns.size(), "one value per column");
  REBOOK_FUZZ_CHECK(y.size() == rows.size(), "one dual per row");
  std::vector<double> activity(rows.size(), 0.0), size(rows.size(), 0.0);
  double objective = 0, magnitude = 0;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const Column& c = columns[j];
    REBOOK_FUZZ_CHECK(x[j] >= c.lower - kTolerance * Scale(c.lower), "column " + std::to_string(j));
    REBOOK_FUZZ_CHECK(x[j] <= c.upper + kTolerance * Scale(c.upper), "column " + std::to_string(j));
    objective += c.cost * x[j];
    magnitude += std::abs(c.cost * x[j]);
    double d = c.cost, d_size = std::abs(c.cost);
    for (const auto& [r, a] : c.entries) {
      activity[r] += a * x[j];
      size[r] += std::abs(a * x[j]);
      d -= y[r] * a;
      d_size += std::abs(y[r] * a);
    }
    const double slack = kTolerance * Scale(x[j]);
    if (x[j] > c.lower + slack) REBOOK_FUZZ_CHECK(d <= kTolerance * Scale(d_size), "column d > 0");
    if (x[j] < c.upper - slack) REBOOK_FUZZ_CHECK(d >= -kTolerance * Scale(d_size), "column d < 0");
  }
  REBOOK_FUZZ_CHECK(std::abs(objective - lp.objective()) <= kTolerance * Scale(magnitude),
                    "objective is c.x");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double slack = kTolerance * Scale(size[r]);
    REBOOK_FUZZ_CHECK(activity[r] >= rows[r].lower - slack, "row " + std::to_string(r));
    REBOOK_FUZZ_CHECK(activity[r] <= rows[r].upper + slack, "row " + std::to_string(r));
    if (activity[r] < rows[r].upper - slack) REBOOK_FUZZ_CHECK(y[r] >= -kTolerance, "row price");
    if (activity[r] > rows[r].lower + slack) REBOOK_FUZZ_CHECK(y[r] <= kTolerance, "row price");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  const int m = 1 + in.Next() % 16;
  std::vector<internal::LpRow> rows;
  for (int r = 0; r < m; ++r) {
    const int kind = in.Next() % 4;
    const double b = in.Next() % 8;
    if (kind == 0) rows.push_back({b, b});                       // = b
    if (kind == 1) rows.push_back({-internal::kLpInfinity, b});  // <= b
    if (kind == 2) rows.push_back({b, internal::kLpInfinity});   // >= b
    if (kind == 3) rows.push_back({b, b + 1 + in.Next() % 8});   // a range
  }
  internal::LpMaster dense(rows), clp(rows, /*dense=*/false);
  std::vector<Column> columns;
  for (int round = 0; round < 40 && !in.empty(); ++round) {
    const int add = 1 + in.Next() % 4;
    for (int i = 0; i < add; ++i) {
      Column c;
      c.cost = static_cast<std::int8_t>(in.Next()) / 4.0;
      const int bounds = in.Next();
      c.lower = (bounds & 3) == 3 ? -internal::kLpInfinity : (bounds & 3) == 2 ? 1 : 0;
      c.upper = (bounds & 4) != 0 ? internal::kLpInfinity : std::max(c.lower, 0.0) + 1 + bounds % 5;
      const int n = 1 + in.Next() % 4;
      for (int e = 0; e < n; ++e) {
        const int row = in.Next() % m;
        const int value = static_cast<std::int8_t>(in.Next()) % 6;
        if (value == 0) continue;
        auto same = std::find_if(c.entries.begin(), c.entries.end(),
                                 [&](const auto& entry) { return entry.first == row; });
        if (same != c.entries.end()) continue;
        c.entries.emplace_back(row, value);
      }
      std::sort(c.entries.begin(), c.entries.end());
      dense.AddColumn(c.cost, c.lower, c.upper, c.entries);
      clp.AddColumn(c.cost, c.lower, c.upper, c.entries);
      columns.push_back(std::move(c));
    }
    const bool solved = clp.Solve();
    const bool dense_solved = dense.Solve();
    REBOOK_FUZZ_CHECK(solved == dense_solved, "round " + std::to_string(round) + ": CLP " +
                                                  std::to_string(solved) + ", dense master " +
                                                  std::to_string(dense_solved));
    if (!solved) continue;
    REBOOK_FUZZ_CHECK(std::abs(dense.objective() - clp.objective()) <=
                          kTolerance * Scale(std::abs(clp.objective())),
                      "round " + std::to_string(round) + ": " + std::to_string(dense.objective()) +
                          " against CLP's " + std::to_string(clp.objective()));
    CheckOptimal(dense, rows, columns);
  }
  return 0;
}
