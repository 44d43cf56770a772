// Disjoint sets over 0..n-1 with path halving: Find returns a set's representative, Unite joins
// two sets. Used to split a problem into parts that share nothing (capacity components for the
// bound, independent parts for the search).
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_UNION_FIND_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_UNION_FIND_H_

#include <numeric>
#include <vector>

namespace rebook::solver::internal {

class UnionFind {
 public:
  explicit UnionFind(int n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int Find(int x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Unite(int a, int b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<int> parent_;
};

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_UNION_FIND_H_
