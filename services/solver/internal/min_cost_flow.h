// A thin wrapper around LEMON's network simplex, so that only one file sees LEMON.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_MIN_COST_FLOW_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_MIN_COST_FLOW_H_

#include <cstdint>
#include <vector>

namespace rebook::solver::internal {

struct FlowArc {
  int from, to;
  std::int64_t capacity;
  std::int64_t cost;
};

struct FlowResult {
  bool optimal = false;
  std::int64_t cost = 0;
  std::vector<std::int64_t> flow;       // per arc
  std::vector<std::int64_t> potential;  // per node; reduced cost = cost + pot[from] - pot[to]
};

// Min-cost flow with node supplies (positive: source, negative: demand; they must sum to 0).
FlowResult SolveMinCostFlow(int nodes, const std::vector<std::int64_t>& supply,
                            const std::vector<FlowArc>& arcs);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_MIN_COST_FLOW_H_
