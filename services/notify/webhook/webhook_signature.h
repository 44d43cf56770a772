// Standard Webhooks signatures (https://www.standardwebhooks.com), with libsodium.
//
//   REBOOK_ASSIGN_OR_RETURN(std::string key,
//   ParseWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")); std::string sig =
//   SignWebhook(key, "msg_id", 1674087231, body);  // "v1,K5oZfzN95Z9UVu1..."
//
// The signed content is "{webhook-id}.{webhook-timestamp}.{body}", the MAC HMAC-SHA256, the
// encoding standard base64 with padding.
#ifndef REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_SIGNATURE_H_
#define REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_SIGNATURE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace rebook::notify {

// "whsec_<base64>" -> the raw key. InvalidArgument without the prefix, for bad base64, or
// for keys shorter than 16 or longer than 64 bytes.
absl::StatusOr<std::string> ParseWebhookSecret(std::string_view secret);

// "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>".
std::string SignWebhook(std::string_view key, std::string_view id, std::int64_t timestamp,
                        std::string_view body);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_WEBHOOK_WEBHOOK_SIGNATURE_H_
