#include "services/common/tokens.h"

#include <sodium.h>

#include <cstdlib>

namespace rebook {

std::string NewResponseToken() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no randomness: never hand out guessable tokens
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  char out[sodium_base64_ENCODED_LEN(sizeof(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof(out), bytes, sizeof(bytes),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string CalendarFeedToken(const std::string& secret, const std::string& office_id) {
  const std::string message = "rebook calendar feed\n" + office_id;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char out[sodium_base64_ENCODED_LEN(sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof(out), mac, sizeof(mac), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

bool TokensEqual(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace rebook
