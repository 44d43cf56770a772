// Schedule: the mutable state of a plan under construction, with fast "best slot" queries.
//
// Each (office, service) list of windows carries a max-segment tree of the largest free gap of
// each window. Its regular windows fall into blocks of consecutive windows of one office-day, and
// a second tree over the blocks holds min(the block's largest gap, the office-day's remaining
// reserve capacity), so a search skips full windows and full office-days in O(log n), and placing
// a job updates one block per list rather than every window of its office-day.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_SCHEDULE_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_SCHEDULE_H_

#include <limits>
#include <vector>

#include "services/solver/internal/problem.h"

namespace rebook::solver::internal {

struct Slot {
  int window = -1;  // -1: none found
  int start = 0;
  double cost = std::numeric_limits<double>::infinity();
};

// Where a job is placed: its window and start (e.g. to put jobs back after a failed move).
struct Placement {
  int job, window, start;
};

class Schedule {
 public:
  explicit Schedule(const Problem& problem);

  const Problem& problem() const { return p_; }
  bool IsPlaced(int job) const { return job_window_[job] >= 0; }
  int WindowOf(int job) const { return job_window_[job]; }
  int StartOf(int job) const { return job_start_[job]; }
  bool IsLocked(int job) const { return locked_[job]; }
  void SetLocked(int job, bool locked) { locked_[job] = locked; }
  double total_cost() const { return total_cost_; }
  int RegularMinutesUsed(int office_day) const { return od_used_[office_day]; }

  // The job's objective at (window, start), assuming the slot is feasible.
  double SlotCost(int job, int window, int start) const;
  // The job's current objective: its slot's cost, or its unassigned cost.
  double JobCost(int job) const;
  // Cheapest feasible slot for the unplaced `job`; ties go to the earlier start. Only slots
  // cheaper than `limit` are considered.
  Slot FindBestSlot(int job, double limit = std::numeric_limits<double>::infinity()) const;
  // The cheapest slot and the cheapest one in another window (either may be none).
  std::pair<Slot, Slot> FindTwoBestSlots(int job) const;
  // Earliest feasible start >= `from` of the unplaced `job` in `window`, or -1.
  int EarliestStartIn(int job, int window, int from) const;
  // True if the unplaced `job` may start at `start` in `window` (all six rules).
  bool CanPlace(int job, int window, int start) const;

  void Place(int job, int window, int start);
  void Remove(int job);

  // Jobs placed in `window`, sorted by start.
  struct Occupant {
    int start, end, job;
  };
  const std::vector<Occupant>& Occupants(int window) const { return occ_[window]; }

 private:
  // The search trees of one (office, service) list.
  struct ListTrees {
    int size = 0;                  // leaves of `gaps` (a power of two)
    std::vector<int> gaps;         // max tree over the windows' largest gaps, in list order
    std::vector<int> block_of;     // per position: its block
    std::vector<int> block_begin;  // per block: first position; one more entry at the end
    std::vector<int> block_od;     // per block: its office-day, -1 for overtime (no cap)
    std::vector<int> block_max;    // per block: its largest gap
    int top_size = 0;
    std::vector<int> top;  // max tree over min(block_max, remaining reserve of block_od)
  };

  bool Blocked(const Job& job, int clerk, int office, int start, int end, int& resume) const;
  int LargestGap(int window) const;
  void Refresh(int window);
  void RefreshOfficeDay(int office_day);
  void SetGap(int window, int gap);
  int BlockValue(const ListTrees& t, int block) const;
  void UpdateBlock(ListTrees& t, int block);
  int FirstAtLeast(int list, int from, int need) const;
  // Calls visit(window, start, cost) with the earliest feasible start of `job` in each window
  // of its (office, service) lists, in time order, while a slot there could still cost less
  // than `bar`; the visitor may lower `bar` as it goes.
  template <typename Visit>
  void ScanSlots(int job, const double& bar, Visit visit) const;

  const Problem& p_;
  std::vector<std::vector<Occupant>> occ_;
  std::vector<int> job_window_, job_start_;
  std::vector<char> locked_;
  std::vector<int> od_used_;
  std::vector<int> gap_;          // largest free gap of each window
  std::vector<ListTrees> trees_;  // per list
  // Where each window sits in the lists: entries [wl_begin_[w], wl_begin_[w + 1]).
  std::vector<int> wl_begin_;
  std::vector<std::pair<int, int>> wl_entries_;  // (list, position)
  // The blocks of each office-day: (list, block).
  std::vector<std::vector<std::pair<int, int>>> od_blocks_;
  double total_cost_ = 0;
};

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_SCHEDULE_H_
