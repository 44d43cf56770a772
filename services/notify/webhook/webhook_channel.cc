#include "services/notify/webhook/webhook_channel.h"

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/notify/http/http_client.h"
#include "services/notify/message_json.h"
#include "services/notify/webhook/webhook_endpoint.h"

namespace rebook::notify {
namespace {

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(WebhookEndpoint endpoint, bool include_contact, const Clock& clock)
      : endpoint_(std::move(endpoint)), include_contact_(include_contact), clock_(clock) {}

  std::string_view name() const override { return "webhook"; }
  ContactField required_contact() const override { return ContactField::kNone; }

  DeliveryResult Send(const RenderedMessage& message) override {
    const Instant now = clock_.Now();
    const std::string id = message.message.key.ToString();
    absl::StatusOr<HttpResponse> response =
        endpoint_.Post(id, now, WebhookBody(message, now, include_contact_));
    if (!response.ok()) return TransportFailure(response.status());
    DeliveryResult result = ClassifyHttpResponse(*response);
    if (result.ok()) result.provider_message_id = id;
    return result;
  }

 private:
  const WebhookEndpoint endpoint_;
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
  REBOOK_ASSIGN_OR_RETURN(bool include_contact, config.GetBool("include_contact", false));
  REBOOK_ASSIGN_OR_RETURN(WebhookEndpoint endpoint, WebhookEndpoint::FromConfig(config));
  return std::make_unique<WebhookChannel>(std::move(endpoint), include_contact, config.clock());
}

}  // namespace rebook::notify
