// Conversions between the notification messages of API v1 (rebook/v1/notifications.proto) and
// the outbox's domain types. Same conventions as convert.h: To* overwrite the output message.
#ifndef REBOOK_SERVICES_API_CONVERT_NOTIFICATIONS_H_
#define REBOOK_SERVICES_API_CONVERT_NOTIFICATIONS_H_

#include <optional>
#include <span>
#include <string>

#include "rebook/v1/notifications.pb.h"
#include "services/domain/outreach.h"
#include "services/notify/message.h"
#include "services/rebooking/outbox.h"

namespace rebook::api {

namespace v1 = ::rebook::v1;

v1::Message::State ToProto(domain::MessageState s);
// UNSPECIFIED maps to nullopt.
std::optional<domain::MessageState> FromProto(v1::Message::State s);
v1::MessageKind ToProto(domain::MessageKind k);
// UNSPECIFIED maps to nullopt.
std::optional<notify::DeliveryState> FromProto(v1::ReportDeliveryRequest::Outcome o);

// `offices/{office}/messages/{id}`.
std::string MessageResourceName(const std::string& office_id, const std::string& message_id);

// The message; `history` (oldest first) is filled in when given.
void ToProto(const domain::OutboxMessage& in,
             std::optional<std::span<const domain::MessageEvent>> history, v1::Message* out);

// A leased message with its content. `links` are the offer's response links (empty when the
// server has no public base URL).
void ToProto(const rebooking::OutboxLease& in, const notify::ResponseLinks& links,
             v1::LeasedMessage* out);

void ToProto(const rebooking::DeliveryStats& in, v1::DeliveryStats* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_NOTIFICATIONS_H_
