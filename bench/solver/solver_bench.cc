// rebook-solver-bench: one row of the solver benchmark table for one bundle.
//
//   rebook-solver-bench /tmp/bench/halle --name halle --time-limit 10
//   rebook-solver-bench --random 120 --seed 3 --cbc        # a random instance, with CBC
//
// Columns: FCFS-by-hand objective, the solver's objective, time and lower bound, the gap, CBC's
// optimum and time (when --cbc and the MIP is small enough), and the ratios.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "bench/solver/fcfs_baseline.h"
#include "bench/solver/mip_writer.h"
#include "services/bundle/scenario_bundle.h"
#include "services/solver/plan_checker.h"
#include "services/solver/solver.h"
#include "services/solver/testing/scenario_builder.h"

namespace {

namespace fs = std::filesystem;

struct CbcResult {
  bool ran = false, optimal = false;
  double objective = 0, seconds = 0;
  std::string note;
};

CbcResult RunCbc(const rebook::domain::Scenario& s, double time_limit, std::int64_t max_vars) {
  CbcResult r;
  fs::path dir = fs::temp_directory_path() / absl::StrFormat("rebook-cbc-%d", getpid());
  fs::create_directories(dir);
  absl::StatusOr<rebook::bench::MipStats> stats =
      rebook::bench::WriteTimeIndexedMip(s, dir / "model.lp", max_vars);
  if (!stats.ok()) {
    r.note = std::string(stats.status().message());
    return r;
  }
  const std::string cmd = absl::StrFormat(
      "cbc %s sec %.0f threads 1 solve solu %s > %s 2>&1", (dir / "model.lp").string(), time_limit,
      (dir / "solution.txt").string(), (dir / "log.txt").string());
  // CBC's CPU time (the machine may be shared, so wall time would flatter neither side).
  auto child_cpu = [] {
    struct rusage u;
    getrusage(RUSAGE_CHILDREN, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  const double before = child_cpu();
  const int rc = std::system(cmd.c_str());
  r.seconds = child_cpu() - before;
  std::ifstream in(dir / "solution.txt");
  std::string first;
  std::getline(in, first);
  std::smatch m;
  if (rc == 0 && std::regex_search(first, m, std::regex("objective value\\s+([-0-9.eE+]+)"))) {
    r.ran = true;
    r.objective = std::stod(m[1]);
    r.optimal = first.rfind("Optimal", 0) == 0;
  }
  r.note =
      absl::StrFormat("%d vars, grid %d min; %s", stats->variables, stats->grid_minutes, first);
  if (std::getenv("REBOOK_CBC_KEEP") == nullptr) fs::remove_all(dir);
  return r;
}

double CheckedObjective(const rebook::domain::Scenario& s,
                        const std::vector<rebook::domain::Assignment>& plan, const char* what) {
  absl::StatusOr<rebook::solver::CheckReport> r = rebook::solver::CheckPlan(s, plan);
  if (!r.ok() || !r->ok()) {
    std::cerr << what << " plan is infeasible: "
              << (r.ok() ? r->violations.front().message : std::string(r.status().message()))
              << "\n";
    std::exit(1);
  }
  return r->objective;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmarks the solver against FCFS, its lower bound and CBC."};
  std::string bundle, name;
  int random = 0;
  std::uint64_t seed = 1;
  double time_limit = 60, cbc_time = 600;
  std::int64_t cbc_max_vars = 400000;
  bool cbc = false, header = false;
  std::string dump;
  int repeat = 1;
  app.add_option("bundle", bundle, "scenario bundle folder");
  app.add_option("--name", name, "row name");
  app.add_option("--random", random, "instead of a bundle: a random instance with N appointments");
  app.add_option("--seed", seed, "seed of the random instance and the solver");
  std::string shape = "preset";
  app.add_option("--shape", shape,
                 "random instance structure: preset (the presets' shape) or varied (offices, "
                 "skills, bookings, dealers and deadlines drawn per seed)")
      ->check(CLI::IsMember({"preset", "varied"}));
  app.add_option("--time-limit", time_limit, "solver time limit, seconds");
  app.add_flag("--cbc", cbc, "also solve the time-indexed MIP with /usr/bin/cbc");
  app.add_option("--cbc-time-limit", cbc_time, "CBC time limit, seconds");
  app.add_option("--cbc-max-vars", cbc_max_vars, "skip CBC above this many variables");
  app.add_flag("--header", header, "print the table header first");
  app.add_option("--dump", dump,
                 "write the solver's plan (id clerk office start-minute cost) to this file");
  app.add_option("--repeat", repeat,
                 "solve this many times and report the mean time (small instances take well under "
                 "a millisecond, below the clock's resolution for one run)");
  CLI11_PARSE(app, argc, argv);

  if (header) {
    std::cout
        << "| instance | appts | FCFS | solver | solver s | lower bound | gap | CBC | CBC s | "
           "solver/CBC | CBC s / solver s | FCFS/solver | peak RSS MiB |\n"
        << "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  }
  if (bundle.empty() && random == 0) return 0;
  rebook::domain::Scenario s;
  if (random > 0 && shape == "varied") {
    s = rebook::solver::testing::VariedScenario(seed, random);
    if (name.empty()) name = absl::StrFormat("varied-%d-s%d", random, seed);
  } else if (random > 0) {
    rebook::solver::testing::RandomScenarioOptions o;
    o.seed = seed;
    o.appointments = random;
    o.offices = 1 + random / 150;
    o.days = 4;
    s = rebook::solver::testing::RandomScenario(o);
    if (name.empty()) name = absl::StrFormat("random-%d-s%d", random, seed);
  } else {
    absl::StatusOr<rebook::domain::Scenario> read = rebook::bundle::ReadScenarioBundle(bundle);
    if (!read.ok()) {
      std::cerr << read.status().message() << "\n";
      return 1;
    }
    s = std::move(*read);
    if (name.empty()) name = fs::path(bundle).filename().string();
  }

  absl::StatusOr<std::vector<rebook::domain::Assignment>> fcfs = rebook::bench::FcfsPlan(s);
  if (!fcfs.ok()) {
    std::cerr << fcfs.status().message() << "\n";
    return 1;
  }
  const double fcfs_objective = CheckedObjective(s, *fcfs, "FCFS");

  auto cpu_seconds = [] {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  rebook::solver::SolveOptions options;
  std::unique_ptr<rebook::solver::SteadyTimeBudget> budget;
  options.seed = seed;
  if (const char* e = std::getenv("REBOOK_BENCH_EFFORT")) options.improve_effort = std::atof(e);
  if (const char* e = std::getenv("REBOOK_BENCH_PATIENCE")) options.improve_patience = std::atoi(e);
  if (const char* e = std::getenv("REBOOK_BENCH_TARGET_GAP")) options.target_gap = std::atof(e);
  if (const char* e = std::getenv("REBOOK_BENCH_MIN_GAIN"))
    options.min_relative_gain = std::atof(e);
  if (const char* e = std::getenv("REBOOK_BENCH_LP_MAX_WORK")) options.lp_max_work = std::atof(e);
  if (const char* e = std::getenv("REBOOK_BENCH_BOUND_MAX"))
    options.bound_max_appointments = std::atoi(e);
  if (std::getenv("REBOOK_BENCH_PHASES") != nullptr) {
    options.progress = [&budget, &cpu_seconds](const rebook::solver::SolveProgress& p) {
      std::cerr << absl::StrFormat("%.4f s (CPU %.4f s) %s %.2f lb %.2f\n",
                                   budget->ElapsedSeconds(), cpu_seconds(), p.phase, p.objective,
                                   p.lower_bound.value_or(-1));
    };
  }
  const double cpu_before = cpu_seconds();
  double solver_seconds = 0;
  absl::StatusOr<rebook::domain::Plan> plan;
  for (int r = 0; r < std::max(1, repeat); ++r) {
    budget = std::make_unique<rebook::solver::SteadyTimeBudget>(time_limit);
    options.budget = budget.get();
    plan = rebook::solver::Solve(s, options);
    solver_seconds += budget->ElapsedSeconds() / std::max(1, repeat);
  }
  const double solver_cpu = (cpu_seconds() - cpu_before) / std::max(1, repeat);
  if (!plan.ok()) {
    std::cerr << plan.status().message() << "\n";
    return 1;
  }
  const double objective = CheckedObjective(s, plan->assignments, "solver");
  const auto& m = plan->summary;
  if (!dump.empty()) {
    std::ofstream out(dump);
    for (const rebook::domain::Assignment& a : plan->assignments) {
      const long long start =
          std::chrono::duration_cast<std::chrono::minutes>(a.time.start - s.params.horizon_start)
              .count();
      out << a.appointment_id << " " << (a.clerk_id.empty() ? "-" : a.clerk_id) << " "
          << (a.office_id.empty() ? "-" : a.office_id) << " "
          << (a.status == rebook::domain::AssignmentStatus::kAssigned ? start : -1) << " " << a.cost
          << "\n";
    }
  }

  CbcResult reference;
  if (cbc) reference = RunCbc(s, cbc_time, cbc_max_vars);
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  auto opt = [](bool ok, double v, const char* fmt) {
    return ok ? absl::StrFormat(fmt, v) : std::string("-");
  };
  std::cout << absl::StrFormat(
      "| %s | %d | %.1f | %.1f | %.4f (%.6f) | %s | %s | %s | %s | %s | %s | %.3f | %.0f |\n", name,
      s.appointments.size(), fcfs_objective, objective, solver_seconds, solver_cpu,
      opt(m.lower_bound.has_value(), m.lower_bound.value_or(0), "%.1f"),
      opt(m.gap.has_value(), 100 * m.gap.value_or(0), "%.2f%%"),
      reference.ran
          ? absl::StrFormat("%.1f%s", reference.objective, reference.optimal ? "" : " (not proven)")
          : std::string("-"),
      opt(reference.ran, reference.seconds, "%.3f"),
      opt(reference.ran && reference.objective > 0, objective / reference.objective, "%.4f"),
      opt(reference.ran, reference.seconds / std::max(solver_cpu, 1e-4), "%.0f"),
      objective > 0 ? fcfs_objective / objective : 1.0, usage.ru_maxrss / 1024.0);
  if (cbc && !reference.ran) std::cerr << name << ": CBC not run: " << reference.note << "\n";
  if (cbc && reference.ran) std::cerr << name << ": CBC " << reference.note << "\n";
  return 0;
}
