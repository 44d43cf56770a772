#include "services/notify/webhook/webhook_endpoint.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/notify/webhook/webhook_signature.h"

namespace rebook::notify {

absl::StatusOr<WebhookEndpoint> WebhookEndpoint::FromConfig(const ChannelConfig& config) {
  REBOOK_ASSIGN_OR_RETURN(std::string url, config.GetString("url"));
  REBOOK_ASSIGN_OR_RETURN(std::string secret, config.GetString("secret"));
  absl::StatusOr<std::string> key = ParseWebhookSecret(secret);
  if (!key.ok()) return config.Invalid("secret", std::string(key.status().message()));
  REBOOK_ASSIGN_OR_RETURN(std::chrono::seconds timeout,
                          config.GetDuration("timeout", std::chrono::seconds(10)));
  UrlPolicy policy;
  REBOOK_ASSIGN_OR_RETURN(policy.allow_loopback, config.GetBool("allow_loopback", false));
  REBOOK_ASSIGN_OR_RETURN(policy.allow_private, config.GetBool("allow_private", false));
  absl::StatusOr<SafeUrl> safe = ResolveSafeUrl(url, policy);
  if (!safe.ok()) return config.Invalid("url", std::string(safe.status().message()));
  return WebhookEndpoint(HttpPoster(*std::move(safe), timeout), *std::move(key));
}

absl::StatusOr<HttpResponse> WebhookEndpoint::Post(std::string_view id, Instant now,
                                                   const std::string& body) const {
  const std::int64_t ts = now.time_since_epoch().count();
  const std::string id_text(id);
  const std::vector<std::string> headers = {
      "Content-Type: application/json",
      absl::StrCat("webhook-id: ", id_text),
      absl::StrCat("webhook-timestamp: ", ts),
      absl::StrCat("webhook-signature: ", SignWebhook(key_, id, ts, body)),
  };
  return poster_.Post(body, headers);
}

}  // namespace rebook::notify
