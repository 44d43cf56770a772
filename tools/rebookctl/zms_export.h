// The ZMS way back: an outage's confirmed rebookings as DIR/processes.json, for
// `rebookctl export OUTAGE --format zms --out DIR` (the export command calls ExportZms).
//
// Reads from rebookd: the outage's appointments with status CONFIRMED (every office the caller
// may see), the slot each is rebooked into (Appointment.rebooked_slot; for a server that does
// not fill it yet, the slot of the appointment's ACCEPTED offer), and the offices' display names
// (ZMS provider names). Writes with interop::WriteZmsExport: atomically, all or nothing; an
// appointment whose id or new office is no ZMS id fails the export naming it.
#ifndef REBOOK_TOOLS_REBOOKCTL_ZMS_EXPORT_H_
#define REBOOK_TOOLS_REBOOKCTL_ZMS_EXPORT_H_

#include <filesystem>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "tools/rebookctl/client.h"

namespace rebook::ctl {

// Writes `dir`/processes.json for `outage` (an id or "outages/{id}"); returns the number of
// processes written. gRPC errors come back as their absl::Status.
absl::StatusOr<int> ExportZms(const Client& client, const std::string& outage,
                              const std::filesystem::path& dir);

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_ZMS_EXPORT_H_
