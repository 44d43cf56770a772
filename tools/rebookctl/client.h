// The connection of rebookctl to rebookd, and how answers are shown.
#ifndef REBOOK_TOOLS_REBOOKCTL_CLIENT_H_
#define REBOOK_TOOLS_REBOOKCTL_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "tools/common/global_flags.h"

namespace rebook::ctl {

// The global flags (tools/common/global_flags.h).
using GlobalOptions = cli::GlobalOptions;

class Client {
 public:
  // Resolves the token (flag, file, environment) and opens a channel, plaintext or TLS
  // (tools/common/client_channel.h); errors name the flag or file at fault.
  static absl::StatusOr<Client> Connect(const GlobalOptions& options);

  // A context with the bearer token and the deadline set.
  std::unique_ptr<grpc::ClientContext> Context(int timeout_s = 0) const;
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const GlobalOptions& options() const { return options_; }

 private:
  GlobalOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Prints a failed call to stderr: code, message and every field violation; for UNAVAILABLE,
// what to check (address, TLS flags) as set up by the last Connect. Returns the exit code for
// its status code (tools/common/exit_codes.h).
int ReportError(const grpc::Status& status);
int ReportError(const absl::Status& status);

// Prints `message` as JSON (proto field names) on stdout.
void PrintJson(const google::protobuf::Message& message);

// A new random request id (a UUID v4).
std::string NewRequestId();

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_CLIENT_H_
