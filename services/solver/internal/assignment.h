// Min-cost assignment of n rows to m >= n columns (the Hungarian method, O(n^2 m)).
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_ASSIGNMENT_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_ASSIGNMENT_H_

#include <vector>

namespace rebook::solver::internal {

// Costs of at least kForbidden mean "not allowed".
constexpr double kForbidden = 1e30;

// `cost` is row-major, rows x cols with rows <= cols. Returns the column of each row, or an
// empty vector if some row cannot be given an allowed column.
std::vector<int> SolveAssignment(const std::vector<double>& cost, int rows, int cols);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_ASSIGNMENT_H_
