#include "tools/common/worker_setup.h"

#include <csignal>
#include <iostream>

#include "services/common/log.h"
#include "services/common/status_macros.h"
#include "tools/common/client_channel.h"
#include "tools/common/exit_codes.h"

namespace rebook::cli {
namespace {

std::atomic<bool> g_stop{false};

void OnStopSignal(int) { g_stop.store(true); }

}  // namespace

const std::atomic<bool>& StopOnSignals() {
  static const bool installed = [] {
    struct sigaction sa = {};
    sa.sa_handler = OnStopSignal;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    return true;
  }();
  (void)installed;
  return g_stop;
}

absl::StatusOr<WorkerConnection> ConnectWorker(const GlobalOptions& options) {
  WorkerConnection connection;
  REBOOK_ASSIGN_OR_RETURN(connection.token, ResolveToken(options));
  REBOOK_ASSIGN_OR_RETURN(connection.channel, OpenChannel(options));
  return connection;
}

int FailStartup(std::string_view tool, std::string_view what) {
  Log(LogLevel::kError, "startup_failed", {{"error", std::string(what)}});
  std::cerr << tool << ": " << what << "\n";
  return kExitUsage;
}

}  // namespace rebook::cli
