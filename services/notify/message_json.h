// JSON form of a rendered message: the file channel's lines, the webhook body's `data`, and
// the letter channel's spool records. One schema, documented in docs/notifications.md.
//
// Times appear twice: UTC (RFC 3339, for machines) and office-local ("YYYY-MM-DDTHH:MM").
#ifndef REBOOK_SERVICES_NOTIFY_MESSAGE_JSON_H_
#define REBOOK_SERVICES_NOTIFY_MESSAGE_JSON_H_

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "services/notify/message.h"

namespace rebook::notify {

struct JsonOptions {
  bool include_contact = true;   // recipient name, e-mail, phone, postal address
  bool include_rendered = true;  // subject, text, html, sms, phone script
};

nlohmann::json MessageToJson(const RenderedMessage& message, const JsonOptions& options = {});
// The inverse of MessageToJson with all options on. InvalidArgument on missing fields.
absl::StatusOr<RenderedMessage> MessageFromJson(const nlohmann::json& json);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_MESSAGE_JSON_H_
