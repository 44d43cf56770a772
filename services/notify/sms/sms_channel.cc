#include "services/notify/sms/sms_channel.h"

#include <curl/curl.h>

#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "kainjow/mustache.hpp"
#include "nlohmann/json.hpp"
#include "services/common/status_macros.h"
#include "services/notify/http/http_client.h"
#include "services/notify/internal/template_data.h"
#include "services/notify/phone_number/phone_number.h"
#include "services/notify/sms/sms_text.h"

namespace rebook::notify {
namespace {

constexpr char kDefaultBody[] =
    R"({"to":"{{to}}","text":"{{text}}","reference":"{{reference}}","sender":"{{sender}}"})";

std::string JsonEscape(const std::string& s) {
  const std::string quoted = nlohmann::json(s).dump();
  return quoted.substr(1, quoted.size() - 2);
}

std::string UrlEscape(const std::string& s) {
  char* escaped = curl_easy_escape(nullptr, s.data(), static_cast<int>(s.size()));
  std::string out = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return out;
}

class SmsChannel final : public Channel {
 public:
  struct Options {
    std::string auth_header;
    std::string content_type;
    std::string sender;
    int max_segments = 3;
    std::string country_code;
    std::string message_id_pointer;
  };

  SmsChannel(HttpPoster poster, std::unique_ptr<kainjow::mustache::mustache> body, Options options)
      : poster_(std::move(poster)), body_(std::move(body)), options_(std::move(options)) {}

  std::string_view name() const override { return "sms"; }
  ContactField required_contact() const override { return ContactField::kMobilePhone; }

  DeliveryResult Send(const RenderedMessage& message) override {
    absl::StatusOr<std::string> to =
        NormalizePhoneNumber(message.message.recipient.phone, options_.country_code);
    if (!to.ok()) return DeliveryResult::Permanent(std::string(to.status().message()));
    absl::StatusOr<std::string> body =
        RenderBody(*to, FitSms(message.sms, options_.max_segments), message.message.key.Digest());
    if (!body.ok()) return DeliveryResult::Permanent(std::string(body.status().message()));
    std::vector<std::string> headers = {absl::StrCat("Content-Type: ", options_.content_type)};
    if (!options_.auth_header.empty()) headers.push_back(options_.auth_header);
    absl::StatusOr<HttpResponse> response = poster_.Post(*body, headers);
    if (!response.ok()) return TransportFailure(response.status());
    DeliveryResult result = ClassifyHttpResponse(*response);
    if (result.ok()) result.provider_message_id = ProviderId(response->body);
    return result;
  }

  absl::StatusOr<std::string> RenderBody(const std::string& to, const std::string& text,
                                         const std::string& reference) const {
    kainjow::mustache::data d;
    d.set("to", to);
    d.set("text", text);
    d.set("reference", reference);
    d.set("sender", options_.sender);
    std::lock_guard<std::mutex> lock(mu_);
    internal::StrictContext ctx(&d);
    std::string out = body_->render(ctx);
    if (!body_->is_valid()) {
      return absl::InvalidArgumentError(absl::StrCat("body_template: ", body_->error_message()));
    }
    if (!ctx.missing().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("body_template: unknown variable ",
                                                     ctx.missing().front(),
                                                     "; known: to, text, reference, sender"));
    }
    return out;
  }

 private:
  std::string ProviderId(const std::string& body) const {
    if (options_.message_id_pointer.empty()) return "";
    nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return "";
    try {
      const nlohmann::json& id = j.at(nlohmann::json::json_pointer(options_.message_id_pointer));
      return id.is_string() ? id.get<std::string>() : id.dump();
    } catch (const nlohmann::json::exception&) {
      return "";
    }
  }

  const HttpPoster poster_;
  mutable std::mutex mu_;  // kainjow keeps render state in the template object
  const std::unique_ptr<kainjow::mustache::mustache> body_;
  const Options options_;
};

}  // namespace

absl::StatusOr<std::string> NormalizePhoneNumber(std::string_view phone,
                                                 std::string_view default_country_code) {
  REBOOK_ASSIGN_OR_RETURN(PhoneNumber number,
                          ParsePhoneNumberForCountryCode(phone, default_country_code));
  if (!CanReceiveSms(number)) {
    return absl::FailedPreconditionError(absl::StrCat(number.e164, " is a ",
                                                      std::string(ToString(number.line)),
                                                      " number: it cannot receive an SMS"));
  }
  return number.e164;
}

absl::StatusOr<std::unique_ptr<Channel>> SmsChannelFactory::Create(
    const ChannelConfig& config) const {
  REBOOK_RETURN_IF_ERROR(
      config.CheckKnownKeys({"url", "auth_header", "content_type", "body_template", "sender",
                             "max_segments", "default_country_code", "message_id_pointer",
                             "timeout", "allow_loopback", "allow_private"}));
  REBOOK_ASSIGN_OR_RETURN(std::string url, config.GetString("url"));
  SmsChannel::Options o;
  o.auth_header = config.GetString("auth_header", "");
  if (!o.auth_header.empty() && o.auth_header.find(':') == std::string::npos) {
    return config.Invalid("auth_header", "must be a full header line \"Name: value\"");
  }
  o.content_type = config.GetString("content_type", "application/json");
  const bool json = o.content_type == "application/json";
  if (!json && o.content_type != "application/x-www-form-urlencoded") {
    return config.Invalid("content_type",
                          "must be application/json or application/x-www-form-urlencoded");
  }
  o.sender = config.GetString("sender", "");
  REBOOK_ASSIGN_OR_RETURN(std::int64_t segments, config.GetInt("max_segments", 3, 1, 10));
  o.max_segments = static_cast<int>(segments);
  o.country_code = config.GetString("default_country_code", "49");
  o.message_id_pointer = config.GetString("message_id_pointer", "/id");
  REBOOK_ASSIGN_OR_RETURN(std::chrono::seconds timeout,
                          config.GetDuration("timeout", std::chrono::seconds(10)));
  UrlPolicy policy;
  REBOOK_ASSIGN_OR_RETURN(policy.allow_loopback, config.GetBool("allow_loopback", false));
  REBOOK_ASSIGN_OR_RETURN(policy.allow_private, config.GetBool("allow_private", false));

  auto body = std::make_unique<kainjow::mustache::mustache>(
      config.GetString("body_template", kDefaultBody));
  if (!body->is_valid()) return config.Invalid("body_template", body->error_message());
  if (json) {
    body->set_custom_escape(&JsonEscape);
  } else {
    body->set_custom_escape(&UrlEscape);
  }
  absl::StatusOr<SafeUrl> safe = ResolveSafeUrl(url, policy);
  if (!safe.ok()) return config.Invalid("url", std::string(safe.status().message()));
  auto channel = std::make_unique<SmsChannel>(HttpPoster(*std::move(safe), timeout),
                                              std::move(body), std::move(o));
  // Render once now so an unknown variable fails at configuration time.
  absl::StatusOr<std::string> sample = channel->RenderBody("+49345123456", "Test", "ref");
  if (!sample.ok()) return config.Invalid("body_template", std::string(sample.status().message()));
  return channel;
}

}  // namespace rebook::notify
