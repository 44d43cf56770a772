#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

#include "services/solver/internal/assignment.h"
#include "services/solver/internal/search.h"

namespace rebook::solver::internal {
namespace {

constexpr int kMaxNeighbourhood = 32;
constexpr int kRegretEvery = 6;  // steps per regret recreate, once all jobs are placed
constexpr double kImprovement = 1e-7;

// Removes `jobs` from the schedule and returns where the placed ones were.
std::vector<Placement> TakeOut(Schedule& s, const std::vector<int>& jobs) {
  std::vector<Placement> old;
  for (int j : jobs) {
    if (s.IsPlaced(j)) old.push_back({j, s.WindowOf(j), s.StartOf(j)});
  }
  for (int j : jobs) s.Remove(j);
  return old;
}

// Undoes a neighbourhood: removes `jobs` again and puts `old` back.
void PutBack(Schedule& s, const std::vector<int>& jobs, const std::vector<Placement>& old) {
  for (int j : jobs) s.Remove(j);
  for (const Placement& o : old) s.Place(o.job, o.window, o.start);
}

}  // namespace

Improver::Improver(Schedule& s, std::uint64_t seed) : s_(s), p_(s.problem()), rng_(seed) {
  office_jobs_.resize(p_.office_count);
  for (int j = 0; j < static_cast<int>(p_.jobs.size()); ++j) {
    if (s_.IsLocked(j)) continue;
    movable_.push_back(j);
    for (int o = p_.jobs[j].offices_begin; o < p_.jobs[j].offices_end; ++o) {
      office_jobs_[p_.job_offices[o]].push_back(j);
    }
  }
}

bool Improver::Accept(double before) const {
  const double after = s_.total_cost();
  if (after < before - kImprovement) return true;
  return threshold_ > 0 && after <= before + threshold_ && std::abs(after - before) > kImprovement;
}

bool Improver::ReinsertPass() {
  std::vector<int> order = movable_;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    double ca = s_.JobCost(a), cb = s_.JobCost(b);
    return ca != cb ? ca > cb : a < b;
  });
  bool improved = false;
  for (int j : order) {
    const double before = s_.JobCost(j);
    const int w = s_.WindowOf(j), start = s_.StartOf(j);
    s_.Remove(j);
    Slot slot = s_.FindBestSlot(j, before - kImprovement);
    if (slot.window >= 0) {
      s_.Place(j, slot.window, slot.start);
      improved = true;
    } else if (w >= 0) {
      s_.Place(j, w, start);
    }
  }
  return improved;
}

std::vector<int> Improver::PickAroundTime(int seed) {
  const Job& j0 = p_.jobs[seed];
  const int office = s_.IsPlaced(seed) ? p_.windows[s_.WindowOf(seed)].office : j0.office;
  const int t = s_.IsPlaced(seed) ? s_.StartOf(seed) : j0.release;
  static constexpr int kRadius[] = {45, 120, 480, 1440};
  const int radius = kRadius[Uniform(4)];
  const int l = p_.ListIndex(office, j0.service);
  const std::vector<int>& list = p_.lists[l];
  std::vector<std::pair<int, int>> found;  // (distance, job)
  const int from = t - radius - p_.list_max_length[l];
  auto it = std::lower_bound(list.begin(), list.end(), from,
                             [&](int w, int x) { return p_.windows[w].start < x; });
  for (; it != list.end() && p_.windows[*it].start <= t + radius; ++it) {
    for (const Schedule::Occupant& o : s_.Occupants(*it)) {
      if (std::abs(o.start - t) <= radius && !s_.IsLocked(o.job)) {
        found.push_back({std::abs(o.start - t), o.job});
      }
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<int> jobs = {seed};
  for (const auto& [d, job] : found) {
    if (static_cast<int>(jobs.size()) >= kMaxNeighbourhood) break;
    if (job != seed) jobs.push_back(job);
  }
  // Jobs of this office that now wait longer (or are unassigned) may move into the freed time.
  const std::vector<int>& pool = office_jobs_[office];
  for (int k = 0; k < 24 && !pool.empty() && static_cast<int>(jobs.size()) < kMaxNeighbourhood + 8;
       ++k) {
    const int u = pool[Uniform(pool.size())];
    if ((!s_.IsPlaced(u) || s_.StartOf(u) > t + radius) &&
        std::find(jobs.begin(), jobs.end(), u) == jobs.end()) {
      jobs.push_back(u);
    }
  }
  return jobs;
}

// The unassigned job and everything in one window where it could fit if the window were empty.
std::vector<int> Improver::PickForUnassigned(int seed) {
  const Job& j0 = p_.jobs[seed];
  std::vector<int> windows;
  for (int oi = j0.offices_begin; oi < j0.offices_end; ++oi) {
    const int l = p_.ListIndex(p_.job_offices[oi], j0.service);
    const std::vector<int>& list = p_.lists[l];
    auto it = std::lower_bound(list.begin(), list.end(), j0.release - p_.list_max_length[l],
                               [&](int w, int x) { return p_.windows[w].start < x; });
    for (; it != list.end() && p_.windows[*it].start + j0.duration <= j0.due; ++it) {
      const Window& w = p_.windows[*it];
      if (std::min(w.end, j0.due) - std::max(w.start, j0.release) >= j0.duration) {
        windows.push_back(*it);
      }
      if (windows.size() >= 400) break;
    }
  }
  std::vector<int> jobs = {seed};
  if (windows.empty()) return jobs;
  const int w = windows[Uniform(windows.size())];
  for (const Schedule::Occupant& o : s_.Occupants(w)) {
    if (!s_.IsLocked(o.job) && static_cast<int>(jobs.size()) < kMaxNeighbourhood)
      jobs.push_back(o.job);
  }
  return jobs;
}

bool Improver::Step() {
  if (movable_.empty()) return false;
  ++steps_;
  if (steps_ % 1024 == 1) {
    unassigned_.clear();
    for (int j : movable_) {
      if (!s_.IsPlaced(j)) unassigned_.push_back(j);
    }
  }
  // One neighbourhood in eight starts from an unassigned job: they dominate the objective.
  int seed = movable_[Uniform(movable_.size())];
  if (!unassigned_.empty() && steps_ % 8 == 0) seed = unassigned_[Uniform(unassigned_.size())];
  std::vector<int> jobs = s_.IsPlaced(seed) ? PickAroundTime(seed) : PickForUnassigned(seed);
  if (jobs.size() < 2 && s_.IsPlaced(seed)) return false;
  // An unassigned seed goes first when recreating, so that it gets the space it needs.
  const bool rescue = !s_.IsPlaced(seed);
  // Once every job is placed, one neighbourhood in six is recreated by regret instead. Not
  // before: while jobs wait unassigned, regret steps crowd out the steps that place them (on
  // halle and easter the search ran out of patience with 11 to 13 still unassigned).
  const bool regret = !rescue && unassigned_.empty() && steps_ % kRegretEvery == 1;
  bool improved;
  if (regret) {
    improved = RegretRecreate(jobs);
  } else if (rescue || steps_ % 2 == 0) {
    improved = RuinRecreate(jobs, rescue);
  } else {
    improved = Repair(jobs);
  }
  if (improved) {
    ++improvements_;
    return true;
  }
  return false;
}

bool Improver::Repair(const std::vector<int>& jobs) {
  const double before = s_.total_cost();
  const int n = static_cast<int>(jobs.size());
  const std::vector<Placement> old = TakeOut(s_, jobs);
  // Columns: old slots, then one "elsewhere" and one "unassigned" column per job.
  const int slots = static_cast<int>(old.size());
  const int cols = slots + 2 * n;
  std::vector<double> cost(static_cast<std::size_t>(n) * cols, kForbidden);
  for (int r = 0; r < n; ++r) {
    const int j = jobs[r];
    const Job& job = p_.jobs[j];
    for (int c = 0; c < slots; ++c) {
      const Placement& o = old[c];
      const int length = p_.jobs[o.job].duration;
      if (job.duration > length || !p_.Qualified(p_.windows[o.window].clerk, job.service)) continue;
      if (!s_.CanPlace(j, o.window, o.start)) continue;
      cost[static_cast<std::size_t>(r) * cols + c] = s_.SlotCost(j, o.window, o.start);
    }
    Slot elsewhere = s_.FindBestSlot(j, job.unassigned_cost);
    if (elsewhere.window >= 0)
      cost[static_cast<std::size_t>(r) * cols + slots + r] = elsewhere.cost;
    cost[static_cast<std::size_t>(r) * cols + slots + n + r] = job.unassigned_cost;
  }
  std::vector<int> col = SolveAssignment(cost, n, cols);
  bool ok = !col.empty();
  if (ok) {
    std::vector<int> outside;
    for (int r = 0; r < n; ++r) {
      if (col[r] < slots) {
        s_.Place(jobs[r], old[col[r]].window, old[col[r]].start);
      } else if (col[r] < slots + n) {
        outside.push_back(jobs[r]);
      }
    }
    std::sort(outside.begin(), outside.end(),
              [&](int a, int b) { return p_.jobs[a].weight > p_.jobs[b].weight; });
    for (int j : outside) {
      Slot slot = s_.FindBestSlot(j, p_.jobs[j].unassigned_cost);
      if (slot.window >= 0) s_.Place(j, slot.window, slot.start);
    }
    // Slide each job to an earlier free start if one opened up.
    for (int j : jobs) {
      if (!s_.IsPlaced(j)) continue;
      const double c = s_.JobCost(j);
      const int w = s_.WindowOf(j), start = s_.StartOf(j);
      s_.Remove(j);
      Slot slot = s_.FindBestSlot(j, c - kImprovement);
      if (slot.window >= 0) {
        s_.Place(j, slot.window, slot.start);
      } else {
        s_.Place(j, w, start);
      }
    }
    ok = Accept(before);
  }
  if (!ok) {
    PutBack(s_, jobs, old);
  }
  return ok;
}

bool Improver::RuinRecreate(const std::vector<int>& jobs, bool first_goes_first) {
  const double before = s_.total_cost();
  const std::vector<Placement> old = TakeOut(s_, jobs);
  // Recreate in order of priority per minute of work, perturbed so that repeated tries differ.
  std::vector<std::pair<double, int>> order;
  for (int j : jobs) {
    const double noise = 1.0 + 0.5 * static_cast<double>(Uniform(1000)) / 1000.0;
    const Job& job = p_.jobs[j];
    const bool urgent = job.due < p_.horizon_end;
    order.push_back({-(urgent ? 2.0 : 1.0) * job.weight / job.duration * noise, j});
  }
  if (first_goes_first) order.front().first = -1e300;
  std::sort(order.begin(), order.end());
  for (const auto& [key, j] : order) {
    Slot slot = s_.FindBestSlot(j, p_.jobs[j].unassigned_cost);
    if (slot.window >= 0) s_.Place(j, slot.window, slot.start);
  }
  if (Accept(before)) return true;
  PutBack(s_, jobs, old);
  return false;
}

bool Improver::RegretRecreate(const std::vector<int>& jobs) {
  const double before = s_.total_cost();
  const std::vector<Placement> old = TakeOut(s_, jobs);
  std::vector<int> left = jobs;
  while (!left.empty()) {
    int pick = -1;
    double most = -1;
    Slot where;
    for (int i = 0; i < static_cast<int>(left.size()); ++i) {
      const int j = left[i];
      auto [b1, b2] = s_.FindTwoBestSlots(j);
      if (b1.window < 0) continue;
      const double fallback = std::min(b2.cost, p_.jobs[j].unassigned_cost);
      const double noise = 1.0 + 0.2 * static_cast<double>(Uniform(1000)) / 1000.0;
      const double regret = (fallback - b1.cost) * noise;
      if (regret > most) {
        most = regret;
        pick = i;
        where = b1;
      }
    }
    if (pick < 0) break;  // the rest fit nowhere
    s_.Place(left[pick], where.window, where.start);
    left.erase(left.begin() + pick);
  }
  if (Accept(before)) return true;
  PutBack(s_, jobs, old);
  return false;
}

void Improver::FcfsPass(const std::function<bool()>& stop) {
  std::map<std::pair<std::int64_t, int>, std::vector<int>> groups;
  for (int j : movable_) {
    if (s_.IsPlaced(j)) groups[{p_.jobs[j].fcfs_group, p_.jobs[j].duration}].push_back(j);
  }
  for (auto& [key, members] : groups) {
    if (stop && stop()) return;
    if (members.size() >= 2) ReorderGroup(members);
  }
}

// Jobs of one FCFS group and duration cost the same in each other's slots (same priority,
// original office and length), so any feasible permutation keeps the objective. Chunk by chunk
// (in slot order), the chunk's jobs and the earliest bookings of the rest of the group share
// their slots by an assignment that puts earlier bookings into earlier slots where feasible.
void Improver::ReorderGroup(std::vector<int>& members) {
  auto by_start = [&](int a, int b) {
    return s_.StartOf(a) != s_.StartOf(b) ? s_.StartOf(a) < s_.StartOf(b) : a < b;
  };
  auto by_booking = [&](int a, int b) {
    return p_.jobs[a].original_start != p_.jobs[b].original_start
               ? p_.jobs[a].original_start < p_.jobs[b].original_start
               : a < b;
  };
  std::sort(members.begin(), members.end(), by_start);
  constexpr std::size_t kChunk = 48;
  for (std::size_t begin = 0; begin < members.size(); begin += kChunk) {
    const std::size_t n = std::min(kChunk, members.size() - begin);
    std::vector<int> movers(members.begin() + begin, members.begin() + begin + n);
    std::vector<int> rest(members.begin() + begin + n, members.end());
    const std::size_t extra = std::min(n, rest.size());
    std::partial_sort(rest.begin(), rest.begin() + extra, rest.end(), by_booking);
    movers.insert(movers.end(), rest.begin(), rest.begin() + extra);
    const int m = static_cast<int>(movers.size());
    std::vector<Placement> slot;
    for (int j : movers) slot.push_back({j, s_.WindowOf(j), s_.StartOf(j)});
    std::sort(slot.begin(), slot.end(), [](const Placement& a, const Placement& b) {
      return a.start != b.start ? a.start < b.start : a.window < b.window;
    });
    std::sort(movers.begin(), movers.end(), by_booking);
    const double before = s_.total_cost();
    for (int j : movers) s_.Remove(j);
    // Usually booking order fits slot order as it is; only otherwise solve the assignment.
    std::vector<int> col(m);
    for (int r = 0; r < m && !col.empty(); ++r) {
      if (s_.CanPlace(movers[r], slot[r].window, slot[r].start)) {
        col[r] = r;
      } else {
        col.clear();
      }
    }
    if (col.empty()) {
      std::vector<double> cost(static_cast<std::size_t>(m) * m, kForbidden);
      for (int r = 0; r < m; ++r) {
        for (int c = 0; c < m; ++c) {
          if (s_.CanPlace(movers[r], slot[c].window, slot[c].start)) {
            cost[static_cast<std::size_t>(r) * m + c] = static_cast<double>((r - c) * (r - c));
          }
        }
      }
      col = SolveAssignment(cost, m, m);
    }
    if (!col.empty()) {
      for (int r = 0; r < m; ++r) s_.Place(movers[r], slot[col[r]].window, slot[col[r]].start);
    }
    if (col.empty() || std::abs(s_.total_cost() - before) > 1e-6) {
      for (int j : movers) s_.Remove(j);
      for (const Placement& o : slot) s_.Place(o.job, o.window, o.start);
    }
    std::sort(members.begin() + begin, members.end(), by_start);
  }
}

}  // namespace rebook::solver::internal
