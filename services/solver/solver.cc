#include "services/solver/solver.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/status_macros.h"
#include "services/domain/calendar.h"
#include "services/solver/internal/capacity_bound.h"
#include "services/solver/internal/component_bound.h"
#include "services/solver/internal/decompose.h"
#include "services/solver/internal/fluid_bound.h"
#include "services/solver/internal/previous_plan.h"
#include "services/solver/internal/problem.h"
#include "services/solver/internal/report.h"
#include "services/solver/internal/schedule.h"
#include "services/solver/internal/search.h"
#include "services/solver/internal/time_indexed_bound.h"
#include "services/solver/internal/time_indexed_model.h"

namespace rebook::solver {
namespace {

using internal::Problem;
using internal::Schedule;

class Progress {
 public:
  explicit Progress(const SolveOptions& o) : o_(o) {}
  void Report(double fraction, const char* phase, double objective) {
    fraction_ = std::max(fraction_, fraction);
    if (o_.progress) o_.progress({fraction_, phase, objective, lower_bound});
  }
  std::optional<double> lower_bound;

 private:
  const SolveOptions& o_;
  double fraction_ = 0;
};

bool Expired(const SolveOptions& o) { return o.budget != nullptr && o.budget->Expired(); }
// Improvement stops a little early so that building and writing the plan fit in the limit.
bool ImproveExpired(const SolveOptions& o) { return o.budget != nullptr && !o.budget->Below(0.92); }
// The search loop stops earlier, so that its closing passes (reinsert, rescue, ejection chains;
// 4 % of region's objective) still run when the budget ends the search.
bool SearchLoopExpired(const SolveOptions& o) {
  return o.budget != nullptr && !o.budget->Below(0.75);
}

// Neighbourhoods every instance gets per unit of effort, however small.
constexpr int kMinimumSteps = 500;
// Small instances reach their best within a few neighbourhoods per job: their patience is capped
// at this many per movable job. 4 cost a fifth more time than 3 on the 47 random instances CBC
// proves, for no better plan there or on 15 of 80-150 appointments; 2 loses up to 0.16 %.
constexpr int kPatiencePerJob = 3;
// The stall test (SolveOptions::min_relative_gain) runs every kStallCheck neighbourhoods, from
// kStallMinSteps on: below that, patience decides.
constexpr int kStallCheck = 512;
constexpr int kStallMinSteps = 4096;

class BestSchedule {
 public:
  void Save(const Schedule& s) {
    cost_ = s.total_cost();
    slots_.resize(s.problem().jobs.size());
    for (std::size_t j = 0; j < slots_.size(); ++j) {
      slots_[j] = {s.WindowOf(j), s.IsPlaced(j) ? s.StartOf(j) : 0};
    }
  }
  double cost() const { return cost_; }
  void Restore(Schedule& s) const {
    for (std::size_t j = 0; j < slots_.size(); ++j) s.Remove(j);
    for (std::size_t j = 0; j < slots_.size(); ++j) {
      if (slots_[j].first >= 0) s.Place(j, slots_[j].first, slots_[j].second);
    }
  }

 private:
  double cost_ = 0;
  std::vector<std::pair<int, int>> slots_;
};

struct LowerBound {
  bool valid = false;
  double value = 0;
  std::string method;  // of the largest so far (diagnostics)
  void Raise(double v, std::string_view by) {
    if (!valid || v > value) {
      value = v;
      method = by;
    }
    valid = true;
  }
};

std::vector<std::pair<int, int>> SlotsOf(const Schedule& s) {
  std::vector<std::pair<int, int>> slots(s.problem().jobs.size());
  for (std::size_t j = 0; j < slots.size(); ++j)
    slots[j] = {s.WindowOf(j), s.IsPlaced(j) ? s.StartOf(j) : 0};
  return slots;
}

// Bounds the objective from below and seeds `sched`, and returns the greedy plan it started from
// (null if none). Up to `lp_max_work`, the LP relaxation of the time-indexed MIP is solved by
// column generation (from a greedy plan's schedules) and its solution rounded into `sched`.
// Above that, the fluid bound gives the bound and construction hints (`target`), and one
// Lagrangian evaluation at its duals usually raises the bound.
// Up to this size the fluid bound costs well under 0.1 s.
constexpr int kBothFluidsMaxJobs = 2000;

// Where the capacity bound's count term bounds a set of jobs on its own (long jobs in fragmented
// time), the fluid and the Lagrangian bound the other jobs only and the two are added.
std::unique_ptr<Schedule> BoundAndSeed(const Problem& p, const SolveOptions& o,
                                       const internal::CapacityBound& capacity, Schedule& sched,
                                       LowerBound& bound, std::vector<int>& target) {
  std::unique_ptr<Schedule> greedy;
  const internal::TimeIndexedModel model(p, std::max(o.lp_max_work, o.lagrangian_max_work),
                                         o.lp_max_work);
  if (model.complete() && static_cast<double>(model.work()) <= o.lp_max_work) {
    internal::TimeIndexedBoundOptions lp;
    lp.budget = o.budget;
    lp.budget_fraction = 0.4;
    lp.target_gap = o.target_gap;
    // Its best multipliers raised by rule 6's reserve rows rounded to whole jobs: a higher bound
    // can end the search at the target gap sooner (region's part of 836 appointments).
    lp.round_reserve = true;
    lp.seed_plan = [&] {
      greedy = std::make_unique<Schedule>(p);
      internal::Construct(*greedy, {});
      lp.upper_bound = greedy->total_cost();
      return SlotsOf(*greedy);
    };
    internal::TimeIndexedBound relaxation = internal::ComputeTimeIndexedBound(model, lp);
    bound.Raise(relaxation.lower_bound, "lp");
    internal::PlaceFromLp(sched, relaxation.schedules, relaxation.job_class);
    return greedy;
  }
  const std::vector<char>* skip = capacity.separate.empty() ? nullptr : &capacity.separate;
  // Sums of many terms: a margin far below any objective unit.
  const double separate = skip != nullptr ? capacity.separate_bound * (1 - 1e-9) : 0.0;
  internal::FluidBound fluid = internal::ComputeFluidBound(p, o.budget, skip);
  if (!fluid.valid) return greedy;
  bound.Raise(fluid.lower_bound + separate, "fluid");
  // Leaving a set out can also lose more (the others' delays where it was most of the work) than
  // the count term gains; where the fluid is cheap, the whole problem's fluid is solved too.
  if (skip != nullptr && static_cast<int>(p.jobs.size()) <= kBothFluidsMaxJobs) {
    internal::FluidBound whole = internal::ComputeFluidBound(p, o.budget);
    if (whole.valid && whole.lower_bound > fluid.lower_bound + separate) {
      bound.Raise(whole.lower_bound, "fluid");
      fluid = std::move(whole);
      skip = nullptr;
    }
  }
  target = std::move(fluid.target);
  if (model.complete()) {
    internal::TimeIndexedBoundOptions once;
    once.max_rounds = 0;
    once.job_prices = std::move(fluid.job_price);
    once.office_day_prices = std::move(fluid.office_day_price);
    // The skipped jobs' price is 0: the Lagrangian leaves them out, a bound on the others.
    bound.Raise(internal::ComputeTimeIndexedBound(model, once).lower_bound +
                    (skip != nullptr ? separate : 0.0),
                "lagrangian");
  }
  return greedy;
}

void Improve(Schedule& sched, const SolveOptions& o, const LowerBound& bound, Progress& progress) {
  internal::Improver improver(sched, o.seed);
  int movable = 0;
  for (std::size_t j = 0; j < sched.problem().jobs.size(); ++j) movable += !sched.IsLocked(j);
  // Small instances get a fixed minimum of neighbourhoods: they are cheap and matter most there.
  const std::int64_t steps =
      o.improve_effort <= 0
          ? 0
          : static_cast<std::int64_t>(std::ceil(o.improve_effort * (movable + kMinimumSteps)));
  // At most kPatiencePerJob and at least one neighbourhood per movable job without a new best.
  const std::int64_t patience = std::max<std::int64_t>(
      movable, std::min<std::int64_t>(o.improve_patience,
                                      kPatiencePerJob * static_cast<std::int64_t>(movable)));
  auto gap_reached = [&] {
    if (!bound.valid) return false;
    const double obj = sched.total_cost();
    return obj <= 0 || (obj - bound.value) / obj <= o.target_gap;
  };
  // A plan proven within the target gap (by the bound) is not worth another neighbourhood.
  auto done = [&] { return ImproveExpired(o) || gap_reached(); };
  if (steps == 0) return;
  if (!done()) improver.ReinsertPass();
  if (!done()) improver.RescuePass();
  if (!done()) improver.EjectionPass(done);
  const bool threshold =
      static_cast<int>(sched.problem().jobs.size()) <= o.threshold_accepting_max_jobs;
  BestSchedule best;
  best.Save(sched);
  // The threshold starts at a quarter of the mean delay cost of a placed job and falls to 0.
  double mean_cost = 0;
  int placed = 0;
  for (std::size_t j = 0; j < sched.problem().jobs.size(); ++j) {
    if (sched.IsPlaced(j)) {
      mean_cost += sched.JobCost(j);
      ++placed;
    }
  }
  const double t0 = placed > 0 ? 0.25 * mean_cost / placed : 0.0;
  std::int64_t last_improvement = 0;
  // The best cost at every kStallCheck-th step: the search stops once the second half of its
  // neighbourhoods so far gained less than min_relative_gain.
  std::vector<double> history;
  double best_cost = sched.total_cost();
  double best_seen = best_cost;  // the cost of the last new best (of `best` with a threshold)
  for (std::int64_t i = 0; i < steps && !(i == 0 && done()); ++i) {
    best_cost = std::min(best_cost, sched.total_cost());
    if (i % kStallCheck == 0) {
      history.push_back(best_cost);
      const std::size_t n = history.size() - 1;
      if (o.min_relative_gain > 0 && i >= kStallMinSteps && n % 2 == 0 &&
          history[n / 2] - best_cost <= o.min_relative_gain * best_cost) {
        break;
      }
    }
    if (threshold) improver.SetThreshold(t0 * (1.0 - static_cast<double>(i) / steps));
    improver.Step();
    // Without threshold accepting no copy is kept (the schedule itself only improves), so the
    // best cost is tracked here: comparing with the copy's cost saw every step as a new best
    // (no patience stop) and reported the construction's objective as progress.
    if (sched.total_cost() < best_seen - 1e-7) {
      best_seen = sched.total_cost();
      if (threshold) best.Save(sched);
      last_improvement = i;
    }
    if (i - last_improvement > patience) break;
    if (i % 64 == 0) {
      if (SearchLoopExpired(o) || gap_reached()) break;
      if (i % 4096 == 0) {
        progress.Report(0.35 + 0.6 * static_cast<double>(i) / steps, "improve",
                        std::min(best_cost, sched.total_cost()));
      }
    }
    if (i > 0 && i % (8 * std::max(movable, 64)) == 0) {
      improver.ReinsertPass();
      improver.RescuePass();
    }
  }
  if (threshold && sched.total_cost() > best.cost() + 1e-7) best.Restore(sched);
  progress.Report(0.95, "improve", sched.total_cost());
  improver.SetThreshold(0);
  if (!done()) {
    improver.ReinsertPass();
    improver.RescuePass(/*thorough=*/true);
    improver.EjectionPass(done);
    if (!done()) improver.PostponePass(done);
  }
  improver.FcfsPass([&] { return Expired(o); });
}

// The caller's budget, ending earlier at `limit` seconds.
class CappedBudget final : public TimeBudget {
 public:
  CappedBudget(const TimeBudget& inner, double limit) : inner_(inner), limit_(limit) {}
  double ElapsedSeconds() const override { return inner_.ElapsedSeconds(); }
  double LimitSeconds() const override { return std::min(limit_, inner_.LimitSeconds()); }

 private:
  const TimeBudget& inner_;
  double limit_;
};

absl::StatusOr<ResolveResult> SolveInternal(const domain::Scenario& s, const SolveOptions& options,
                                            const ResolveRequest* request,
                                            domain::Scenario* owned = nullptr);

// Solves the independent parts one by one (each as a scenario of its own, freed once solved)
// and joins their plans; the bound is the sum of the parts' bounds.
absl::StatusOr<ResolveResult> SolveByParts(const domain::Scenario& s,
                                           const std::vector<internal::ScenarioPart>& parts,
                                           const SolveOptions& o, double start_seconds,
                                           Progress& progress, domain::Scenario* owned) {
  auto solve_part = [](const domain::Scenario& part,
                       const SolveOptions& po) -> absl::StatusOr<domain::Plan> {
    REBOOK_ASSIGN_OR_RETURN(ResolveResult r, SolveInternal(part, po, nullptr));
    return std::move(r.plan);
  };
  // Joining the plans is a pass over the assignments: the parts may use 97 % of the budget.
  ResolveResult result;
  REBOOK_ASSIGN_OR_RETURN(result.plan,
                          internal::SolveParts(s, parts, o, 0.97, 0.05, 0.97, solve_part, owned));
  domain::PlanSummary& m = result.plan.summary;
  if (o.budget != nullptr) m.solve_seconds = o.budget->ElapsedSeconds() - start_seconds;
  progress.lower_bound = m.lower_bound;
  progress.Report(1.0, "report", m.objective);
  return result;
}

ResolveResult Report(const Schedule& sched, const domain::ShiftCalendar& calendar,
                     const LowerBound& bound, const SolveOptions& o, double start_seconds,
                     Progress& progress);

// `owned`: nullptr, or `s` itself when the caller gave it away (the parts take their lists from
// it).
absl::StatusOr<ResolveResult> SolveInternal(const domain::Scenario& s, const SolveOptions& options,
                                            const ResolveRequest* request,
                                            domain::Scenario* owned) {
  SolveOptions o = options;
  std::optional<CappedBudget> capped;
  if (o.budget != nullptr && o.auto_time_limit) {
    // Counted from the budget's start, as the caller's own limit is: the CLI's budget starts
    // before it reads the bundle, so region's run (reading 1.7-2.6 s, the solve, writing the
    // plan) ends near AutoTimeLimitSeconds instead of that much after reading.
    capped.emplace(*o.budget, AutoTimeLimitSeconds(s.appointments.size()));
    o.budget = &*capped;
  }
  Progress progress(o);
  const double start_seconds = o.budget != nullptr ? o.budget->ElapsedSeconds() : 0.0;
  progress.Report(0.0, "model", 0.0);
  if (request == nullptr &&
      static_cast<std::int64_t>(s.appointments.size()) > o.decompose_min_appointments) {
    // Before anything of the whole is built: the parts are solved and joined on their own.
    // Offices in no part (no appointment links them) get no calendar: checked here instead.
    REBOOK_RETURN_IF_ERROR(domain::ValidateOffices(s));
    const std::vector<internal::ScenarioPart> parts = internal::SplitScenario(s);
    if (parts.size() > 1) return SolveByParts(s, parts, o, start_seconds, progress, owned);
  }
  REBOOK_ASSIGN_OR_RETURN(domain::ShiftCalendar calendar, domain::ShiftCalendar::Build(s));
  REBOOK_ASSIGN_OR_RETURN(internal::ProblemOptions popts, internal::BansFrom(s, request));
  REBOOK_ASSIGN_OR_RETURN(Problem problem, internal::BuildProblem(s, calendar, popts));
  Schedule sched(problem);
  if (request != nullptr) {
    ResolveResult unsolved;
    REBOOK_ASSIGN_OR_RETURN(unsolved.unfit_pinned,
                            internal::ApplyPrevious(*request, problem, sched));
    if (!unsolved.unfit_pinned.empty()) return unsolved;
  }
  progress.Report(0.05, "model", sched.total_cost());

  LowerBound bound;
  std::vector<int> target;
  std::unique_ptr<Schedule> greedy;
  std::unique_ptr<internal::ConcurrentComponentBound> component_bound;
  if (o.compute_lower_bound && request == nullptr) {
    // Cheap and valid at every size; it keeps the unassigned cost no plan can avoid in the bound
    // when the stronger relaxations are cut short by the budget or skipped by size.
    internal::CapacityBound capacity = internal::ComputeCapacityBound(problem);
    bound.Raise(capacity.lower_bound, "capacity");
    const int jobs = static_cast<int>(problem.jobs.size());
    if (jobs <= o.bound_max_appointments) {
      greedy = BoundAndSeed(problem, o, capacity, sched, bound, target);
    } else if (jobs <= o.component_bound_max_appointments) {
      component_bound = std::make_unique<internal::ConcurrentComponentBound>(
          problem, std::move(capacity), o.budget, o.lagrangian_max_work);
    }
    progress.lower_bound = bound.value;
  }
  progress.Report(0.25, "bound", sched.total_cost());
  internal::Construct(sched, target);
  if (greedy != nullptr && greedy->total_cost() < sched.total_cost() - 1e-7) {
    BestSchedule start;
    start.Save(*greedy);
    start.Restore(sched);
  }
  progress.Report(0.35, "construct", sched.total_cost());
  if (o.improve_effort > 0 && !ImproveExpired(o)) Improve(sched, o, bound, progress);
  if (component_bound != nullptr) {
    const internal::ComponentBound c = component_bound->Finish(/*stop=*/o.budget != nullptr);
    bound.Raise(c.lower_bound,
                absl::StrCat("component (", c.refined, "/", c.components, " refined, ", c.raised,
                             " raised, ", c.raised_by_deadlines, " by deadlines",
                             c.lagrangian ? ", lagrangian" : "", ")"));
  }

  return Report(sched, calendar, bound, o, start_seconds, progress);
}

ResolveResult Report(const Schedule& sched, const domain::ShiftCalendar& calendar,
                     const LowerBound& bound, const SolveOptions& o, double start_seconds,
                     Progress& progress) {
  domain::Plan plan = internal::BuildPlan(sched, calendar);
  if (bound.valid) {
    const double lb = bound.value;
    plan.summary.lower_bound = lb;
    plan.summary.gap =
        plan.summary.objective > 0 ? (plan.summary.objective - lb) / plan.summary.objective : 0.0;
  }
  if (o.budget != nullptr) plan.summary.solve_seconds = o.budget->ElapsedSeconds() - start_seconds;
  if (o.log) {
    const domain::PlanSummary& m = plan.summary;
    o.log(absl::StrFormat("objective %.0f  bound %s  gap %s  by %s  %.2f s of %s", m.objective,
                          m.lower_bound ? absl::StrFormat("%.0f", *m.lower_bound) : "-",
                          m.gap ? absl::StrFormat("%.3f%%", 100 * *m.gap) : "-",
                          bound.valid ? bound.method : "-", m.solve_seconds,
                          o.budget ? absl::StrFormat("%.2f", o.budget->LimitSeconds()) : "-"));
  }
  progress.Report(1.0, "report", plan.summary.objective);
  ResolveResult result;
  result.plan = std::move(plan);
  return result;
}

// Reading a 1M-appointment bundle takes 13-20 s and writing its plan a few more: with this cap
// such a run ends within about 2 minutes (the target for `state`).
constexpr double kMaxAutoTimeLimitSeconds = 80.0;

}  // namespace

double AutoTimeLimitSeconds(std::size_t appointments) {
  return std::min(kMaxAutoTimeLimitSeconds, 10.0 + 2e-4 * static_cast<double>(appointments));
}

absl::StatusOr<domain::Plan> Solve(const domain::Scenario& scenario, const SolveOptions& options) {
  REBOOK_ASSIGN_OR_RETURN(ResolveResult result, SolveInternal(scenario, options, nullptr));
  return std::move(result.plan);
}

absl::StatusOr<domain::Plan> Solve(domain::Scenario&& scenario, const SolveOptions& options) {
  REBOOK_ASSIGN_OR_RETURN(ResolveResult result,
                          SolveInternal(scenario, options, nullptr, &scenario));
  return std::move(result.plan);
}

absl::StatusOr<ResolveResult> Resolve(const domain::Scenario& scenario,
                                      const ResolveRequest& request, const SolveOptions& options) {
  return SolveInternal(scenario, options, &request);
}

}  // namespace rebook::solver
