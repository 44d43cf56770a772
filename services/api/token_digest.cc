#include "services/api/token_digest.h"

#include <sodium.h>

namespace rebook::api {

std::string TokenDigest(const std::string& token) {
  static const bool initialised = sodium_init() >= 0;
  (void)initialised;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return hex;
}

}  // namespace rebook::api
