// Construction and improvement of a schedule.
//
// Construct: list scheduling. Jobs are taken in order of their target time (the fluid bound's
// placement when there is one, else their release), then priority per minute of work (Smith's
// rule) and first-come-first-served; each takes its cheapest feasible slot. Jobs with a deadline
// that found no slot become "critical" and go first (earliest deadline first) in a second pass.
//
// Improver: large-neighbourhood search. A neighbourhood is up to ~32 jobs that compete for the
// same clerks around one time (or for the slots an unassigned job could use). They are taken
// out and put back by an exact min-cost assignment over their old slots, each one's best free
// slot elsewhere, and "unassigned"; the result is kept only if the objective drops.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_SEARCH_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_SEARCH_H_

#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "services/solver/internal/schedule.h"
#include "services/solver/internal/time_indexed_bound.h"

namespace rebook::solver::internal {

// Places every unplaced, unlocked job it can. `target` (minutes, per job) may be empty.
void Construct(Schedule& schedule, const std::vector<int>& target);

// Rounds an LP solution: takes its window schedules heaviest first and places, for each of their
// (class, start) pairs, the class's next unplaced job (first come, first served) at the earliest
// feasible start from there in that window. Jobs that do not fit are left for Construct.
void PlaceFromLp(Schedule& schedule, const std::vector<LpSchedule>& schedules,
                 const std::vector<int>& job_class);

class Improver {
 public:
  Improver(Schedule& schedule, std::uint64_t seed);

  // Moves each movable job to its cheapest slot given all others; true if anything improved.
  bool ReinsertPass();
  // Tries one neighbourhood; true if it changed the schedule (see SetThreshold).
  bool Step();
  // Tries to place each unassigned job by ejecting a run of consecutive jobs from one window
  // (which then take their best slots elsewhere); true if anything improved. `thorough`, on
  // instances up to 1,000 jobs and for jobs with a deadline: chains one level deeper (at most
  // 64 nested rescues per job), and Admit for a job no chain places (dearer: the solver asks
  // for it in its closing pass only).
  bool RescuePass(bool thorough = false);
  // Ejection chains for placed jobs: each costly job is taken out and placed earlier by ejecting a
  // run of jobs from one window (which take their best slots elsewhere); true if anything improved.
  // Stops early when `stop` (may be empty) returns true.
  bool EjectionPass(const std::function<bool()>& stop);
  // Postpones long jobs: each placed job at least twice as long as the shortest job its office
  // may take is taken out, jobs of the office waiting later (at most half its length) are
  // pulled into its time, largest gain first (up to 8), and it then takes its best slot; kept
  // only if the total drops (varied-35-s1: one long job five days later lets five jobs waiting
  // two days move up, which no single move pays for). Instances up to 1,000 jobs (dearer: the
  // solver asks for it in its closing pass only). Stops early when `stop` (may be empty) returns
  // true; true if anything improved.
  bool PostponePass(const std::function<bool()>& stop);
  // Among jobs of one FCFS group and duration, reorders their slots so earlier bookings come
  // first, wherever that keeps every job feasible. The objective does not change.
  // Stops early when `stop` (may be empty) returns true.
  void FcfsPass(const std::function<bool()>& stop);

  // Neighbourhoods that raise the objective by at most `t` are accepted too (threshold
  // accepting, to leave local optima). 0 (default): only improvements.
  void SetThreshold(double t) { threshold_ = t; }

  std::int64_t steps() const { return steps_; }
  std::int64_t improvements() const { return improvements_; }

 private:
  std::vector<int> PickAroundTime(int seed_job);
  std::vector<int> PickForUnassigned(int seed_job);
  bool Repair(const std::vector<int>& jobs);
  bool RuinRecreate(const std::vector<int>& jobs, bool first_goes_first);
  // Ruin and recreate by regret: the job that would lose most if it missed its best slot goes
  // first (the difference to its best slot in another window, or to being unassigned).
  bool RegretRecreate(const std::vector<int>& jobs);
  // Places the unplaced `job` by ejecting a run of jobs, if the total cost ends below `limit`.
  // An ejected job that finds no free slot is itself rescued (`levels` levels deep at most,
  // `nested` for those inner calls), so a job due soon can push one due later, which pushes one
  // with no deadline. Changes are journalled; a failed attempt undoes its own.
  bool Rescue(int job, double limit, int levels, bool nested = false);
  // Places the unplaced `job` in an opening and re-plans the jobs ejected from it together with
  // their neighbours in time (by regret); keeps the result if the total cost ends below `limit`,
  // else restores the schedule. O(jobs) per opening: for small instances.
  bool Admit(int job, double limit);
  // Moves up to kMaxPulled placed jobs of window w's office that start after s0 (not `skip`)
  // into w at starts in [s0, end), each time the one that gains most; returns how many moved.
  // Changes are journalled.
  int PullIntoFreedTime(int w, int s0, int end, int skip);
  // Place and Remove that record the change, and the undo of every change since `mark`.
  void Put(int job, int window, int start);
  void Take(int job);
  void UndoTo(std::size_t mark);
  struct Change {
    int job, window, start;
    bool placed;  // true: the job was placed (undo removes it); false: it was removed
  };
  std::vector<Change> journal_;
  int nested_left_ = 0;  // nested Rescue calls left for the current unassigned job
  void ReorderGroup(std::vector<int>& members);
  std::uint64_t Uniform(std::uint64_t n) { return rng_() % n; }

  Schedule& s_;
  const Problem& p_;
  std::mt19937_64 rng_;
  std::vector<int> movable_;
  std::vector<std::vector<int>> office_jobs_;
  std::vector<int> unassigned_;  // refreshed now and then; seeds for rescue neighbourhoods  //
                                 // movable jobs that may go to each office
  bool Accept(double before) const;
  std::int64_t steps_ = 0, improvements_ = 0;
  double threshold_ = 0;
};

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_SEARCH_H_
