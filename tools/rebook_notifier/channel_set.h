// The channels one notifier serves, built from the channel-config file
// (format: services/notify/channel_config_file.h; keys per channel: docs/notifications.md).
#ifndef REBOOK_TOOLS_REBOOK_NOTIFIER_CHANNEL_SET_H_
#define REBOOK_TOOLS_REBOOK_NOTIFIER_CHANNEL_SET_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/notify/channel.h"
#include "services/notify/channel_config_file.h"
#include "services/notify/channel_registry.h"

namespace rebook::notifier {

// Channel name ("email", "sms", ...) -> channel instance.
using ChannelSet = std::map<std::string, std::unique_ptr<notify::Channel>>;

// Creates one channel per name in `wanted` from its `[channel.<name>]` section (type = the
// section's `type`, else the name). Old channel names in `wanted` ("phone_list", "smtp") are
// read as the current ones. Empty `wanted`: every channel section.
// INVALID_ARGUMENT naming the channel for a missing section or a configuration the channel's
// factory refuses (unknown keys, unsafe URLs, ...). `clock` must outlive the channels.
absl::StatusOr<ChannelSet> BuildChannels(const std::vector<notify::ConfigSection>& sections,
                                         const std::vector<std::string>& wanted,
                                         const notify::ChannelRegistry& registry,
                                         const Clock& clock, const std::string& source);

}  // namespace rebook::notifier

#endif  // REBOOK_TOOLS_REBOOK_NOTIFIER_CHANNEL_SET_H_
