// The sink-config file of rebook-sync (--sink-config): the syntax of notify's channel-config
// file (services/notify/channel_config_file.h), one `[sink.<name>]` section per sink.
//
//   [sink.booking]                 # <name>: letters, digits, '-', '_'
//   type = webhook                 # the factory (default: the name)
//   url = https://booking.example.de/rebook/changes
//   secret = whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
//
//   [sink.archive]
//   type = csv
//   dir = /var/lib/rebook-sync/csv
//
// Every configured sink gets every batch, in the order of the file; a batch counts as written
// once all of them have it (FanOutSink). Keys per type: docs/sync.md.
#ifndef REBOOK_SERVICES_SYNC_SINK_CONFIG_FILE_H_
#define REBOOK_SERVICES_SYNC_SINK_CONFIG_FILE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/sync/change_sink.h"
#include "services/sync/sink_registry.h"

namespace rebook::sync {

// Writes each batch to every sink in order; fails at the first sink that fails (a retry
// writes the batch to the earlier ones again, which their at-least-once contract allows).
class FanOutSink final : public ChangeSink {
 public:
  explicit FanOutSink(std::vector<std::unique_ptr<ChangeSink>> sinks) : sinks_(std::move(sinks)) {}
  std::string_view name() const override { return "fan-out"; }
  absl::Status Write(absl::Span<const domain::ChangeEvent> batch) override;
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<ChangeSink>> sinks_;
};

// Parses the file and creates its sinks. InvalidArgument naming `source`, the line and the sink
// for syntax errors, a file without sinks, an unknown type and what a factory refuses.
// `clock` must outlive the sinks.
absl::StatusOr<std::unique_ptr<FanOutSink>> BuildSinks(std::string_view text,
                                                       const std::string& source,
                                                       const SinkRegistry& registry,
                                                       const Clock& clock);

// Reads the file at `path` (NOT_FOUND / UNAVAILABLE naming it), then BuildSinks.
absl::StatusOr<std::unique_ptr<FanOutSink>> LoadSinks(const std::string& path,
                                                      const SinkRegistry& registry,
                                                      const Clock& clock);

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_SINK_CONFIG_FILE_H_
