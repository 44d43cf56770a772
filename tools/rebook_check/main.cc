// rebook-check: verifies a plan against the six feasibility rules, independently of the solver,
// and recomputes its objective.
//
//   rebook-check scenarios/halle plans/halle            # or plans/halle/plan.csv
//
// Prints one line per violation and the recomputed objective. If plan-summary.json lies beside
// plan.csv, its objective must match. Exit codes: 0 valid, 1 violations or a wrong objective,
// 2 unreadable input or bad usage.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "services/bundle/plan_io.h"
#include "services/bundle/scenario_bundle.h"
#include "services/solver/plan_checker.h"
#include "tools/common/version.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  CLI::App app{"Checks a rebooking plan against the scenario bundle's feasibility rules."};
  app.set_version_flag("--version", rebook::VersionLine("rebook-check"));
  std::string bundle_dir, plan_arg;
  app.add_option("bundle", bundle_dir, "scenario bundle folder")->required();
  app.add_option("plan", plan_arg, "plan folder or plan.csv")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (app.exit(e) == 0) return 0;  // --help, --version
    return 2;
  }
  fs::path plan_csv =
      fs::is_directory(plan_arg) ? fs::path(plan_arg) / "plan.csv" : fs::path(plan_arg);
  absl::StatusOr<rebook::domain::Scenario> scenario =
      rebook::bundle::ReadScenarioBundle(bundle_dir);
  if (!scenario.ok()) {
    std::cerr << "rebook-check: " << scenario.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::vector<rebook::domain::Assignment>> rows =
      rebook::bundle::ReadPlanCsv(plan_csv, *scenario);
  if (!rows.ok()) {
    std::cerr << "rebook-check: " << rows.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<rebook::solver::CheckReport> report = rebook::solver::CheckPlan(*scenario, *rows);
  if (!report.ok()) {
    std::cerr << "rebook-check: " << report.status().message() << "\n";
    return 2;
  }
  for (const rebook::solver::Violation& v : report->violations) std::cout << v.message << "\n";
  const auto& p = report->parts;
  std::cout << absl::StrFormat(
      "objective %.4f (delay %.4f, office changes %.4f, overtime %.4f, unassigned %.4f); "
      "%d assigned, %d unassigned, %d violations\n",
      report->objective, p.delay, p.office_change, p.overtime, p.unassigned, report->assigned,
      report->unassigned, report->violations.size());
  bool ok = report->ok();
  fs::path summary = plan_csv.parent_path() / "plan-summary.json";
  if (fs::exists(summary)) {
    try {
      std::ifstream in(summary);
      const double claimed = nlohmann::json::parse(in).at("objective").get<double>();
      if (std::abs(claimed - report->objective) > 1e-6 * (1 + std::abs(report->objective))) {
        std::cout << absl::StrFormat("plan-summary.json claims objective %.4f, recomputed %.4f\n",
                                     claimed, report->objective);
        ok = false;
      }
    } catch (const std::exception& e) {
      std::cerr << "rebook-check: cannot read " << summary << ": " << e.what() << "\n";
      return 2;
    }
  }
  return ok ? 0 : 1;
}
