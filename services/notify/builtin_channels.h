// RegisterBuiltinChannels: adds the factories of every channel shipped with rebook to a
// registry: email, sms, webhook, letter, phone, file. Called explicitly from `main`
// (see channel_registry.h). AlreadyExists if any of these names is already registered.
#ifndef REBOOK_SERVICES_NOTIFY_BUILTIN_CHANNELS_H_
#define REBOOK_SERVICES_NOTIFY_BUILTIN_CHANNELS_H_

#include "absl/status/status.h"
#include "services/notify/channel_registry.h"

namespace rebook::notify {

absl::Status RegisterBuiltinChannels(ChannelRegistry& registry);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_BUILTIN_CHANNELS_H_
