// Turning a message leased over gRPC into what the notify library renders and sends.
#ifndef REBOOK_TOOLS_REBOOK_NOTIFIER_LEASED_MESSAGE_H_
#define REBOOK_TOOLS_REBOOK_NOTIFIER_LEASED_MESSAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "rebook/v1/notifications.pb.h"
#include "services/notify/message.h"

namespace rebook::notifier {

// The `channel` part of the notify idempotency key. notify::IdempotencyKey has no message kind,
// so an offer and, later, its confirmation on the same channel would share a key, and with it
// the Message-ID, webhook-id, letter file and phone-list row (receivers would drop the second
// as a repeat). Offers keep the plain channel name (the documented key); other kinds append
// theirs: "email", "email.confirmation", "letter.cancellation".
std::string NotifyKeyChannel(const std::string& channel, rebook::v1::MessageKind kind);

// The outgoing message for a leased one. INVALID_ARGUMENT when names or the kind cannot be
// read; the content is checked later by notify::ValidateMessage (in TemplateSet::Render).
absl::StatusOr<notify::OutgoingMessage> ToOutgoingMessage(const rebook::v1::LeasedMessage& leased);

}  // namespace rebook::notifier

#endif  // REBOOK_TOOLS_REBOOK_NOTIFIER_LEASED_MESSAGE_H_
