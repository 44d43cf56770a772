// The way back into ZMS: confirmed rebookings as a ZMS `processes.json`.
//
// The file is the envelope ZMS's API answers with, {"$schema": ..., "meta": {...}, "data": [...]},
// one process per confirmed rebooking:
//   {"id": 100234, "status": "confirmed", "lastChange": <confirm time>,
//    "appointments": [{"date": <new start, unix s>, "slotCount": n, "scope": {...}}],
//    "scope": {"id": 142, "shortName": ..., "provider": {...}}, "clients": [...]}
// valid against zmsentities/schema/process.json (id a number >= 1000, a scope with provider and
// shortName). The process id is the appointment id, so it must be ZMS's: digits only, >= 1000
// (an appointment imported with `rebookctl import --from zms`); anything else is refused as
// InvalidArgument naming the appointment, and nothing is written.
//
// Used by `rebookctl export OUTAGE --format zms --out DIR` (WriteZmsExport) and by the `zms`
// sink of rebook-sync (ZmsSink, zms_sink.h). No I/O but the files named here; thread-compatible.
#ifndef REBOOK_SERVICES_INTEROP_ZMS_EXPORT_H_
#define REBOOK_SERVICES_INTEROP_ZMS_EXPORT_H_

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/model.h"

namespace rebook::interop {

// What ZMS knows of a scope and rebook does not; all optional.
struct ZmsScopeRef {
  std::string short_name;       // default ""
  std::string provider_id;      // digits; default: none (null)
  std::string provider_name;    // default: the office's display name, else "Scope <id>"
  std::string provider_source;  // default "" (ZMS's own scopes say "dldb")
  int slot_minutes = 0;         // 0: ZmsExportOptions::slot_minutes
};

struct ZmsExportOptions {
  std::map<std::string, ZmsScopeRef> scopes;        // by office id
  std::map<std::string, std::string> office_names;  // office id -> display name
  int slot_minutes = 10;                            // slot length for slotCount (ZMS default)
  Instant generated{};                              // meta.generated
};

// One confirmed rebooking, as both the export and the sink have it.
struct ZmsRebooking {
  std::string process_id;  // the appointment id
  domain::ScheduledSlot slot;
  Instant confirm_time{};
  std::optional<domain::Contact> contact;  // the export has it, change events do not
};

// The confirmed appointments with a rebooked slot, in the order given; others are left out.
std::vector<ZmsRebooking> ConfirmedRebookings(const std::vector<domain::Appointment>& appts);

// The processes.json text (pretty-printed, UTF-8, ending in a newline).
absl::StatusOr<std::string> ZmsProcessesJson(const std::vector<ZmsRebooking>& rebookings,
                                             const ZmsExportOptions& options);

// Writes `dir`/processes.json (dir created if needed) for the confirmed rebookings among
// `appointments`, atomically (temporary file, fsync, rename, fsync of the folder): a reader sees
// the old file or the new one, never a part. Returns the number of processes written.
absl::StatusOr<int> WriteZmsExport(const std::vector<domain::Appointment>& appointments,
                                   const std::filesystem::path& dir,
                                   const ZmsExportOptions& options);

// `content` to `path` atomically, as above.
absl::Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content);

}  // namespace rebook::interop

#endif  // REBOOK_SERVICES_INTEROP_ZMS_EXPORT_H_
