// Counting inversions, shared by the solver's report and the rebooking views of a plan that
// recount first-come-first-served order.
#ifndef REBOOK_SERVICES_SOLVER_INVERSIONS_H_
#define REBOOK_SERVICES_SOLVER_INVERSIONS_H_

#include <cstdint>
#include <vector>

namespace rebook::solver {

// The number of pairs i < j with keys[i] > keys[j], in O(n log n). Sorts `keys`.
std::int64_t CountInversions(std::vector<std::int64_t>& keys);

}  // namespace rebook::solver

#endif  // REBOOK_SERVICES_SOLVER_INVERSIONS_H_
