#include "services/notify/message.h"

#include <sodium.h>

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/domain/local_time.h"
#include "services/notify/phone_number/phone_number.h"

namespace rebook::notify {
namespace {

bool IsTokenChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '-'; }

}  // namespace

std::string_view ToString(MessageKind kind) {
  switch (kind) {
    case MessageKind::kOffer:
      return "offer";
    case MessageKind::kConfirmation:
      return "confirmation";
    case MessageKind::kReminder:
      return "reminder";
    case MessageKind::kCancellation:
      return "cancellation";
  }
  return "offer";
}

std::optional<MessageKind> ParseMessageKind(std::string_view s) {
  for (MessageKind k : kAllMessageKinds) {
    if (ToString(k) == s) return k;
  }
  return std::nullopt;
}

std::string IdempotencyKey::ToString() const {
  return absl::StrCat(outage_id, "/", appointment_id, "/", offer_version, "/", channel);
}

std::string IdempotencyKey::Digest() const {
  const std::string text = ToString();
  std::array<unsigned char, crypto_hash_sha256_BYTES> hash;
  crypto_hash_sha256(hash.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::array<char, 2 * 16 + 1> hex;
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), 16);
  return std::string(hex.data(), 32);
}

absl::StatusOr<ResponseLinks> BuildResponseLinks(std::string_view base_url,
                                                 std::string_view token) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  const bool http = absl::StartsWith(base, "https://") || absl::StartsWith(base, "http://");
  const size_t host_start = base.find("://") + 3;
  if (!http || base.size() <= host_start || base.find_first_of("?#") != std::string::npos ||
      base.find_first_of(" \t\r\n\"<>") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("public base URL \"", base, "\" is not an absolute http(s) URL"));
  }
  if (token.size() < 8 || token.size() > 128) {
    return absl::InvalidArgumentError("response token must be 8 to 128 characters");
  }
  for (char c : token) {
    if (!IsTokenChar(c)) {
      return absl::InvalidArgumentError("response token must be [A-Za-z0-9_-]");
    }
  }
  const std::string respond = absl::StrCat(base, "/r/", std::string(token));
  return ResponseLinks{.respond = respond,
                       .accept = absl::StrCat(respond, "/accept"),
                       .decline = absl::StrCat(respond, "/decline"),
                       .other_time = absl::StrCat(respond, "/other")};
}

absl::Status ValidateMessage(const OutgoingMessage& m) {
  if (!domain::IsValidId(m.key.outage_id)) {
    return absl::InvalidArgumentError("message key: invalid outage id");
  }
  if (!domain::IsValidId(m.key.appointment_id)) {
    return absl::InvalidArgumentError("message key: invalid appointment id");
  }
  if (!domain::IsValidId(m.key.channel)) {
    return absl::InvalidArgumentError("message key: invalid channel name");
  }
  if (m.key.offer_version < 0) {
    return absl::InvalidArgumentError("message key: negative offer version");
  }
  if (m.appointment.end <= m.appointment.start) {
    return absl::InvalidArgumentError("appointment: end must be after start");
  }
  if (m.office.name.empty()) return absl::InvalidArgumentError("office: name is empty");
  if (absl::Status s = domain::ValidateTimeZone(m.office.time_zone); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("office: ", std::string(s.message())));
  }
  if (m.kind == MessageKind::kOffer) {
    if (m.links.accept.empty() || m.links.decline.empty() || m.links.other_time.empty() ||
        m.links.respond.empty()) {
      return absl::InvalidArgumentError("offer: response links are missing");
    }
    if (m.response_token.empty()) return absl::InvalidArgumentError("offer: no response token");
  }
  return absl::OkStatus();
}

std::string_view ToString(DeliveryState state) {
  switch (state) {
    case DeliveryState::kSent:
      return "sent";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kTemporaryFailure:
      return "temporary_failure";
    case DeliveryState::kPermanentFailure:
      return "permanent_failure";
  }
  return "temporary_failure";
}

DeliveryResult DeliveryResult::Sent(std::string provider_id, std::string reason) {
  return {DeliveryState::kSent, std::move(provider_id), std::move(reason), std::nullopt};
}
DeliveryResult DeliveryResult::Delivered(std::string provider_id, std::string reason) {
  return {DeliveryState::kDelivered, std::move(provider_id), std::move(reason), std::nullopt};
}
DeliveryResult DeliveryResult::Temporary(std::string reason) {
  return {DeliveryState::kTemporaryFailure, "", std::move(reason), std::nullopt};
}
DeliveryResult DeliveryResult::Permanent(std::string reason) {
  return {DeliveryState::kPermanentFailure, "", std::move(reason), std::nullopt};
}

bool HasContactField(const domain::Contact& contact, ContactField field) {
  auto present = [](const std::string& s) { return !absl::StripAsciiWhitespace(s).empty(); };
  switch (field) {
    case ContactField::kNone:
      return true;
    case ContactField::kEmail:
      return present(contact.email) && contact.email.find('@') != std::string::npos;
    case ContactField::kPhone:
      return present(contact.phone);
    case ContactField::kMobilePhone: {
      return present(contact.phone) && CanReceiveSms(contact.phone, "DE");
    }
    case ContactField::kPostalAddress:
      return present(contact.postal_address);
  }
  return false;
}

bool MobileNumbers::CanReceiveSms(const std::string& phone) {
  auto [it, inserted] = known_.try_emplace(phone, false);
  if (inserted) {
    domain::Contact contact;
    contact.phone = phone;
    it->second = HasContactField(contact, ContactField::kMobilePhone);
  }
  return it->second;
}

bool ContactFields::Has(ContactField field) const {
  if (field != ContactField::kMobilePhone) return HasContactField(contact_, field);
  if (!mobile_.has_value()) {
    mobile_ = numbers_ != nullptr ? numbers_->CanReceiveSms(contact_.phone)
                                  : HasContactField(contact_, field);
  }
  return *mobile_;
}

std::string_view ToString(ContactField field) {
  switch (field) {
    case ContactField::kNone:
      return "none";
    case ContactField::kEmail:
      return "email";
    case ContactField::kPhone:
      return "phone";
    case ContactField::kMobilePhone:
      return "mobile_phone";
    case ContactField::kPostalAddress:
      return "postal_address";
  }
  return "none";
}

}  // namespace rebook::notify
