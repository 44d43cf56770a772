// The start of rebook's long-running workers (rebook-notifier, rebook-sync), in one place:
//
//   const std::atomic<bool>& stop = rebook::cli::StopOnSignals();   // SIGTERM, SIGINT
//   absl::StatusOr<WorkerConnection> server = ConnectWorker(global);
//   if (!server.ok()) return FailStartup("rebook-sync", server.status().message());
//   ... worker.Run(stop) ...
#ifndef REBOOK_TOOLS_COMMON_WORKER_SETUP_H_
#define REBOOK_TOOLS_COMMON_WORKER_SETUP_H_

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "tools/common/global_flags.h"

namespace rebook::cli {

// A flag that SIGTERM and SIGINT set from now on (the worker finishes what it holds and exits).
// The handlers are installed by the first call; later calls return the same flag.
const std::atomic<bool>& StopOnSignals();

// The worker's way to rebookd: its bearer token (ResolveToken) and channel (OpenChannel).
struct WorkerConnection {
  std::shared_ptr<grpc::Channel> channel;
  std::string token;
};
absl::StatusOr<WorkerConnection> ConnectWorker(const GlobalOptions& options);

// Logs "startup_failed" with `what`, prints "<tool>: <what>" to stderr, returns kExitUsage (2):
// the configuration is wrong and restarting will not help.
int FailStartup(std::string_view tool, std::string_view what);

}  // namespace rebook::cli

#endif  // REBOOK_TOOLS_COMMON_WORKER_SETUP_H_
