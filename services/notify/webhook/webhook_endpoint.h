// WebhookEndpoint: one configured Standard Webhooks receiver (URL checked and pinned, signing
// key, timeout) and the signed POST to it. Shared by the notify `webhook` channel and the
// change-feed `webhook` sink (services/sync), so both read the same keys the same way and sign
// the same way.
//
//   REBOOK_ASSIGN_OR_RETURN(WebhookEndpoint endpoint, WebhookEndpoint::FromConfig(config));
//   absl::StatusOr<HttpResponse> r = endpoint.Post(id, now, body);
//
// Config keys read here (the caller's factory lists them in CheckKnownKeys):
//   url              required; https (http only for loopback). Checked and pinned at
//                    configuration time (http/url_safety.h)
//   secret           required; "whsec_<base64 key>", 16-64 byte key
//   timeout          default 10s
//   allow_loopback   default false (tests); allow_private default false
//
// Each POST carries Content-Type: application/json, webhook-id (the receiver's idempotency
// key), webhook-timestamp (unix seconds) and webhook-signature ("v1,<base64 HMAC-SHA256>").
// Thread-safe (HttpPoster is).
#ifndef REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_ENDPOINT_H_
#define REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_ENDPOINT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/notify/channel_config.h"
#include "services/notify/http/http_client.h"

namespace rebook::notify {

class WebhookEndpoint {
 public:
  // InvalidArgument naming the key for a missing or unsafe URL, a bad secret or timeout.
  static absl::StatusOr<WebhookEndpoint> FromConfig(const ChannelConfig& config);

  // One signed POST of `body` (JSON) with webhook-id `id`, stamped `now`. Unavailable when no
  // HTTP answer came back; otherwise the answer, whatever its status.
  absl::StatusOr<HttpResponse> Post(std::string_view id, Instant now,
                                    const std::string& body) const;

 private:
  WebhookEndpoint(HttpPoster poster, std::string key)
      : poster_(std::move(poster)), key_(std::move(key)) {}

  HttpPoster poster_;
  std::string key_;
};

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_ENDPOINT_H_
