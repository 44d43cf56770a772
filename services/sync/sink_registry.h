// SinkRegistry: the change-sink factories known to a process, by name; the same plug-in shape
// as notify's ChannelRegistry. Built explicitly in `main` (no static registration):
//
//   SinkRegistry registry;
//   REBOOK_RETURN_IF_ERROR(RegisterBuiltinSinks(registry));          // builtin_sinks.h
//   REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<MySinkFactory>()));
//
// A sink's configuration is a notify::ChannelConfig (the `[sink.<name>]` section's keys,
// typed getters, CheckKnownKeys); see sink_config_file.h. Not thread-safe while registering;
// after that `Find`/`Create`/`Names` may be called from any thread.
#ifndef REBOOK_SERVICES_SYNC_SINK_REGISTRY_H_
#define REBOOK_SERVICES_SYNC_SINK_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/notify/channel_config.h"
#include "services/sync/change_sink.h"

namespace rebook::sync {

using SinkConfig = notify::ChannelConfig;

class SinkFactory {
 public:
  virtual ~SinkFactory() = default;
  virtual std::string_view name() const = 0;  // the `type` of a sink section, e.g. "csv"
  // InvalidArgument naming the key for a configuration the sink refuses.
  virtual absl::StatusOr<std::unique_ptr<ChangeSink>> Create(const SinkConfig& config) const = 0;
};

class SinkRegistry {
 public:
  // AlreadyExists for a second factory of a name; InvalidArgument for null or an empty name.
  absl::Status Register(std::unique_ptr<SinkFactory> factory);
  const SinkFactory* Find(std::string_view name) const;  // null if unknown
  // NotFound (listing the known types) for an unknown type; else what the factory returns.
  absl::StatusOr<std::unique_ptr<ChangeSink>> Create(std::string_view type,
                                                     const SinkConfig& config) const;
  std::vector<std::string> Names() const;  // sorted

 private:
  std::map<std::string, std::unique_ptr<SinkFactory>, std::less<>> factories_;
};

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_SINK_REGISTRY_H_
