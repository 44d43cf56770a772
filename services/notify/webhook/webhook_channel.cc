#include "services/notify/webhook/webhook_channel.h"

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/notify/http/http_client.h"
#include "services/notify/message_json.h"
#include "services/notify/webhook/webhook_signature.h"

namespace rebook::notify {
namespace {

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(HttpPoster poster, std::string key, bool include_contact, const Clock& clock)
      : poster_(std::move(poster)),
        key_(std::move(key)),
        include_contact_(include_contact),
        clock_(clock) {}

  std::string_view name() const override { return "webhook"; }
  ContactField required_contact() const override { return ContactField::kNone; }

  DeliveryResult Send(const RenderedMessage& message) override {
    const Instant now = clock_.Now();
    const std::int64_t ts = now.time_since_epoch().count();
    const std::string id = message.message.key.ToString();
    const std::string body = WebhookBody(message, now, include_contact_);
    const std::vector<std::string> headers = {
        "Content-Type: application/json",
        absl::StrCat("webhook-id: ", id),
        absl::StrCat("webhook-timestamp: ", ts),
        absl::StrCat("webhook-signature: ", SignWebhook(key_, id, ts, body)),
    };
    absl::StatusOr<HttpResponse> response = poster_.Post(body, headers);
    if (!response.ok()) return TransportFailure(response.status());
    DeliveryResult result = ClassifyHttpResponse(*response);
    if (result.ok()) result.provider_message_id = id;
    return result;
  }

 private:
  const HttpPoster poster_;
  const std::string key_;
  const bool include_contact_;
  const Clock& clock_;
};

}  // namespace

std::string WebhookBody(const RenderedMessage& message, Instant now, bool include_contact) {
  nlohmann::json body;
  body["type"] = absl::StrCat("appointment.", std::string(ToString(message.message.kind)));
  body["timestamp"] = domain::FormatUtc(now);
  body["data"] = MessageToJson(message, {.include_contact = include_contact});
  return body.dump();
}

absl::StatusOr<std::unique_ptr<Channel>> WebhookChannelFactory::Create(
    const ChannelConfig& config) const {
  REBOOK_RETURN_IF_ERROR(config.CheckKnownKeys(
      {"url", "secret", "timeout", "include_contact", "allow_loopback", "allow_private"}));
  REBOOK_ASSIGN_OR_RETURN(std::string url, config.GetString("url"));
  REBOOK_ASSIGN_OR_RETURN(std::string secret, config.GetString("secret"));
  absl::StatusOr<std::string> key = ParseWebhookSecret(secret);
  if (!key.ok()) return config.Invalid("secret", std::string(key.status().message()));
  REBOOK_ASSIGN_OR_RETURN(std::chrono::seconds timeout,
                          config.GetDuration("timeout", std::chrono::seconds(10)));
  REBOOK_ASSIGN_OR_RETURN(bool include_contact, config.GetBool("include_contact", false));
  UrlPolicy policy;
  REBOOK_ASSIGN_OR_RETURN(policy.allow_loopback, config.GetBool("allow_loopback", false));
  REBOOK_ASSIGN_OR_RETURN(policy.allow_private, config.GetBool("allow_private", false));
  absl::StatusOr<SafeUrl> safe = ResolveSafeUrl(url, policy);
  if (!safe.ok()) return config.Invalid("url", std::string(safe.status().message()));
  return std::make_unique<WebhookChannel>(HttpPoster(*std::move(safe), timeout), *std::move(key),
                                          include_contact, config.clock());
}

}  // namespace rebook::notify
