// The `webhook` channel: POSTs each message as JSON, signed per Standard Webhooks, to one
// configured URL (e.g. a citizen portal or a municipal messaging hub).
//
// Config keys:
//   url              required; https (http only for loopback). Checked and pinned at
//                    configuration time (http/url_safety.h)
//   secret           required; "whsec_<base64 key>", 16-64 byte key
//   timeout          default 10s
//   include_contact  default false; true adds the recipient's contact data to the body
//   allow_loopback   default false (tests); allow_private default false
//
// Request: headers webhook-id (the idempotency key, so the receiver can drop duplicates),
// webhook-timestamp (unix seconds from the injected clock), webhook-signature
// ("v1,<base64 HMAC-SHA256>"); body {"type": "appointment.<kind>", "timestamp": "...",
// "data": <message JSON>}. 2xx: sent; 408/425/429/5xx and transport errors: temporary;
// other: permanent. Thread-safe.
#ifndef REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_CHANNEL_H_
#define REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_CHANNEL_H_

#include <memory>
#include <string>

#include "services/notify/channel.h"

namespace rebook::notify {

class WebhookChannelFactory final : public ChannelFactory {
 public:
  std::string_view name() const override { return "webhook"; }
  absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) const override;
};

// The body the channel posts, for tests and the benchmark.
std::string WebhookBody(const RenderedMessage& message, Instant now, bool include_contact);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_CHANNEL_H_
