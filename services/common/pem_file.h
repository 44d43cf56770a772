// Reading a PEM file named by a flag (certificates and keys of rebookd and its clients), with
// errors that name the flag and the file:
//
//   REBOOK_ASSIGN_OR_RETURN(std::string cert,
//                           ReadPemFile(path, "--tls_cert", PemBlock::kCertificate));
//
// NOT_FOUND if the file cannot be read; INVALID_ARGUMENT if it holds no PEM block of the kind
// asked for. The content is not parsed further: the TLS library does that when it uses it.
#ifndef REBOOK_SERVICES_COMMON_PEM_FILE_H_
#define REBOOK_SERVICES_COMMON_PEM_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rebook {

enum class PemBlock {
  kCertificate,  // -----BEGIN CERTIFICATE-----
  kPrivateKey,   // -----BEGIN PRIVATE KEY----- or -----BEGIN <ALGORITHM> PRIVATE KEY-----
};

absl::StatusOr<std::string> ReadPemFile(const std::string& path, absl::string_view flag,
                                        PemBlock block);

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_PEM_FILE_H_
