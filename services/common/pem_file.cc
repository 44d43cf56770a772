#include "services/common/pem_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace rebook {

absl::StatusOr<std::string> ReadPemFile(const std::string& path, absl::string_view flag,
                                        PemBlock block) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", flag, " file ", path));
  std::ostringstream text;
  text << in.rdbuf();
  std::string pem = text.str();
  const bool found =
      block == PemBlock::kCertificate
          ? absl::StrContains(pem, "-----BEGIN CERTIFICATE-----")
          : absl::StrContains(pem, "-----BEGIN ") && absl::StrContains(pem, "PRIVATE KEY-----");
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " file ", path, " holds no PEM ",
                     block == PemBlock::kCertificate ? "certificate" : "private key"));
  }
  return pem;
}

}  // namespace rebook
