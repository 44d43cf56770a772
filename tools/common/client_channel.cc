#include "tools/common/client_channel.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "services/common/pem_file.h"

namespace rebook::cli {

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const GlobalOptions& options) {
  if (!options.UsesTls()) return grpc::InsecureChannelCredentials();
  if (options.client_cert.empty() != options.client_key.empty()) {
    return absl::InvalidArgumentError("--client-cert and --client-key must be given together");
  }
  grpc::SslCredentialsOptions ssl;  // empty roots: gRPC's default roots (the system's)
  if (!options.ca_file.empty()) {
    absl::StatusOr<std::string> ca =
        ReadPemFile(options.ca_file, "--ca-file", PemBlock::kCertificate);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  if (!options.client_cert.empty()) {
    absl::StatusOr<std::string> cert =
        ReadPemFile(options.client_cert, "--client-cert", PemBlock::kCertificate);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key =
        ReadPemFile(options.client_key, "--client-key", PemBlock::kPrivateKey);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(const GlobalOptions& options,
                                                           const grpc::ChannelArguments& args) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentialsFor(options);
  if (!credentials.ok()) return credentials.status();
  return grpc::CreateCustomChannel(options.server, *credentials, args);
}

std::string UnavailableHint(const GlobalOptions& options) {
  if (!options.UsesTls()) {
    return absl::StrCat("is it running, is --server ", options.server,
                        " right, and does it serve plaintext (else pass --tls and --ca-file)?");
  }
  return absl::StrCat("is it running, is --server ", options.server,
                      " right, does it serve TLS with a certificate for that name signed by ",
                      options.ca_file.empty() ? "a system CA (else pass --ca-file)" : "--ca-file",
                      ", and does it require a client certificate (--client-cert)?");
}

}  // namespace rebook::cli
