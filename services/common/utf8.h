// UTF-8 validation, for text that enters or leaves as bytes: CSV fields, profiles, templates,
// JSON lines. Hand-written: neither Debian 12's Abseil nor its protobuf exports a validator.
//
//   if (std::size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) { ... }
#ifndef REBOOK_SERVICES_COMMON_UTF8_H_
#define REBOOK_SERVICES_COMMON_UTF8_H_

#include <cstddef>
#include <string_view>

namespace rebook {

// The offset of the first byte of `s` that does not start or continue a well-formed UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t FindInvalidUtf8(std::string_view s);

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_UTF8_H_
