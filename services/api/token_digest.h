// The digest under which a bearer token is written in the server's token file (auth.h):
// lower-case hex SHA-256 (libsodium). Thread-safe. Client-safe (rebook::api_client): rebookctl's
// `hash-token` prints it for administrators.
//
//   TokenDigest("secret") == "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"
#ifndef REBOOK_SERVICES_API_TOKEN_DIGEST_H_
#define REBOOK_SERVICES_API_TOKEN_DIGEST_H_

#include <string>

namespace rebook::api {

// Hex SHA-256 of `token`, as written in token files.
std::string TokenDigest(const std::string& token);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_TOKEN_DIGEST_H_
