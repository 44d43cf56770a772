// The time-indexed relaxation of the rebooking problem, and its pricing problem.
//
// The spec's time-indexed MIP has a variable per (job, window, start). Jobs that are
// interchangeable (same service, duration, priority, original office, allowed offices, release,
// deadline and unavailable times) form one class with a count n_k. Dualising "each job is placed
// once or left unassigned" (lambda_k per class) and rule 6's reserve caps (mu_od >= 0 per
// office-day) leaves one independent problem per window: a sequence of non-overlapping
// (class, start) pairs of least total reduced cost
//   weight_k * (start - release_k) + office change + overtime + mu_od * d_k - lambda_k,
// a shortest path over the window's time grid. For any lambda <= the unassigned costs and mu >= 0,
//   L = sum_k n_k * lambda_k + sum_windows path_w - sum_od mu_od * cap_od
// is a lower bound on every plan's objective (Lagrangian duality).
//
// Starts lie on the grid g = gcd of all durations. Releases, deadlines and window ends are rounded
// down to it and unavailable times inwards: shifting any feasible plan's jobs left onto the grid
// keeps it feasible in the rounded model and never costs more, so the relaxation stays valid.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_TIME_INDEXED_MODEL_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_TIME_INDEXED_MODEL_H_

#include <cstdint>
#include <vector>

#include "services/solver/internal/problem.h"

namespace rebook::solver::internal {

class TimeIndexedModel {
 public:
  struct JobClass {
    int service = 0, office = 0, duration = 0, steps = 0;  // steps: duration / grid
    int release = 0, due = 0;                              // grid-rounded
    double exact_release = 0, weight = 0, unassigned_cost = 0;
    int offices_begin = 0, offices_end = 0;
    std::vector<Span> blocked;  // grid-rounded inwards
    int count = 0;
  };
  // One class that may use one window: its fixed cost there and its allowed grid starts.
  struct Entry {
    int job_class = 0;
    double fixed = 0;         // office change and overtime
    int first = 0, last = 0;  // grid indices (inclusive) of allowed starts
  };
  struct GridWindow {
    int window = 0;             // index into Problem::windows
    int start = 0, points = 0;  // first grid minute, number of grid steps
    int office_day = -1;        // -1: overtime (no reserve cap)
    int entries_begin = 0, entries_end = 0;
  };
  // A window's schedule: (entry, grid index) pairs in time order.
  struct Placement {
    int entry = 0, index = 0;
  };

  // Stops building once a pricing round would cost more than `max_work` (see work()); such a
  // model is not complete() and must not be priced. If every time of the problem (window ends,
  // releases, deadlines, unavailable times) lies on a grid finer than the durations' gcd and the
  // model on that exact grid costs at most `exact_max_work` per round, that grid is used: nothing
  // is rounded, so the relaxation is as strong as the spec's time-indexed LP.
  TimeIndexedModel(const Problem& problem, double max_work, double exact_max_work = 0);

  bool complete() const { return complete_; }
  const Problem& problem() const { return p_; }
  int grid() const { return g_; }
  const std::vector<JobClass>& classes() const { return classes_; }
  const std::vector<GridWindow>& windows() const { return windows_; }
  const std::vector<Entry>& entries() const { return entries_; }
  int ClassOfJob(int job) const { return class_of_job_[job]; }
  // Window points x eligible classes: the cost of one pricing pass.
  std::int64_t work() const { return work_; }

  // The objective of `entry` starting at grid index `index` of window `w`.
  double Cost(const GridWindow& w, int entry, int index) const;

  // Solves every window's path problem for multipliers lambda (per class, clamped to
  // [0, unassigned cost] by the caller) and mu (per office-day, >= 0). Returns L. Fills, per
  // window, its path value; per class, how often the paths use it; per office-day, the regular
  // minutes they use; and, if `paths` is not null, each window's schedule (paths_begin has windows
  // + 1 offsets).
  struct Pricing {
    std::vector<double> window_value;
    std::vector<int> used;
    std::vector<std::int64_t> load;
    std::vector<Placement> paths;
    std::vector<int> paths_begin;
  };
  double Price(const std::vector<double>& lambda, const std::vector<double>& mu, bool paths,
               Pricing& out) const;

  // One window's path value, with its office-day's reserve price `mu` (0 for overtime) and, for
  // the reserve row rounded to whole `unit`s (see RoundedReserveGain in time_indexed_bound.h),
  // a price `nu` per unit: a class of duration d adds nu * floor(d / unit). Adds the path's
  // minutes to `load` and its units to `units`.
  double PriceWindow(int window, const std::vector<double>& lambda, double mu, double nu, int unit,
                     std::int64_t& load, std::int64_t& units) const;

 private:
  void BuildClasses();
  void BuildWindows(double max_work);
  void Build(double max_work);
  int ExactGrid() const;
  bool BlockedAt(const JobClass& k, int t) const;
  // The shortest path of window `w` (f_[0]), leaving its choices in choice_.
  double SolveWindow(int w, const std::vector<double>& lambda, double mu, double nu,
                     int unit) const;
  // Calls f(entry, point) for each job on the path SolveWindow left in choice_ for `w`.
  template <class F>
  void ForEachOnPath(const GridWindow& w, F&& f) const {
    for (int i = 0; i < w.points;) {
      if (choice_[i] < 0) {
        ++i;
        continue;
      }
      f(choice_[i], i);
      i += classes_[entries_[choice_[i]].job_class].steps;
    }
  }

  const Problem& p_;
  int g_ = 1;
  std::vector<JobClass> classes_;
  std::vector<int> class_of_job_;
  std::vector<GridWindow> windows_;
  std::vector<Entry> entries_;
  std::int64_t work_ = 0;
  int max_points_ = 0;
  bool complete_ = true;
  // Scratch space of Price (mutable: Price is logically const; not thread-safe).
  mutable std::vector<double> f_, base_;
  mutable std::vector<int> choice_;
};

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_TIME_INDEXED_MODEL_H_
