// TLS of rebookd's gRPC listener, and the rule that keeps bearer tokens off plain networks.
//
// A listener serves TLS when ServerTlsOptions names a certificate chain and its key (PEM files);
// with a client CA it also requires every caller to present a certificate signed by that CA
// (mutual TLS). Bearer tokens must not cross a network in clear text, so a plaintext listener
// is allowed only on a loopback address (127.0.0.0/8, ::1, localhost, unix sockets), where a
// TLS-terminating proxy on the same host forwards to it, unless the operator explicitly allows
// it (e.g. a private link that is encrypted below gRPC):
//
//   ServerTlsOptions tls{.cert_file = "/etc/rebook/tls/server.pem",
//                        .key_file = "/etc/rebook/tls/server.key"};
//   REBOOK_RETURN_IF_ERROR(CheckListenSecurity("0.0.0.0:8443", tls, /*allow_insecure=*/false));
//   REBOOK_ASSIGN_OR_RETURN(auto credentials, MakeServerCredentials(tls));
//
// The files are read once, at start; rotating a certificate means restarting rebookd (a
// graceful stop drains calls in flight).
#ifndef REBOOK_SERVICES_API_SERVER_TLS_H_
#define REBOOK_SERVICES_API_SERVER_TLS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace rebook::api {

struct ServerTlsOptions {
  // PEM certificate chain (leaf first) and its private key. Both empty: plaintext.
  std::string cert_file;
  std::string key_file;
  // PEM CA certificates that sign client certificates. Non-empty: every caller must present a
  // valid client certificate (mutual TLS). Needs cert_file and key_file.
  std::string client_ca_file;

  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

// True if the host part of a gRPC listen address ("host:port", "[v6]:port", "unix:path")
// reaches only this machine: IPv4 127.0.0.0/8, ::1, ::ffff:127.x.y.z, "localhost", or a unix
// socket. Wildcards (0.0.0.0, [::]), other addresses and other host names are not loopback.
bool IsLoopbackListenAddress(std::string_view address);

// OK if `address` may be served with these TLS options: TLS, a loopback address, or
// `allow_insecure` set. Otherwise FAILED_PRECONDITION naming the address and the flags that fix
// it. Also INVALID_ARGUMENT for a certificate without key (or the reverse), or a client CA
// without a certificate.
absl::Status CheckListenSecurity(std::string_view address, const ServerTlsOptions& tls,
                                 bool allow_insecure);

// Plaintext credentials if !tls.enabled(), else TLS credentials built from the PEM files.
// NOT_FOUND naming a file that cannot be read; INVALID_ARGUMENT for a file that holds no PEM
// block of the expected kind (certificate, private key).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const ServerTlsOptions& tls);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_SERVER_TLS_H_
