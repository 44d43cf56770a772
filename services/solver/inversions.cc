#include "services/solver/inversions.h"

#include <algorithm>

namespace rebook::solver {

std::int64_t CountInversions(std::vector<std::int64_t>& keys) {
  if (keys.size() < 2) return 0;
  std::vector<std::int64_t> tmp(keys.size());
  std::int64_t count = 0;
  for (std::size_t width = 1; width < keys.size(); width *= 2) {
    for (std::size_t lo = 0; lo < keys.size(); lo += 2 * width) {
      std::size_t mid = std::min(lo + width, keys.size()),
                  hi = std::min(lo + 2 * width, keys.size());
      std::size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi) {
        if (keys[b] < keys[a]) {
          count += static_cast<std::int64_t>(mid - a);
          tmp[k++] = keys[b++];
        } else {
          tmp[k++] = keys[a++];
        }
      }
      while (a < mid) tmp[k++] = keys[a++];
      while (b < hi) tmp[k++] = keys[b++];
    }
    keys.swap(tmp);
  }
  return count;
}

}  // namespace rebook::solver
