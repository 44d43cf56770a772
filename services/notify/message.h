// The notification message model: what the outbox hands to a channel and what comes back.
//
// Plain value types. An `OutgoingMessage` carries everything a channel may show a citizen; the
// template set turns it into a `RenderedMessage` (subject, text, HTML, SMS, phone script), and a
// channel's `Send` answers with a `DeliveryResult`.
//
//   REBOOK_ASSIGN_OR_RETURN(ResponseLinks links,
//                           BuildResponseLinks("https://termine.example.de", token));
//   OutgoingMessage m{.key = {"out-1", "apt-7", 2, "email"}, .kind = MessageKind::kOffer, ...};
//   REBOOK_RETURN_IF_ERROR(ValidateMessage(m));
#ifndef REBOOK_SERVICES_NOTIFY_MESSAGE_H_
#define REBOOK_SERVICES_NOTIFY_MESSAGE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/model.h"

namespace rebook::notify {

enum class MessageKind { kOffer, kConfirmation, kReminder, kCancellation };

std::string_view ToString(MessageKind kind);  // "offer", "confirmation", ...
std::optional<MessageKind> ParseMessageKind(std::string_view s);
inline constexpr MessageKind kAllMessageKinds[] = {MessageKind::kOffer, MessageKind::kConfirmation,
                                                   MessageKind::kReminder,
                                                   MessageKind::kCancellation};

// Identifies one delivery attempt series. Two sends with equal keys are the same message: a
// channel or provider that sees a key twice must not notify the citizen twice.
struct IdempotencyKey {
  std::string outage_id;
  std::string appointment_id;
  std::int64_t offer_version = 0;
  std::string channel;  // the channel instance name, e.g. "email"

  // "<outage>/<appointment>/<version>/<channel>". Ids never contain '/', so this is unambiguous.
  std::string ToString() const;
  // 32 lower-case hex digits (128 bits of SHA-256 over ToString()). For places with length or
  // character limits: Message-ID, file names, SMS client references.
  std::string Digest() const;
  friend bool operator==(const IdempotencyKey&, const IdempotencyKey&) = default;
};

// The office as shown to the citizen.
struct OfficeInfo {
  std::string id;
  std::string name;
  std::string address;                      // postal address, one line or several ('\n')
  std::string time_zone = "Europe/Berlin";  // IANA zone in which times are shown
  friend bool operator==(const OfficeInfo&, const OfficeInfo&) = default;
};

// The new (or, for a cancellation, the cancelled) appointment.
struct AppointmentInfo {
  std::string service_name;
  Instant start{};                        // UTC
  Instant end{};                          // UTC, after start
  std::optional<Instant> original_start;  // the slot lost to the outage, if known
  friend bool operator==(const AppointmentInfo&, const AppointmentInfo&) = default;
};

// The citizen's answer links. All derive from one public base URL and one opaque token.
struct ResponseLinks {
  std::string respond;     // <base>/r/<token>: a page with all three choices (SMS, QR code)
  std::string accept;      // <base>/r/<token>/accept
  std::string decline;     // <base>/r/<token>/decline
  std::string other_time;  // <base>/r/<token>/other
  friend bool operator==(const ResponseLinks&, const ResponseLinks&) = default;
};

// `base_url` must be an absolute http(s) URL without query or fragment (a trailing '/' is
// dropped); `token` must be 8..128 characters of [A-Za-z0-9_-]. InvalidArgument otherwise.
absl::StatusOr<ResponseLinks> BuildResponseLinks(std::string_view base_url, std::string_view token);

struct OutgoingMessage {
  IdempotencyKey key;
  MessageKind kind = MessageKind::kOffer;
  std::string language = "de";  // BCP 47; the template set falls back (see template_set.h)
  domain::Contact recipient;
  OfficeInfo office;  // where the citizen goes: the office of the offered slot
  // The office that keeps the citizen's case and names the offer
  // (offices/{case_office_id}/appointments/...); it differs from `office` when the plan moved
  // the citizen to another office. Empty: the same as office.id.
  std::string case_office_id;
  AppointmentInfo appointment;
  std::string response_token;           // opaque; also printed on letters and phone lists
  ResponseLinks links;                  // empty for kinds that need no answer
  std::optional<Instant> offer_expiry;  // offers only: after this the held slot is released
  // Why this message is sent, when it is not the outage itself: e.g. a new offer because the
  // clerk fell ill or the office closed. Plain text in the citizen's language; may be empty.
  std::string explanation;
};

// Checks the invariants channels rely on: key fields set, end after start, valid time zone,
// links present for offers. InvalidArgument naming the first broken field.
absl::Status ValidateMessage(const OutgoingMessage& message);

// A message after template rendering. Every part is rendered; each channel uses what it needs
// (e-mail: subject/text/html, SMS: sms, letter: subject/text, phone list: phone_script).
struct RenderedMessage {
  OutgoingMessage message;
  std::string template_language;  // the language whose templates were used
  std::string subject;
  std::string text;
  std::string html;
  std::string sms;
  std::string phone_script;
};

enum class DeliveryState {
  kSent,              // handed to the provider; a delivery report may follow
  kDelivered,         // the provider (or the local sink) confirms delivery
  kTemporaryFailure,  // retry later with the same key (see retry_policy.h)
  kPermanentFailure,  // do not retry on this channel; fall back (see channel_chain.h)
};

std::string_view ToString(DeliveryState state);

struct DeliveryResult {
  DeliveryState state = DeliveryState::kTemporaryFailure;
  std::string provider_message_id;  // the provider's id if it gave one, for delivery reports
  std::string reason;               // human-readable; shown to staff and kept in the dead letter
  // A provider's explicit "retry after" hint (HTTP Retry-After); the retry policy honours it.
  std::optional<std::chrono::seconds> retry_after;

  bool ok() const { return state == DeliveryState::kSent || state == DeliveryState::kDelivered; }

  static DeliveryResult Sent(std::string provider_id, std::string reason = "");
  static DeliveryResult Delivered(std::string provider_id, std::string reason = "");
  static DeliveryResult Temporary(std::string reason);
  static DeliveryResult Permanent(std::string reason);
};

// Which contact field a channel needs to reach a citizen.
// kMobilePhone: a phone number that can take an SMS (libphonenumber: mobile, or a plan where
// mobile and landline look alike; written without a country code, German). A landline has
// kPhone but not kMobilePhone, so the chain skips sms for it.
enum class ContactField { kNone, kEmail, kPhone, kPostalAddress, kMobilePhone };
bool HasContactField(const domain::Contact& contact, ContactField field);
std::string_view ToString(ContactField field);

// HasContactField(kMobilePhone) by phone number text, each distinct text parsed once: for bulk
// work over many citizens who share numbers (a plan commit of 100k offers parses ~84k distinct
// numbers; parsing is most of a route's cost). The same answers as HasContactField. Not
// thread-safe.
class MobileNumbers {
 public:
  bool CanReceiveSms(const std::string& phone);
  std::size_t parsed() const { return known_.size(); }

 private:
  std::unordered_map<std::string, bool> known_;
};

// HasContactField for one contact, asked many times: the phone number is parsed only when
// kMobilePhone is first asked for, and never again (a plan commit asks the chain, the offer's
// hold and the message's reason about the same citizen), and not at all when `numbers`
// (optional) has parsed the same text before. Refers to `contact` and `numbers`, which must
// outlive it. Not thread-safe.
class ContactFields {
 public:
  explicit ContactFields(const domain::Contact& contact, MobileNumbers* numbers = nullptr)
      : contact_(contact), numbers_(numbers) {}
  bool Has(ContactField field) const;
  const domain::Contact& contact() const { return contact_; }

 private:
  const domain::Contact& contact_;
  MobileNumbers* numbers_;
  mutable std::optional<bool> mobile_;
};

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_MESSAGE_H_
