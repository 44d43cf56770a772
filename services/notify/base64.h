// Standard base64 with padding (RFC 4648 section 4), via libsodium.
#ifndef REBOOK_SERVICES_NOTIFY_BASE64_H_
#define REBOOK_SERVICES_NOTIFY_BASE64_H_

#include <string>
#include <string_view>

namespace rebook::notify {

std::string Base64Encode(std::string_view bytes);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_BASE64_H_
