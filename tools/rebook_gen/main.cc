// rebook-gen: writes a generated scenario as a scenario bundle.
//
//   rebook-gen --list
//   rebook-gen --preset halle --out scenarios/halle
//   rebook-gen --preset state --seed 7 --out /tmp/state --stats
//   rebook-gen --preset varied --seed 3 --appointments 80 --structure dealers --out /tmp/v3
//
// The scenario comes from services/generator (pure, deterministic for a seed); this file only
// wires the generator to the bundle writer.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "services/bundle/scenario_bundle.h"
#include "services/generator/scenario_check.h"
#include "services/generator/scenario_generator.h"
#include "services/generator/scenario_stats.h"
#include "services/generator/varied_scenario.h"
#include "tools/common/version.h"

namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  namespace gen = rebook::generator;
  CLI::App app{"rebook-gen: write a generated rebooking scenario as a scenario bundle"};
  app.set_version_flag("--version", rebook::VersionLine("rebook-gen"));
  gen::GeneratorOptions options;
  std::string out, structure;
  int appointments = 0;
  bool list = false, check = false, stats = false;
  app.add_flag("--list", list, "print the presets and exit");
  app.add_option("--preset", options.preset, "preset name (see --list)");
  app.add_option("--seed", options.seed, "random seed; the same seed gives the same bundle")
      ->capture_default_str();
  app.add_option("--appointments", appointments, "varied only: number of appointments (1-100000)");
  app.add_option("--structure", structure,
                 "varied only: fragmented, small-offices, dealers, deadlines, skills (comma-"
                 "separated), none or all; default: the seed picks one in turn");
  app.add_option("--out", out, "bundle directory (created if needed, files overwritten)");
  app.add_flag("--check", check, "verify the generator's guarantees before writing");
  app.add_flag("--stats", stats, "print demand against capacity per service category");
  CLI11_PARSE(app, argc, argv);

  if (list) {
    for (const gen::PresetInfo& p : gen::Presets()) {
      std::cout << absl::StrFormat("%-8s ~%-8d %s\n", std::string(p.name), p.approx_appointments,
                                   std::string(p.description));
    }
    return 0;
  }
  if (app.count("--preset") == 0 || out.empty()) {
    std::cerr << "rebook-gen: --preset and --out are required (or --list)\n";
    return 2;
  }

  if (app.count("--appointments") > 0) options.appointments = appointments;
  if (app.count("--structure") > 0) {
    absl::StatusOr<unsigned> parsed = gen::ParseVariedStructures(structure);
    if (!parsed.ok()) {
      std::cerr << "rebook-gen: --structure: " << parsed.status().message() << "\n";
      return 2;
    }
    options.structures = *parsed;
  }
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<rebook::domain::Scenario> scenario = gen::GenerateScenario(options);
  if (!scenario.ok()) {
    std::cerr << "rebook-gen: " << scenario.status().message() << "\n";
    return 2;
  }
  const double generated = SecondsSince(start);
  if (check) {
    if (absl::Status st = gen::CheckScenario(*scenario); !st.ok()) {
      std::cerr << "rebook-gen: check failed: " << st.message() << "\n";
      return 1;
    }
  }
  if (stats) std::cerr << gen::FormatStats(gen::ComputeStats(*scenario));
  const auto write_start = std::chrono::steady_clock::now();
  if (absl::Status st = rebook::bundle::WriteScenarioBundle(*scenario, out); !st.ok()) {
    std::cerr << "rebook-gen: " << st.message() << "\n";
    return 1;
  }
  std::cerr << absl::StrFormat(
      "rebook-gen: %s seed %d -> %s: %d offices, %d clerks, %d shifts, %d bookings, "
      "%d appointments (generated in %.2f s, written in %.2f s)\n",
      options.preset, options.seed, out, scenario->offices.size(), scenario->clerks.size(),
      scenario->shifts.size(), scenario->bookings.size(), scenario->appointments.size(), generated,
      SecondsSince(write_start));
  return 0;
}
