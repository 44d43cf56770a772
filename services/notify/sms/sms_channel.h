// The `sms` channel: sends the rendered SMS text through a generic HTTP SMS gateway.
//
// Config keys:
//   url                   required; the gateway endpoint (checked and pinned, url_safety.h)
//   auth_header           optional full header line, e.g. "Authorization: Bearer <token>"
//   content_type          default "application/json"; or "application/x-www-form-urlencoded"
//   body_template         Mustache body; variables {{to}}, {{text}}, {{reference}},
//                         {{sender}}, escaped for the content type (JSON string content or
//                         URL encoding). Default:
//                         {"to":"{{to}}","text":"{{text}}","reference":"{{reference}}","sender":"{{sender}}"}
//   sender                default "" (the gateway's default sender id)
//   max_segments          default 3 (1..10); longer texts are shortened (sms_text.h)
//   default_country_code  default "49"; national numbers "0345..." become "+49345..."
//   message_id_pointer    default "/id": JSON pointer to the gateway's message id in the
//                         response; empty to ignore the response body
//   timeout               default 10s
//   allow_loopback, allow_private   default false (url_safety.h)
//
// reference = the idempotency key's digest (32 hex digits), so a gateway that deduplicates
// by client reference drops retries. 2xx: sent; 408/425/429/5xx and transport errors:
// temporary (Retry-After honoured); other 4xx: permanent; an unusable phone number or a
// landline: permanent, without a request. Thread-safe.
#ifndef REBOOK_SERVICES_NOTIFY_SMS_SMS_CHANNEL_H_
#define REBOOK_SERVICES_NOTIFY_SMS_SMS_CHANNEL_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/notify/channel.h"

namespace rebook::notify {

class SmsChannelFactory final : public ChannelFactory {
 public:
  std::string_view name() const override { return "sms"; }
  absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) const override;
};

// "+49 (0)151 2345-6789" -> "+4915123456789"; "0151 23456789" -> "+4915123456789" with
// country code "49"; "0049..." -> "+49..." (libphonenumber). InvalidArgument for text that is
// no valid number; FailedPrecondition for a number that cannot take an SMS (a landline,
// toll-free, ...). The channel reports either as a permanent failure, so the outbox falls
// back to the next channel of the chain.
absl::StatusOr<std::string> NormalizePhoneNumber(std::string_view phone,
                                                 std::string_view default_country_code);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_SMS_SMS_CHANNEL_H_
