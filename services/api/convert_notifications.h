// Conversions between the notification messages of API v1 (rebook/v1/notifications.proto) and
// the outbox's domain types. Same conventions as convert.h: To* overwrite the output message.
// Leases, delivery reports and statistics are the server's: convert_rebooking.h.
#ifndef REBOOK_SERVICES_API_CONVERT_NOTIFICATIONS_H_
#define REBOOK_SERVICES_API_CONVERT_NOTIFICATIONS_H_

#include <optional>
#include <span>
#include <string>

#include "rebook/v1/notifications.pb.h"
#include "services/domain/outreach.h"

namespace rebook::api {

namespace v1 = ::rebook::v1;

v1::Message::State ToProto(domain::MessageState s);
// UNSPECIFIED maps to nullopt.
std::optional<domain::MessageState> FromProto(v1::Message::State s);
v1::MessageKind ToProto(domain::MessageKind k);

// The message; `history` (oldest first) is filled in when given.
void ToProto(const domain::OutboxMessage& in,
             std::optional<std::span<const domain::MessageEvent>> history, v1::Message* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_NOTIFICATIONS_H_
