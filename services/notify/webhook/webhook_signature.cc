#include "services/notify/webhook/webhook_signature.h"

#include <sodium.h>

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/notify/base64.h"

namespace rebook::notify {

absl::StatusOr<std::string> ParseWebhookSecret(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (!absl::StartsWith(absl::string_view(secret.data(), secret.size()), "whsec_")) {
    return absl::InvalidArgumentError("webhook secret must start with \"whsec_\"");
  }
  const std::string_view b64 = secret.substr(kPrefix.size());
  std::vector<unsigned char> key(b64.size());
  size_t key_len = 0;
  if (sodium_base642bin(key.data(), key.size(), b64.data(), b64.size(), nullptr, &key_len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return absl::InvalidArgumentError("webhook secret: invalid base64 after \"whsec_\"");
  }
  if (key_len < 16 || key_len > 64) {
    return absl::InvalidArgumentError("webhook secret: key must be 16 to 64 bytes");
  }
  return std::string(reinterpret_cast<const char*>(key.data()), key_len);
}

std::string SignWebhook(std::string_view key, std::string_view id, std::int64_t timestamp,
                        std::string_view body) {
  const std::string prefix =
      absl::StrCat(absl::string_view(id.data(), id.size()), ".", timestamp, ".");
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return absl::StrCat(
      "v1,", Base64Encode(std::string_view(reinterpret_cast<const char*>(mac), sizeof(mac))));
}

}  // namespace rebook::notify
