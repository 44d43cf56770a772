// The gRPC channel of rebookd's command-line clients (rebookctl, rebook-batch, rebook-notifier,
// rebook-simulate), built from their global flags (global_flags.h): plaintext by default; TLS
// with --tls, verifying rebookd's certificate against --ca-file (else the system's roots) and
// presenting --client-cert/--client-key when rebookd requires client certificates.
//
//   REBOOK_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, OpenChannel(global));
//
// Errors come before any connection: NOT_FOUND naming a file that cannot be read,
// INVALID_ARGUMENT for a file without the expected PEM block or a client certificate without
// its key (or the reverse). Handshake failures (wrong CA, missing client certificate) surface
// as UNAVAILABLE on the first call; UnavailableHint says what to check.
#ifndef REBOOK_TOOLS_COMMON_CLIENT_CHANNEL_H_
#define REBOOK_TOOLS_COMMON_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tools/common/global_flags.h"

namespace rebook::cli {

// Insecure credentials unless options.UsesTls(); else TLS credentials from the PEM files.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const GlobalOptions& options);

// A channel to options.server with those credentials and `args`.
absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(const GlobalOptions& options,
                                                           const grpc::ChannelArguments& args = {});

// What to check when rebookd cannot be reached, for an error message: the address, and the TLS
// flags (a plaintext client of a TLS server and a TLS client of a plaintext server both see
// UNAVAILABLE, as do a wrong CA and a missing client certificate).
std::string UnavailableHint(const GlobalOptions& options);

}  // namespace rebook::cli

#endif  // REBOOK_TOOLS_COMMON_CLIENT_CHANNEL_H_
