// The file channel's line, written without building a JSON document.
//
// AppendMessageJsonText appends exactly the bytes of MessageToJson(message, options).dump():
// members in nlohmann's order (its objects are std::maps, so keys sort bytewise), strings with
// its escapes (", \, \b, \f, \n, \r, \t, other bytes below 0x20 as \u00xx, everything else as
// it is), integers in decimal. A region drain writes 100,000 such lines, and building and
// serialising the document was a fifth of a worker's CPU (docs/notifications.md).
//
// InvalidArgument, with `out` unchanged, if a string is not valid UTF-8: where nlohmann's dump
// would throw. message_json_text_test.cc compares the two on every option and optional field
// and on random bytes.
#ifndef REBOOK_SERVICES_NOTIFY_MESSAGE_JSON_TEXT_H_
#define REBOOK_SERVICES_NOTIFY_MESSAGE_JSON_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "services/notify/message.h"
#include "services/notify/message_json.h"

namespace rebook::notify {

absl::Status AppendMessageJsonText(const RenderedMessage& message, const JsonOptions& options,
                                   std::string& out);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_MESSAGE_JSON_TEXT_H_
