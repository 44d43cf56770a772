// ChannelRegistry: the channel factories known to a process, by name.
//
// Built explicitly in `main` (no static registration, which static libraries drop silently):
//
//   ChannelRegistry registry;
//   REBOOK_RETURN_IF_ERROR(RegisterBuiltinChannels(registry));   // builtin_channels.h
//   REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<MyFactory>()));
//
// Not thread-safe while registering; after that, `Find`/`Create`/`Names` may be called from
// any thread.
#ifndef REBOOK_SERVICES_NOTIFY_CHANNEL_REGISTRY_H_
#define REBOOK_SERVICES_NOTIFY_CHANNEL_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/notify/channel.h"

namespace rebook::notify {

class ChannelRegistry {
 public:
  // AlreadyExists if a factory with the same name is registered; InvalidArgument for null or
  // an empty name.
  absl::Status Register(std::unique_ptr<ChannelFactory> factory);
  // Null if unknown.
  const ChannelFactory* Find(std::string_view name) const;
  // NotFound for an unknown type; otherwise what the factory returns.
  absl::StatusOr<std::unique_ptr<Channel>> Create(std::string_view type,
                                                  const ChannelConfig& config) const;
  std::vector<std::string> Names() const;  // sorted

 private:
  std::map<std::string, std::unique_ptr<ChannelFactory>, std::less<>> factories_;
};

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_CHANNEL_REGISTRY_H_
