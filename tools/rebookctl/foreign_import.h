// `rebookctl import --from zms|profile:FILE DIR`: reading another booking system's export into a
// scenario that the ordinary bundle import (ToImport, ImportBundle: all or nothing) sends on.
//
//   --from zms           DIR holds scopes.json, availabilities.json, processes.json
//                        (services/interop/zms_import.h). The offices' current capacity is read
//                        from rebookd first, so existing clerks staff the ZMS workstations.
//   --from profile:FILE  DIR holds the CSV export FILE describes (services/interop/csv_profile.h).
// Errors name the file and its line or JSON path; nothing is sent when reading fails.
#ifndef REBOOK_TOOLS_REBOOKCTL_FOREIGN_IMPORT_H_
#define REBOOK_TOOLS_REBOOKCTL_FOREIGN_IMPORT_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "tools/rebookctl/client.h"

namespace rebook::ctl {

struct ForeignImportFlags {
  std::string from;                         // "" (a bundle), "zms" or "profile:FILE"
  std::vector<std::string> days;            // --day YYYY-MM-DD (zms): the outage days
  int horizon_days = 14;                    // --horizon-days (zms)
  std::string time_zone = "Europe/Berlin";  // --time-zone (zms, new offices)
  std::string state = "DE-BE";              // --state (zms, new offices)
};

// OK if `from` is "", "zms" or "profile:<non-empty path>".
absl::Status CheckFrom(const std::string& from);

// Reads DIR as `flags.from` says. Notes (the defaults the ZMS import used) go to `notes`, one
// "note: ..." line each. `client` is asked for the current capacity (zms only).
absl::StatusOr<domain::Scenario> ReadForeignExport(const Client& client,
                                                   const ForeignImportFlags& flags,
                                                   const std::string& dir, std::ostream& notes);

// The offices, service types and clerks the caller may see on rebookd.
absl::StatusOr<domain::Scenario> FetchCapacity(const Client& client);

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_FOREIGN_IMPORT_H_
