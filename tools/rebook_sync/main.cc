// rebook-sync: carries rebookd's change feed into the booking system. Follows ChangeService
// from the cursor kept in its state folder and writes each batch to the sinks of its
// sink-config file (webhook, csv; docs/sync.md), saving the cursor once they have it.
//
//   rebook-sync --server=127.0.0.1:8443 --token-file=/etc/rebook/sync.token
//       --sink-config=/etc/rebook/sync.conf --state-dir=/var/lib/rebook-sync
//   rebook-sync ... --tls --ca-file=/etc/rebook/tls/ca.pem     # rebookd serves TLS
//   rebook-sync ... --once        # hand over everything up to the feed's end, then exit
//
// SIGTERM or SIGINT: hands over what it has read, saves the cursor, exits 0. SIGKILL at any
// moment: the next start repeats at most the batch in flight and loses nothing.
// Exit codes (tools/common/exit_codes.h): 0 stopped or drained; 2 bad flags or configuration;
// else the code of the error that ended it, e.g. 3 for OUT_OF_RANGE (the cursor was pruned
// from the feed), 5 for a token that may not read the feed, 7 for --once when rebookd stays
// unreachable or for a cursor file that cannot be written.
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/log.h"
#include "services/common/process.h"
#include "services/interop/zms_sink.h"
#include "services/sync/builtin_sinks.h"
#include "services/sync/sink_config_file.h"
#include "tools/common/exit_codes.h"
#include "tools/common/global_flags.h"
#include "tools/common/version.h"
#include "tools/common/worker_setup.h"
#include "tools/rebook_sync/sync_worker.h"

namespace {

int Fail(std::string_view what) { return rebook::cli::FailStartup("rebook-sync", what); }

// systemd's StateDirectory= sets $STATE_DIRECTORY; else the packaged default.
std::string DefaultStateDir() {
  const char* dir = std::getenv("STATE_DIRECTORY");
  return dir != nullptr && *dir != '\0' ? std::string(dir) : "/var/lib/rebook-sync";
}

}  // namespace

int main(int argc, char** argv) {
  rebook::ConfigureServerProcess();
  CLI::App app{"rebook-sync: carry rebook's change feed into the booking system"};
  app.set_version_flag("--version", rebook::VersionLine("rebook-sync"));
  rebook::cli::GlobalOptions global{.timeout_s = 30};
  rebook::cli::AddGlobalFlags(app, global,
                              {.token_help = "bearer token of a principal that may read the "
                                             "change feed ($REBOOK_TOKEN)"})
      .timeout->check(CLI::Range(1, 600));
  std::string sink_config = "/etc/rebook/sync.conf", state_dir = DefaultStateDir(), office = "-";
  int max_events = 500, max_wait_ms = 2000, max_backoff_s = 30, idle_timeout_s = 60;
  bool once = false, debug = false;
  app.add_option("--sink-config", sink_config, "sink configuration file ([sink.<name>] sections)")
      ->capture_default_str();
  app.add_option("--state-dir", state_dir,
                 "folder of the cursor file (default $STATE_DIRECTORY, else /var/lib/rebook-sync)")
      ->capture_default_str();
  app.add_option("--office", office, "follow one office's feed; '-': every office the token sees")
      ->capture_default_str();
  app.add_option("--max-events", max_events, "events per batch (1..1000)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--max-wait-ms", max_wait_ms, "longest an event waits for its batch to fill")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  app.add_option("--max-backoff-seconds", max_backoff_s,
                 "longest pause between reconnects or sink retries")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--idle-timeout-seconds", idle_timeout_s,
                 "reopen a watch that sent nothing, not even a heartbeat, for this long")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_flag("--once", once, "hand over everything up to the feed's current end, then exit");
  app.add_flag("--debug-log", debug, "log every batch");
  REBOOK_CLI_PARSE(app, argc, argv);
  if (debug) rebook::SetMinLogLevel(rebook::LogLevel::kDebug);

  const std::atomic<bool>& stop = rebook::cli::StopOnSignals();
  absl::StatusOr<rebook::cli::WorkerConnection> server = rebook::cli::ConnectWorker(global);
  if (!server.ok()) return Fail(std::string(server.status().message()));
  rebook::sync::SinkRegistry registry;
  if (absl::Status s = rebook::sync::RegisterBuiltinSinks(registry); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  if (absl::Status s = registry.Register(std::make_unique<rebook::interop::ZmsSinkFactory>());
      !s.ok()) {
    return Fail(std::string(s.message()));
  }
  auto sinks = rebook::sync::LoadSinks(sink_config, registry, rebook::SystemClock::Instance());
  if (!sinks.ok()) return Fail(std::string(sinks.status().message()));
  std::error_code error;
  if (!std::filesystem::is_directory(state_dir, error)) {
    return Fail(absl::StrCat("--state-dir ", state_dir, " is not a folder"));
  }
  rebook::sync::CursorFile cursor_file((std::filesystem::path(state_dir) / "cursor").string());
  if (absl::StatusOr<std::int64_t> c = cursor_file.Load(); !c.ok()) {
    return Fail(std::string(c.status().message()));
  }

  rebook::sync_worker::SyncWorker worker(std::move(server->channel), server->token, **sinks,
                                         cursor_file,
                                         {.parent = absl::StrCat("offices/", office),
                                          .max_events = max_events,
                                          .max_wait = std::chrono::milliseconds(max_wait_ms),
                                          .max_backoff = std::chrono::seconds(max_backoff_s),
                                          .rpc_timeout = std::chrono::seconds(global.timeout_s),
                                          .idle_timeout = std::chrono::seconds(idle_timeout_s)});
  rebook::Log(rebook::LogLevel::kInfo, "sync_started",
              {{"sinks", absl::StrJoin((*sinks)->names(), ",")},
               {"cursor_file", cursor_file.path()},
               {"once", once}});
  absl::Status status = once ? worker.Drain(stop) : worker.Run(stop);
  const rebook::sync_worker::SyncStats st = worker.stats();
  rebook::Log(status.ok() ? rebook::LogLevel::kInfo : rebook::LogLevel::kError, "sync_stopped",
              {{"events", st.events},
               {"batches", st.batches},
               {"cursor", st.cursor},
               {"sink_failures", st.sink_failures},
               {"reconnects", st.reconnects},
               {"repeats", st.repeats},
               {"error", std::string(status.message())}});
  if (!status.ok()) std::cerr << "rebook-sync: " << status.message() << "\n";
  return rebook::cli::ExitCodeFor(status.code());
}
