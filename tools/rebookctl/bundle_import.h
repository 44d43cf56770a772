// Turning a scenario bundle into API v1 import messages, and server errors back into
// "file:line:col (column): message" for the rows they came from.
#ifndef REBOOK_TOOLS_REBOOKCTL_BUNDLE_IMPORT_H_
#define REBOOK_TOOLS_REBOOKCTL_BUNDLE_IMPORT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "rebook/v1/appointments.pb.h"
#include "rebook/v1/capacity.pb.h"
#include "services/common/field_violations.h"
#include "services/domain/model.h"

namespace rebook::ctl {

struct BundleImport {
  rebook::v1::ImportCapacityRequest capacity;  // everything but appointments, in file order
  std::vector<rebook::v1::Appointment> appointments;
  // For each sent standing booking, its record index in bookings.csv (some may be skipped).
  std::vector<int> booking_rows;
  std::vector<std::string> warnings;
};

// Builds the import from a scenario read by bundle::ReadScenarioBundle. Fills in what the
// bundle leaves implicit: shift ids valid as API ids, each clerk's home office (the office of
// their first shift), each standing booking's office (the office of the clerk's shift it
// overlaps most).
BundleImport ToImport(const domain::Scenario& scenario);

// A shift id of the bundle ("clerk@2026-01-28T08:00") as an API id ("clerk.2026-01-28T08-00").
std::string ApiShiftId(const std::string& bundle_shift_id);

// Rewrites a server violation such as "appointments[3].deadline_time" into the location of that
// row and column in the bundle: "appointments.csv:5:4 (deadline): <description>". Returns the
// violation unchanged when it cannot be placed.
std::string LocateViolation(const std::filesystem::path& bundle_dir, const FieldViolation& v,
                            const BundleImport& import);

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_BUNDLE_IMPORT_H_
