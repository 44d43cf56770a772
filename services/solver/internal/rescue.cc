// Ejection moves for unassigned jobs: open a gap by taking out a run of consecutive jobs of one
// window, place the unassigned job there, and give the ejected jobs their best slots elsewhere.
#include <algorithm>
#include <tuple>

#include "services/solver/internal/search.h"

namespace rebook::solver::internal {
namespace {

constexpr int kMaxRun = 24;     // longest run of consecutive jobs to eject
constexpr int kEvaluated = 12;  // candidate openings evaluated exactly per job
constexpr int kScannedWindows = 400;

struct Opening {
  double estimate;          // sum of the ejected jobs' weights: a cheap proxy of the harm
  int window, first, last;  // occupants [first, last] of the window are ejected
};

}  // namespace

bool Improver::RescuePass() {
  bool improved = false;
  for (int j : movable_) {
    if (!s_.IsPlaced(j) && Rescue(j, s_.total_cost() - 1e-7)) {
      improved = true;
      ++improvements_;
    }
  }
  return improved;
}

bool Improver::EjectionPass(const std::function<bool()>& stop) {
  std::vector<int> order;
  for (int j : movable_) {
    if (s_.IsPlaced(j) && s_.JobCost(j) > 0) order.push_back(j);
  }
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const double ca = s_.JobCost(a), cb = s_.JobCost(b);
    return ca != cb ? ca > cb : a < b;
  });
  bool improved = false;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int j = order[i];
    if (i % 64 == 0 && stop && stop()) break;
    if (!s_.IsPlaced(j)) continue;
    const double before = s_.total_cost();
    const int w = s_.WindowOf(j), start = s_.StartOf(j);
    s_.Remove(j);
    if (Rescue(j, before - 1e-7)) {
      improved = true;
      ++improvements_;
    } else {
      s_.Place(j, w, start);
    }
  }
  return improved;
}

bool Improver::Rescue(int j0, double limit) {
  const Job& job = p_.jobs[j0];
  std::vector<Opening> openings;
  for (int oi = job.offices_begin; oi < job.offices_end; ++oi) {
    const int l = p_.ListIndex(p_.job_offices[oi], job.service);
    const std::vector<int>& list = p_.lists[l];
    auto it = std::lower_bound(list.begin(), list.end(), job.release - p_.list_max_length[l],
                               [&](int w, int x) { return p_.windows[w].start < x; });
    for (int scanned = 0; it != list.end() && scanned < kScannedWindows; ++it, ++scanned) {
      const Window& w = p_.windows[*it];
      if (w.start + job.duration > job.due) break;
      if (w.end < job.release + job.duration) continue;
      const auto& occ = s_.Occupants(*it);
      for (int a = 0; a < static_cast<int>(occ.size()); ++a) {
        double weight = 0;
        bool locked = false;
        for (int b = a; b < static_cast<int>(occ.size()) && b < a + kMaxRun; ++b) {
          locked |= s_.IsLocked(occ[b].job);
          weight += p_.jobs[occ[b].job].weight * p_.jobs[occ[b].job].duration;
          const int left = std::max({a == 0 ? w.start : occ[a - 1].end, job.release});
          const int right =
              std::min(b + 1 == static_cast<int>(occ.size()) ? w.end : occ[b + 1].start, job.due);
          if (locked) break;
          if (right - left >= job.duration) {
            openings.push_back({weight, *it, a, b});
            break;
          }
        }
      }
    }
  }
  std::sort(openings.begin(), openings.end(), [](const Opening& x, const Opening& y) {
    return std::tie(x.estimate, x.window, x.first) < std::tie(y.estimate, y.window, y.first);
  });
  if (openings.size() > kEvaluated) openings.resize(kEvaluated);
  for (const Opening& o : openings) {
    std::vector<std::tuple<int, int, int>> ejected;  // (job, window, start)
    for (int i = o.first; i <= o.last; ++i) {
      const auto& occ = s_.Occupants(o.window);
      ejected.push_back({occ[o.first].job, o.window, occ[o.first].start});
      s_.Remove(occ[o.first].job);
    }
    const int start = s_.EarliestStartIn(j0, o.window, 0);
    if (start >= 0) {
      s_.Place(j0, o.window, start);
      std::vector<int> order;
      for (auto& [j, w, st] : ejected) order.push_back(j);
      std::sort(order.begin(), order.end(), [&](int x, int y) {
        return p_.jobs[x].unassigned_cost > p_.jobs[y].unassigned_cost;
      });
      for (int j : order) {
        Slot slot = s_.FindBestSlot(j, p_.jobs[j].unassigned_cost);
        if (slot.window >= 0) s_.Place(j, slot.window, slot.start);
      }
      if (s_.total_cost() < limit) return true;
      for (int j : order) s_.Remove(j);
      s_.Remove(j0);
    }
    for (auto& [j, w, st] : ejected) s_.Place(j, w, st);
  }
  return false;
}

}  // namespace rebook::solver::internal
