#include "services/solver/internal/min_cost_flow.h"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

namespace rebook::solver::internal {

FlowResult SolveMinCostFlow(int nodes, const std::vector<std::int64_t>& supply,
                            const std::vector<FlowArc>& arcs) {
  using Graph = lemon::SmartDigraph;
  Graph g;
  g.reserveNode(nodes);
  g.reserveArc(static_cast<int>(arcs.size()));
  std::vector<Graph::Node> node(nodes);
  for (int i = 0; i < nodes; ++i) node[i] = g.addNode();
  Graph::ArcMap<std::int64_t> cap(g), cost(g);
  Graph::NodeMap<std::int64_t> sup(g);
  for (int i = 0; i < nodes; ++i) sup[node[i]] = supply[i];
  std::vector<Graph::Arc> arc(arcs.size());
  for (std::size_t i = 0; i < arcs.size(); ++i) {
    arc[i] = g.addArc(node[arcs[i].from], node[arcs[i].to]);
    cap[arc[i]] = arcs[i].capacity;
    cost[arc[i]] = arcs[i].cost;
  }
  lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t> ns(g);
  ns.upperMap(cap).costMap(cost).supplyMap(sup);
  FlowResult r;
  r.optimal = ns.run() == lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t>::OPTIMAL;
  if (!r.optimal) return r;
  r.cost = ns.totalCost<std::int64_t>();
  r.flow.resize(arcs.size());
  for (std::size_t i = 0; i < arcs.size(); ++i) r.flow[i] = ns.flow(arc[i]);
  r.potential.resize(nodes);
  for (int i = 0; i < nodes; ++i) r.potential[i] = ns.potential(node[i]);
  return r;
}

}  // namespace rebook::solver::internal
