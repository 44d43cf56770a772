// The connection of rebookctl to rebookd, and how answers are shown.
#ifndef REBOOK_TOOLS_REBOOKCTL_CLIENT_H_
#define REBOOK_TOOLS_REBOOKCTL_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <functional>
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

  // A context with the bearer token and a deadline: `sized_s` seconds from now when the command
  // sized it to its work (see SizedTimeout), else --timeout's default. A --timeout given on the
  // command line always wins.
  std::unique_ptr<grpc::ClientContext> Context(int sized_s = 0) const;

  // Runs `call` (one RPC of a write that carries a request id) with a fresh Context(sized_s);
  // after UNAVAILABLE (rebookd not reached, or the connection broke before the answer came)
  // runs it once more with the same request. rebookd applies a request id once and answers a
  // repeat with the first answer, so a user never sees "failed" for a write that happened.
  grpc::Status CallWithRetry(int sized_s,
                             const std::function<grpc::Status(grpc::ClientContext*)>& call) const;
  // The same for a write whose `request_id` is known, which rebookd then tracks as an
  // operation (OperationService): while `call` runs, its progress is shown (operation_watch.h,
  // `label` names it); after UNAVAILABLE rebookd is asked whether the first attempt is still
  // running (then it is awaited, within the deadline) before the request is sent again; if
  // that fails too, ReportError tells the user that the write may have happened, with the
  // request id and how to check.
  grpc::Status CallWithRetry(int sized_s, const std::string& request_id, const std::string& label,
                             const std::function<grpc::Status(grpc::ClientContext*)>& call) const;
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const GlobalOptions& options() const { return options_; }

 private:
  GlobalOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Tells Client::Context whether --timeout was given (its option, as AddGlobalFlags added it).
void SetTimeoutFlag(const CLI::Option* timeout);

// A deadline sized to a write of `records` rows: a minute for the round trip and the server's
// fixed costs, plus a second per `records_per_second` rows (a few times slower than a loaded
// 2-core server). Operations whose time is known add it (plan create: the solver's limit).
int SizedTimeout(std::int64_t records, std::int64_t records_per_second);

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
