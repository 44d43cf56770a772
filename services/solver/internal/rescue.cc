// Ejection moves for unassigned jobs: open a gap by taking out a run of consecutive jobs of one
// window, place the unassigned job there, and give the ejected jobs their best slots elsewhere.
// Also the same for costly placed jobs (EjectionPass), and long jobs making way for the jobs
// waiting behind them (PostponePass).
#include <algorithm>
#include <limits>
#include <tuple>

#include "services/solver/internal/search.h"

namespace rebook::solver::internal {
namespace {

constexpr int kMaxRun = 24;             // longest run of consecutive jobs to eject
constexpr std::size_t kEvaluated = 12;  // candidate openings evaluated exactly per job
constexpr int kScannedWindows = 400;
// Rescues of ejected jobs that found no free slot (unassigned jobs only): levels, and openings
// evaluated per nested level. Small instances get one level more in the closing (thorough) pass:
// varied-65-s4's optimum places one more job by a chain of five moves. In every pass it cost
// 13-35 % more CPU where jobs stay out for good (varied-50-s6/s7); on city each level
// multiplies the failed attempts.
constexpr int kMaxDepth = 2;
constexpr int kSmallMaxDepth = 3;
constexpr std::size_t kSmallMaxJobs = 1000;
// Nested rescues per job in that deeper search (8 openings per level would allow 8 + 64 + 512):
// varied-65-s4 needs 64 (32 leave its job out); unlimited cost varied-65-s7 35 % more CPU.
constexpr int kDeepNestedRescues = 64;
constexpr std::size_t kNestedEvaluated = 4;
// Openings evaluated besides the cheapest: those whose ejected jobs are due latest.
constexpr std::size_t kLatestDue = 4;
// PostponePass: at most this many waiting jobs pulled into a long job's time.
constexpr int kMaxPulled = 8;
// Admit (small instances, after Rescue failed): openings tried, and the most jobs re-planned
// around each.
constexpr std::size_t kAdmitOpenings = 4;
constexpr std::size_t kAdmitNeighbourhood = 32;

struct Opening {
  double estimate;          // sum of the ejected jobs' weights: a cheap proxy of the harm
  int slack;                // minus the earliest due of the ejected jobs: later due goes first
  int window, first, last;  // occupants [first, last] of the window are ejected
};

// Every run of consecutive unlocked occupants of a window whose ejection lets `j0` fit there.
std::vector<Opening> Openings(const Schedule& s, const Problem& p, int j0) {
  const Job& job = p.jobs[j0];
  std::vector<Opening> openings;
  for (int oi = job.offices_begin; oi < job.offices_end; ++oi) {
    const int l = p.ListIndex(p.job_offices[oi], job.service);
    const std::vector<int>& list = p.lists[l];
    auto it = std::lower_bound(list.begin(), list.end(), job.release - p.list_max_length[l],
                               [&](int w, int x) { return p.windows[w].start < x; });
    for (int scanned = 0; it != list.end() && scanned < kScannedWindows; ++it, ++scanned) {
      const Window& w = p.windows[*it];
      if (w.start + job.duration > job.due) break;
      if (w.end < job.release + job.duration) continue;
      const auto& occ = s.Occupants(*it);
      for (int a = 0; a < static_cast<int>(occ.size()); ++a) {
        double weight = 0;
        int due = std::numeric_limits<int>::max();
        bool locked = false;
        for (int b = a; b < static_cast<int>(occ.size()) && b < a + kMaxRun; ++b) {
          locked |= s.IsLocked(occ[b].job);
          weight += p.jobs[occ[b].job].weight * p.jobs[occ[b].job].duration;
          due = std::min(due, p.jobs[occ[b].job].due);
          const int left = std::max({a == 0 ? w.start : occ[a - 1].end, job.release});
          const int right =
              std::min(b + 1 == static_cast<int>(occ.size()) ? w.end : occ[b + 1].start, job.due);
          if (locked) break;
          if (right - left >= job.duration) {
            openings.push_back({weight, -due, *it, a, b});
            break;
          }
        }
      }
    }
  }
  return openings;
}

}  // namespace

bool Improver::RescuePass(bool thorough) {
  bool improved = false;
  for (int j : movable_) {
    if (s_.IsPlaced(j)) continue;
    // Chains towards later deadlines are what the deeper search finds: only for jobs due
    // before the horizon ends (others left out mean the time is full until the end).
    const bool small =
        thorough && p_.jobs.size() <= kSmallMaxJobs && p_.jobs[j].due < p_.horizon_end;
    const int depth = small ? kSmallMaxDepth : kMaxDepth;
    nested_left_ = small ? kDeepNestedRescues : std::numeric_limits<int>::max();
    if (Rescue(j, s_.total_cost() - 1e-7, depth) || (small && Admit(j, s_.total_cost() - 1e-7))) {
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
    if (Rescue(j, before - 1e-7, 0)) {
      improved = true;
      ++improvements_;
    } else {
      s_.Place(j, w, start);
    }
  }
  return improved;
}

int Improver::PullIntoFreedTime(int w, int s0, int end, int skip) {
  int fills = 0;
  for (; fills < kMaxPulled; ++fills) {
    // A job that starts in [s0, end) must end before the next job of w from `end` on.
    int gap_end = p_.windows[w].end;
    for (const Schedule::Occupant& o : s_.Occupants(w)) {
      if (o.start >= end) {
        gap_end = o.start;
        break;
      }
    }
    int pick = -1, pick_start = 0;
    double pick_gain = 1e-7;
    for (int j : office_jobs_[p_.windows[w].office]) {
      if (j == skip || !s_.IsPlaced(j) || s_.StartOf(j) <= s0 ||
          !p_.Qualified(p_.windows[w].clerk, p_.jobs[j].service)) {
        continue;
      }
      // Cheap necessary conditions first: at least two such jobs fit in the freed time, it ends
      // in the gap, and no start from s0 on costs less than the delay at s0.
      const Job& job = p_.jobs[j];
      const double cost = s_.JobCost(j);
      if (2 * job.duration > end - s0 || std::max(s0, job.release) + job.duration > gap_end ||
          cost - job.weight * std::max(0, s0 - job.release) <= pick_gain) {
        continue;
      }
      const int jw = s_.WindowOf(j), js = s_.StartOf(j);
      s_.Remove(j);
      const int t = s_.EarliestStartIn(j, w, s0);
      if (t >= 0 && t < end && cost - s_.SlotCost(j, w, t) > pick_gain && s_.CanPlace(j, w, t)) {
        pick = j;
        pick_start = t;
        pick_gain = cost - s_.SlotCost(j, w, t);
      }
      s_.Place(j, jw, js);
    }
    if (pick < 0) break;
    Take(pick);
    Put(pick, w, pick_start);
  }
  return fills;
}

bool Improver::PostponePass(const std::function<bool()>& stop) {
  if (p_.jobs.size() > kSmallMaxJobs) return false;
  std::vector<int> order;
  for (int j : movable_) {
    if (!s_.IsPlaced(j)) continue;
    int shortest = p_.jobs[j].duration;
    for (int k : office_jobs_[p_.windows[s_.WindowOf(j)].office])
      shortest = std::min(shortest, p_.jobs[k].duration);
    if (p_.jobs[j].duration >= 2 * shortest) order.push_back(j);
  }
  bool improved = false;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int l = order[i];
    if (i % 64 == 0 && stop && stop()) break;
    if (!s_.IsPlaced(l)) continue;
    const double before = s_.total_cost();
    const std::size_t mark = journal_.size();
    const int w = s_.WindowOf(l), s0 = s_.StartOf(l);
    Take(l);
    // With nothing pulled in, moving l alone is the reinsert pass's move.
    if (PullIntoFreedTime(w, s0, s0 + p_.jobs[l].duration, l) > 0) {
      const Slot slot = s_.FindBestSlot(l);
      if (slot.window >= 0) Put(l, slot.window, slot.start);
      if (s_.total_cost() < before - 1e-7) {
        improved = true;
        ++improvements_;
        journal_.resize(mark);  // kept: nothing to undo
        continue;
      }
    }
    UndoTo(mark);
  }
  return improved;
}

void Improver::Put(int job, int window, int start) {
  s_.Place(job, window, start);
  journal_.push_back({job, window, start, true});
}

void Improver::Take(int job) {
  journal_.push_back({job, s_.WindowOf(job), s_.StartOf(job), false});
  s_.Remove(job);
}

void Improver::UndoTo(std::size_t mark) {
  while (journal_.size() > mark) {
    const Change c = journal_.back();
    journal_.pop_back();
    if (c.placed) {
      s_.Remove(c.job);
    } else {
      s_.Place(c.job, c.window, c.start);
    }
  }
}

bool Improver::Rescue(int j0, double limit, int levels, bool nested) {
  if (nested && nested_left_-- <= 0) return false;
  std::vector<Opening> openings = Openings(s_, p_, j0);
  std::sort(openings.begin(), openings.end(), [](const Opening& x, const Opening& y) {
    return std::tie(x.estimate, x.window, x.first) < std::tie(y.estimate, y.window, y.first);
  });
  // The cheapest openings, and then those whose jobs are due latest: where everything is full
  // until the deadline, only a chain towards later deadlines places the job.
  const std::size_t evaluated = nested ? kNestedEvaluated : kEvaluated;
  if (openings.size() > evaluated + kLatestDue) {
    std::partial_sort(openings.begin() + evaluated, openings.begin() + evaluated + kLatestDue,
                      openings.end(), [](const Opening& x, const Opening& y) {
                        return std::tie(x.slack, x.estimate, x.window, x.first) <
                               std::tie(y.slack, y.estimate, y.window, y.first);
                      });
    openings.resize(evaluated + kLatestDue);
  }
  const std::size_t mark = journal_.size();
  for (const Opening& o : openings) {
    std::vector<int> order;
    for (int i = o.first; i <= o.last; ++i) {
      order.push_back(s_.Occupants(o.window)[o.first].job);
      Take(order.back());
    }
    const int start = s_.EarliestStartIn(j0, o.window, 0);
    if (start >= 0) {
      Put(j0, o.window, start);
      std::sort(order.begin(), order.end(), [&](int x, int y) {
        return p_.jobs[x].unassigned_cost > p_.jobs[y].unassigned_cost;
      });
      for (int j : order) {
        Slot slot = s_.FindBestSlot(j, p_.jobs[j].unassigned_cost);
        if (slot.window >= 0) Put(j, slot.window, slot.start);
      }
      if (levels > 0) {
        for (int j : order) {
          if (!s_.IsPlaced(j)) Rescue(j, s_.total_cost() - 1e-7, levels - 1, true);
        }
      }
      if (s_.total_cost() < limit) {
        if (!nested) journal_.resize(mark);
        return true;
      }
    }
    UndoTo(mark);
  }
  return false;
}

// Where no chain of single moves places j0 (varied-35-s10: its slot holds three jobs that can
// only go to another office, whose jobs then shift in turn), j0 takes an opening and the
// ejected jobs and their neighbours in time at every office they may use are re-planned
// together by regret (the job that would lose most without its best slot goes first; an exact
// assignment to their old slots and ruin-and-recreate by priority were tried: the assignment
// never found it, and eight recreates cost 1 ms more for 0.002 %).
bool Improver::Admit(int j0, double limit) {
  std::vector<Opening> openings = Openings(s_, p_, j0);
  std::sort(openings.begin(), openings.end(), [](const Opening& x, const Opening& y) {
    return std::tie(x.estimate, x.window, x.first) < std::tie(y.estimate, y.window, y.first);
  });
  if (openings.size() > kAdmitOpenings) openings.resize(kAdmitOpenings);
  std::vector<std::pair<int, int>> saved(p_.jobs.size());
  for (std::size_t j = 0; j < saved.size(); ++j) saved[j] = {s_.WindowOf(j), s_.StartOf(j)};
  auto restore = [&] {
    std::vector<int> moved;
    for (std::size_t j = 0; j < saved.size(); ++j) {
      if (s_.WindowOf(j) != saved[j].first ||
          (saved[j].first >= 0 && s_.StartOf(j) != saved[j].second)) {
        moved.push_back(static_cast<int>(j));
        s_.Remove(static_cast<int>(j));
      }
    }
    for (int j : moved) {
      if (saved[j].first >= 0) s_.Place(j, saved[j].first, saved[j].second);
    }
  };
  for (const Opening& o : openings) {
    std::vector<int> hood;
    std::vector<int> when;  // the ejected jobs' starts
    for (int i = o.first; i <= o.last; ++i) {
      hood.push_back(s_.Occupants(o.window)[o.first].job);
      when.push_back(s_.StartOf(hood.back()));
      s_.Remove(hood.back());
    }
    const int start = s_.EarliestStartIn(j0, o.window, 0);
    if (start < 0) {
      restore();
      continue;
    }
    s_.Place(j0, o.window, start);
    std::vector<std::pair<int, int>> near;  // (distance in time, job)
    for (std::size_t e = 0; e < when.size(); ++e) {
      const Job& job = p_.jobs[hood[e]];
      for (int oi = job.offices_begin; oi < job.offices_end; ++oi) {
        const int l = p_.ListIndex(p_.job_offices[oi], job.service);
        for (int w : p_.lists[l]) {
          for (const Schedule::Occupant& occ : s_.Occupants(w)) {
            if (occ.job != j0 && !s_.IsLocked(occ.job))
              near.push_back({std::abs(occ.start - when[e]), occ.job});
          }
        }
      }
    }
    std::sort(near.begin(), near.end());
    for (const auto& [d, j] : near) {
      if (hood.size() >= kAdmitNeighbourhood) break;
      if (std::find(hood.begin(), hood.end(), j) == hood.end()) hood.push_back(j);
    }
    RegretRecreate(hood);
    if (s_.total_cost() < limit) return true;
    restore();
  }
  return false;
}

}  // namespace rebook::solver::internal
