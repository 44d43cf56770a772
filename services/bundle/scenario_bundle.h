// Reading and writing scenario bundles and plans: the CSV batch interface of
// ../shared/spec/scenario-bundle.md. File and column names are a contract with outside tools.
//
//   absl::StatusOr<domain::Scenario> s = bundle::ReadScenarioBundle("scenarios/halle");
//   if (!s.ok()) std::cerr << s.status().message();  // "appointments.csv:17:5 (deadline): ..."
//
// Reading is strict and all-or-nothing: the first error is returned, with the file, the 1-based
// line and column and the column's name, and no partial scenario is ever returned.
#ifndef REBOOK_SERVICES_BUNDLE_SCENARIO_BUNDLE_H_
#define REBOOK_SERVICES_BUNDLE_SCENARIO_BUNDLE_H_

#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::bundle {

// Reads params.csv, offices.csv, services.csv, staff.csv, shifts.csv, closures.csv (optional),
// bookings.csv and appointments.csv from `dir`. Local times are converted to UTC with each
// office's zone. Standing bookings get the office of the shift they lie in.
absl::StatusOr<domain::Scenario> ReadScenarioBundle(const std::filesystem::path& dir);

// What ReadScenarioBundle keeps of each appointment; the defaults keep everything.
struct BundleReadOptions {
  // false: each appointment's contact is left default (no name, phone, e-mail or address), for
  // a caller that only plans (rebook-solve; the solver never reads it). The rows are checked as
  // with true.
  bool contacts = true;
};
absl::StatusOr<domain::Scenario> ReadScenarioBundle(const std::filesystem::path& dir,
                                                    const BundleReadOptions& options);

// ReadScenarioBundle without appointments.csv (the scenario's appointments stay empty), for a
// caller that reads the appointments row by row afterwards (ForEachAppointment in
// appointments_csv.h, with the returned offices and services).
absl::StatusOr<domain::Scenario> ReadScenarioCapacity(const std::filesystem::path& dir);

// The id ReadScenarioBundle gives a shift, which the bundle leaves unnamed:
// "<staff_id>@<local start>", e.g. "anna@2026-01-28T08:00".
std::string ShiftId(std::string_view clerk_id, std::string_view local_start);

// Writes the bundle files of `scenario` into `dir` (created if needed), overwriting them.
absl::Status WriteScenarioBundle(const domain::Scenario& scenario,
                                 const std::filesystem::path& dir);

}  // namespace rebook::bundle

#endif  // REBOOK_SERVICES_BUNDLE_SCENARIO_BUNDLE_H_
