// Unguessable tokens for citizens' response links and the staff's calendar feeds.
#ifndef REBOOK_SERVICES_COMMON_TOKENS_H_
#define REBOOK_SERVICES_COMMON_TOKENS_H_

#include <string>

namespace rebook {

// 256 random bits from the operating system's CSPRNG (libsodium), as 43 characters of
// unpadded base64url: safe in URLs and QR codes.
std::string NewResponseToken();

// The token of an office's calendar feed URL: HMAC-SHA-256 of the office id under the server's
// feed secret, as 43 characters of unpadded base64url. Unguessable without the secret, the same
// on every start, and changed for all offices by changing the secret.
std::string CalendarFeedToken(const std::string& secret, const std::string& office_id);

// Constant-time comparison, for checking a presented token against a stored one.
bool TokensEqual(const std::string& a, const std::string& b);

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_TOKENS_H_
