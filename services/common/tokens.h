// Unguessable tokens for citizens' response links.
#ifndef REBOOK_SERVICES_COMMON_TOKENS_H_
#define REBOOK_SERVICES_COMMON_TOKENS_H_

#include <string>

namespace rebook {

// 256 random bits from the operating system's CSPRNG (libsodium), as 43 characters of
// unpadded base64url: safe in URLs and QR codes.
std::string NewResponseToken();

// Constant-time comparison, for checking a presented token against a stored one.
bool TokensEqual(const std::string& a, const std::string& b);

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_TOKENS_H_
