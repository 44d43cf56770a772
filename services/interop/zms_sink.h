// ZmsSink: the `zms` sink of rebook-sync. Writes each batch's confirmed rebookings
// (ChangeKind::kSlotConfirmed events) as one ZMS processes file (the format of zms_export.h):
//   <dir>/processes-<first cursor>-<last cursor>.json   (cursors zero-padded to 20 digits)
// The name comes from the batch's cursor range, so a batch written again after a crash
// replaces its own file with the same content: the repeat is harmless (sync::ChangeSink).
// A batch without a confirmation writes nothing. Each file appears atomically (fsync + rename).
// Events carry no personal data, so the processes have no clients. Not thread-safe.
#ifndef REBOOK_SERVICES_INTEROP_ZMS_SINK_H_
#define REBOOK_SERVICES_INTEROP_ZMS_SINK_H_

#include <filesystem>
#include <string>

#include "services/interop/zms_export.h"
#include "services/sync/change_sink.h"
#include "services/sync/sink_registry.h"

namespace rebook::interop {

class ZmsSink final : public sync::ChangeSink {
 public:
  struct Options {
    std::filesystem::path dir;  // required; created if missing
    ZmsExportOptions format;    // scopes, slot length
  };
  explicit ZmsSink(Options options) : options_(std::move(options)) {}

  std::string_view name() const override { return "zms"; }
  // InvalidArgument when a confirmed appointment or its office is no ZMS id (the batch is not
  // written; retrying does not help); Internal on I/O errors.
  absl::Status Write(absl::Span<const domain::ChangeEvent> batch) override;

  // The file name of a batch, e.g. "processes-00000000000000000041-00000000000000000080.json".
  static std::string FileName(std::int64_t first_cursor, std::int64_t last_cursor);

 private:
  Options options_;
};

// The `zms` type of rebook-sync's sink config: `dir` (required, created if missing) and
// `slot_minutes` (ZMS slot length, default 10). Scopes are the office ids (as the ZMS import
// names offices after their scope ids).
class ZmsSinkFactory final : public sync::SinkFactory {
 public:
  std::string_view name() const override { return "zms"; }
  absl::StatusOr<std::unique_ptr<sync::ChangeSink>> Create(
      const sync::SinkConfig& config) const override;
};

}  // namespace rebook::interop

#endif  // REBOOK_SERVICES_INTEROP_ZMS_SINK_H_
