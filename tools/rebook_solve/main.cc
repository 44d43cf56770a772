// rebook-solve: solves a scenario bundle and writes plan.csv and plan-summary.json.
//
//   rebook-solve scenarios/halle --out plans/halle --time-limit 30 --seed 1
//
// Progress goes to stderr. Exit codes: 0 solved, 1 bad input or failure, 2 bad usage.
#include <cstdio>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "services/bundle/plan_io.h"
#include "services/bundle/scenario_bundle.h"
#include "services/solver/solver.h"
#include "services/solver/time_budget.h"
#include "tools/common/version.h"

int main(int argc, char** argv) {
  CLI::App app{"Rebooks the cancelled appointments of a scenario bundle."};
  app.set_version_flag("--version", rebook::VersionLine("rebook-solve"));
  std::string bundle_dir, out_dir;
  double time_limit = 60;
  std::uint64_t seed = 1;
  double effort = 6;
  bool no_bound = false, quiet = false, verbose = false, whole_limit = false;
  app.add_option("bundle", bundle_dir, "scenario bundle folder")->required();
  app.add_option("--out", out_dir, "folder for plan.csv and plan-summary.json")->required();
  app.add_option("--time-limit", time_limit, "seconds for the whole run (default 60)");
  app.add_option("--seed", seed, "seed of the improvement search (default 1)");
  app.add_option("--effort", effort, "improvement neighbourhoods per appointment (default 6)");
  app.add_flag("--no-bound", no_bound, "skip the lower bound");
  app.add_flag("--quiet", quiet, "no progress output");
  app.add_flag("--whole-time-limit", whole_limit,
               "search until --time-limit even on large instances (no size-based earlier stop)");
  app.add_flag("--verbose", verbose,
               "also each part's objective, bound (and its method) and time on stderr");
  CLI11_PARSE(app, argc, argv);

  rebook::solver::SteadyTimeBudget budget(time_limit);
  absl::StatusOr<rebook::domain::Scenario> scenario =
      rebook::bundle::ReadScenarioBundle(bundle_dir, {.contacts = false});
  if (!scenario.ok()) {
    std::cerr << "rebook-solve: " << scenario.status().message() << "\n";
    return 1;
  }
  if (!quiet) {
    std::cerr << absl::StrFormat("read %d appointments, %d shifts, %d bookings in %.2f s\n",
                                 scenario->appointments.size(), scenario->shifts.size(),
                                 scenario->bookings.size(), budget.ElapsedSeconds());
  }
  rebook::solver::SolveOptions options;
  options.seed = seed;
  options.budget = &budget;
  options.improve_effort = effort;
  options.compute_lower_bound = !no_bound;
  options.auto_time_limit = !whole_limit;
  if (!quiet) {
    options.progress = [&](const rebook::solver::SolveProgress& p) {
      std::string bound = p.lower_bound ? absl::StrFormat("%.2f", *p.lower_bound) : "-";
      std::cerr << absl::StrFormat("[%3.0f%%] %6.2f s  %-9s objective %.2f  bound %s\n",
                                   100 * p.fraction, budget.ElapsedSeconds(), p.phase, p.objective,
                                   bound);
    };
  }
  if (verbose) {
    options.log = [&](const std::string& line) {
      std::cerr << absl::StrFormat("%6.2f s  %s\n", budget.ElapsedSeconds(), line);
    };
  }
  // The solve takes the appointments, shifts and bookings as it goes (freed part by part); the
  // plan's writer needs only the offices, which it leaves.
  absl::StatusOr<rebook::domain::Plan> plan = rebook::solver::Solve(std::move(*scenario), options);
  if (!plan.ok()) {
    std::cerr << "rebook-solve: " << plan.status().message() << "\n";
    return 1;
  }
  if (absl::Status s = rebook::bundle::WritePlan(*scenario, *plan, out_dir); !s.ok()) {
    std::cerr << "rebook-solve: " << s.message() << "\n";
    return 1;
  }
  const rebook::domain::PlanSummary& m = plan->summary;
  if (!quiet) {
    std::cerr << absl::StrFormat(
        "objective %.2f  assigned %d  unassigned %d  gap %s  fcfs inversions %d  total %.2f s\n",
        m.objective, m.assigned, m.unassigned,
        m.gap ? absl::StrFormat("%.3f%%", 100 * *m.gap) : std::string("-"), m.fcfs_inversions,
        budget.ElapsedSeconds());
  }
  return 0;
}
