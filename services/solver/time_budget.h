// TimeBudget: the solver's only view of time.
//
// The solver never reads a clock itself. A caller that wants a time limit passes a budget;
// without one the solver runs to its deterministic iteration limits, so a seed gives the same
// plan on every machine. With a budget, the plan is the same as without one whenever the limit is
// not reached.
//
//   SteadyTimeBudget budget(/*limit_seconds=*/10);   // in main() or the server, not in the solver
//   options.budget = &budget;
#ifndef REBOOK_SERVICES_SOLVER_TIME_BUDGET_H_
#define REBOOK_SERVICES_SOLVER_TIME_BUDGET_H_

#include <chrono>

namespace rebook::solver {

class TimeBudget {
 public:
  virtual ~TimeBudget() = default;
  // Seconds since the budget started.
  virtual double ElapsedSeconds() const = 0;
  // The time limit in seconds (infinity for none).
  virtual double LimitSeconds() const = 0;
  bool Expired() const { return ElapsedSeconds() >= LimitSeconds(); }
  // True if less than `fraction` of the limit is used.
  bool Below(double fraction) const { return ElapsedSeconds() < fraction * LimitSeconds(); }
};

// Measures a monotonic clock from construction. Thread-safe (read-only after construction).
class SteadyTimeBudget final : public TimeBudget {
 public:
  explicit SteadyTimeBudget(double limit_seconds)
      : start_(std::chrono::steady_clock::now()), limit_(limit_seconds) {}
  double ElapsedSeconds() const override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double LimitSeconds() const override { return limit_; }

 private:
  std::chrono::steady_clock::time_point start_;
  double limit_;
};

// A budget that advances only when told to: for deterministic tests of time limits.
class ManualTimeBudget final : public TimeBudget {
 public:
  explicit ManualTimeBudget(double limit_seconds) : limit_(limit_seconds) {}
  double ElapsedSeconds() const override { return elapsed_; }
  double LimitSeconds() const override { return limit_; }
  void Advance(double seconds) { elapsed_ += seconds; }

 private:
  double elapsed_ = 0;
  double limit_;
};

}  // namespace rebook::solver

#endif  // REBOOK_SERVICES_SOLVER_TIME_BUDGET_H_
