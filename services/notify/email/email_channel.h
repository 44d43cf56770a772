// The `email` channel: e-mail through an SMTP relay with libcurl's SMTP and MIME API. (Its old
// name `smtp` is still accepted in config files; see channel_config_file.h.)
//
// Config keys:
//   url                required; smtp://host:587 (STARTTLS) or smtps://host:465 (implicit TLS)
//   from               required; "Bürgerservice Halle <termine@halle.example>" or an address
//   reply_to           optional address
//   username, password optional SMTP AUTH credentials
//   starttls           default true: require STARTTLS on smtp:// (false only for a local relay
//                      or tests)
//   tls_verify         default true; ca_file optional (PEM bundle for a private CA)
//   message_id_domain  default: the domain of `from`; also the iCalendar UID domain
//   ical_method        default "publish"; "request" adds ORGANIZER/ATTENDEE and METHOD:REQUEST
//   timeout            default 30s
//
// The mail: multipart/mixed { multipart/alternative { text/plain, text/html },
// text/calendar; method=... (termin.ics) }, with From, To, Subject (RFC 2047 when not
// ASCII), Date, Content-Language, Auto-Submitted: auto-generated and a Message-ID derived
// from the idempotency key ("<digest.rebook@domain>"), identical across retries.
//
// Results: 250 -> sent (provider id = the Message-ID, reason = the server's reply);
// 4xx -> temporary; 5xx to RCPT or DATA -> permanent, with the server's text as the reason;
// 5xx to EHLO/AUTH/MAIL FROM (our configuration, not the citizen's address) and transport or
// TLS errors -> temporary. Thread-safe: one curl handle per Send.
#ifndef REBOOK_SERVICES_NOTIFY_EMAIL_EMAIL_CHANNEL_H_
#define REBOOK_SERVICES_NOTIFY_EMAIL_EMAIL_CHANNEL_H_

#include <memory>
#include <string>
#include <string_view>

#include "services/notify/channel.h"

namespace rebook::notify {

class EmailChannelFactory final : public ChannelFactory {
 public:
  std::string_view name() const override { return "email"; }
  absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) const override;
};

// "<0123...cdef.rebook@example.de>": stable per idempotency key.
std::string SmtpMessageId(const IdempotencyKey& key, std::string_view domain);
// RFC 2047 B-encoding for header text that is not plain ASCII; ASCII passes unchanged.
std::string EncodeHeaderText(std::string_view text);
// RFC 5322 date, e.g. "Thu, 29 Jan 2026 08:30:00 +0000".
std::string Rfc5322Date(Instant t);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_EMAIL_EMAIL_CHANNEL_H_
