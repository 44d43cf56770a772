// Channel: one way of reaching a citizen (e-mail, SMS, webhook, letter, staff phone call, file).
//
// Channels are plug-ins: a `ChannelFactory` with a unique `name()` builds channel instances
// from a `ChannelConfig`, and a `ChannelRegistry` (channel_registry.h) holds the factories.
//
//   ChannelRegistry registry;
//   REBOOK_RETURN_IF_ERROR(RegisterBuiltinChannels(registry));
//   REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<Channel> email,
//                           registry.Create("email", ChannelConfig("email", {{"url", ...}})));
//   DeliveryResult r = email->Send(rendered);
//
// Contract for every channel:
//  - `Send` never throws and never reads the database; everything it needs is in the message.
//  - `Send` is thread-safe: the outbox worker may call it from several threads at once.
//  - `Send` is idempotent per `message.key`: the outbox delivers at least once, so a retry
//    with the same key carries the same provider-visible identity (Message-ID, client
//    reference, webhook-id, file name) so the far side can drop the duplicate.
//  - Configuration errors surface from `Create`, never from `Send`.
// Callers send through `SendGuarded`, which holds the first rule even for a channel that breaks
// it.
#ifndef REBOOK_SERVICES_NOTIFY_CHANNEL_H_
#define REBOOK_SERVICES_NOTIFY_CHANNEL_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/notify/channel_config.h"
#include "services/notify/message.h"

namespace rebook::notify {

class Channel {
 public:
  virtual ~Channel() = default;
  // The factory name (channel type), e.g. "email".
  virtual std::string_view name() const = 0;
  // The contact field this channel needs; the channel chain skips citizens without it.
  virtual ContactField required_contact() const = 0;
  // Delivers one rendered message. Blocks for at most the channel's configured timeout.
  virtual DeliveryResult Send(const RenderedMessage& message) = 0;
};

// `channel.Send(message)`, except that an exception escaping it (a broken contract: a library
// that throws, memory exhausted) becomes a temporary failure naming the channel and the
// exception's type, instead of ending the worker's thread and with it the process. The retry
// policy then bounds how often that message is tried (retry_policy.h). The exception's text is
// not kept: it may quote the message.
DeliveryResult SendGuarded(Channel& channel, const RenderedMessage& message);

class ChannelFactory {
 public:
  virtual ~ChannelFactory() = default;
  // Unique within a registry. The built-in channels are named as in domain::kKnownChannels:
  // "email", "sms", "webhook", "letter", "phone", "file".
  virtual std::string_view name() const = 0;
  // InvalidArgument for bad configuration (missing/unknown keys, refused URLs, ...).
  virtual absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) const = 0;
};

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_CHANNEL_H_
