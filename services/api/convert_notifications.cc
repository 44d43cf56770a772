#include "services/api/convert_notifications.h"

#include "absl/strings/str_cat.h"
#include "services/api/convert.h"
#include "services/api/names.h"

namespace rebook::api {

using domain::MessageKind;
using domain::MessageState;

v1::Message::State ToProto(MessageState s) {
  switch (s) {
    case MessageState::kPending:
      return v1::Message::PENDING;
    case MessageState::kLeased:
      return v1::Message::LEASED;
    case MessageState::kSent:
      return v1::Message::SENT;
    case MessageState::kDelivered:
      return v1::Message::DELIVERED;
    case MessageState::kFailed:
      return v1::Message::FAILED;
    case MessageState::kDead:
      return v1::Message::DEAD;
  }
  return v1::Message::STATE_UNSPECIFIED;
}

std::optional<MessageState> FromProto(v1::Message::State s) {
  switch (s) {
    case v1::Message::PENDING:
      return MessageState::kPending;
    case v1::Message::LEASED:
      return MessageState::kLeased;
    case v1::Message::SENT:
      return MessageState::kSent;
    case v1::Message::DELIVERED:
      return MessageState::kDelivered;
    case v1::Message::FAILED:
      return MessageState::kFailed;
    case v1::Message::DEAD:
      return MessageState::kDead;
    default:
      return std::nullopt;
  }
}

v1::MessageKind ToProto(MessageKind k) {
  switch (k) {
    case MessageKind::kOffer:
      return v1::OFFER;
    case MessageKind::kConfirmation:
      return v1::CONFIRMATION;
    case MessageKind::kReminder:
      return v1::REMINDER;
    case MessageKind::kCancellation:
      return v1::CANCELLATION;
  }
  return v1::MESSAGE_KIND_UNSPECIFIED;
}

void ToProto(const domain::OutboxMessage& in,
             std::optional<std::span<const domain::MessageEvent>> history, v1::Message* out) {
  out->Clear();
  out->set_name(MessageResourceName(in.office_id, in.id));
  if (!in.outage_id.empty()) out->set_outage(OutageName(in.outage_id));
  out->set_appointment(AppointmentResourceName(in.office_id, in.appointment_id));
  if (in.offer_version > 0) {
    out->set_offer(OfferResourceName(in.office_id, in.appointment_id, in.offer_version));
  }
  out->set_kind(ToProto(in.kind));
  out->set_channel(in.channel);
  out->set_language(in.language);
  out->set_idempotency_key(in.idempotency_key);
  out->set_state(ToProto(in.state));
  out->set_attempt_count(in.attempts);
  if (in.state == MessageState::kPending || in.state == MessageState::kFailed) {
    *out->mutable_next_attempt_time() = ToTimestamp(in.next_attempt_time);
  }
  if (in.state == MessageState::kLeased && in.lease_expire_time.has_value()) {
    *out->mutable_lease_expire_time() = ToTimestamp(*in.lease_expire_time);
  }
  out->set_last_error(in.last_error);
  out->set_provider_message_id(in.provider_message_id);
  if (!in.fallback_from.empty()) {
    out->set_fallback_from(MessageResourceName(in.office_id, in.fallback_from));
  }
  if (history.has_value()) {
    for (const domain::MessageEvent& e : *history) {
      v1::MessageEvent* pe = out->add_history();
      *pe->mutable_time() = ToTimestamp(e.time);
      pe->set_from_state(v1::Message::State_Name(ToProto(e.from)));
      pe->set_to_state(v1::Message::State_Name(ToProto(e.to)));
      pe->set_reason(e.reason);
      pe->set_worker(e.worker);
    }
  }
  *out->mutable_create_time() = ToTimestamp(in.create_time);
}

}  // namespace rebook::api
