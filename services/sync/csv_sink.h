// The `csv` sink: one CSV file per batch in a folder, for booking systems that import files.
//
// Config keys:
//   dir      required; created if missing. Files appear there complete or not at all.
//   prefix   default "changes"; letters, digits, '-', '_'
//
// File name: `<prefix>-<first cursor>-<last cursor>.csv`, cursors zero-padded to 20 digits so
// that names sort in feed order. Written atomically (temp file, fsync, rename, fsync folder,
// atomic_file.h). A batch written again after a crash has the same first cursor; it replaces the
// file if it also ends at the same cursor, else it lands beside it: an importer drops repeated
// rows by `event_id`. Content: UTF-8 without a byte order mark, `\n` line ends, a header row
// (change_format.h ChangeCsvColumns), one row per event, RFC 4180 quoting where needed.
// Thread-compatible.
#ifndef REBOOK_SERVICES_SYNC_CSV_SINK_H_
#define REBOOK_SERVICES_SYNC_CSV_SINK_H_

#include <cstdint>
#include <string>

#include "services/sync/sink_registry.h"

namespace rebook::sync {

class CsvSinkFactory final : public SinkFactory {
 public:
  std::string_view name() const override { return "csv"; }
  absl::StatusOr<std::unique_ptr<ChangeSink>> Create(const SinkConfig& config) const override;
};

// "<prefix>-<first, 20 digits>-<last, 20 digits>.csv".
std::string CsvBatchFileName(const std::string& prefix, std::int64_t first, std::int64_t last);

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_CSV_SINK_H_
