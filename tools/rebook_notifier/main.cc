// rebook-notifier: a stateless notification worker. Leases due messages from rebookd, renders
// them with the templates, sends them through the configured channels and reports each result.
// Run as many as you like; the server's leases keep them from sending the same message twice.
//
//   rebook-notifier --server=127.0.0.1:8443 --token-file=/etc/rebook/notifier.token
//       --channel-config=/etc/rebook/channels.conf --channels=email,sms
//   rebook-notifier ... --tls --ca-file=/etc/rebook/tls/ca.pem   # rebookd serves TLS
//       --client-cert=/etc/rebook/tls/notifier.pem --client-key=/etc/rebook/tls/notifier.key
//   rebook-notifier ... --once          # drain what is due, then exit (cron, tests, benches)
//
// The channel-config file: services/notify/channel_config_file.h and docs/notifications.md.
// SIGTERM or SIGINT: stops after the message in hand; exit code 0.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/log.h"
#include "services/common/process.h"
#include "services/notify/builtin_channels.h"
#include "tools/common/client_channel.h"
#include "tools/common/exit_codes.h"
#include "tools/common/global_flags.h"
#include "tools/common/version.h"
#include "tools/common/worker_setup.h"
#include "tools/rebook_notifier/notifier.h"

namespace {

int Fail(std::string_view what) { return rebook::cli::FailStartup("rebook-notifier", what); }

// The templates installed beside the binary (<prefix>/bin/../share/rebook/templates, so a
// package unpacked anywhere finds its own), else those of the configured install prefix, else
// the source tree's (a build that was not installed).
std::string DefaultTemplates() {
  std::error_code error;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    std::filesystem::path beside = exe.parent_path().parent_path() / "share/rebook/templates";
    if (std::filesystem::is_directory(beside, error)) return beside.string();
  }
  if (std::filesystem::exists(REBOOK_INSTALLED_TEMPLATES)) return REBOOK_INSTALLED_TEMPLATES;
  return REBOOK_SOURCE_TEMPLATES;
}

}  // namespace

int main(int argc, char** argv) {
  rebook::ConfigureServerProcess();
  CLI::App app{"rebook-notifier: deliver rebook's queued messages to citizens"};
  app.set_version_flag("--version", rebook::VersionLine("rebook-notifier"));
  rebook::cli::GlobalOptions global{.timeout_s = 30};
  rebook::cli::AddGlobalFlags(app, global,
                              {.token_help = "bearer token of a notifier principal ($REBOOK_TOKEN)",
                               .timeout_aliases = "--rpc-timeout-seconds"})
      .timeout->check(CLI::Range(1, 600));
  std::string channels_flag, config_path, templates = DefaultTemplates();
  char host[256] = "worker";
  gethostname(host, sizeof(host) - 1);
  std::string worker = absl::StrCat(host, "-", getpid());
  int batch = 200, parallel = 8, lease_seconds = 60, max_idle = 30, report_linger_ms = 2;
  bool once = false, debug = false, lease_ahead = true;
  app.add_option("--channels", channels_flag,
                 "comma-separated channels to serve, e.g. email,sms (default: every section)");
  app.add_option("--channel-config", config_path, "channel configuration file")->required();
  app.add_option("--templates", templates, "template folder")->capture_default_str();
  app.add_option("--batch", batch, "messages per lease (1..500)")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  app.add_option("--parallel", parallel,
                 "senders per worker; a crash may repeat up to this many messages")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--lease-seconds", lease_seconds, "how long a lease holds messages")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--report-linger-ms", report_linger_ms,
                 "longest wait for the other senders' reports before sending one call without "
                 "them (each sender still waits for its own report before its next send)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app.add_flag("!--no-lease-ahead", lease_ahead,
               "lease the next batch only after the current one is sent (default: while it is)");
  app.add_option("--worker-name", worker, "name in the messages' history")->capture_default_str();
  app.add_flag("--once", once, "drain what is due, then exit");
  app.add_option("--max-idle-seconds", max_idle, "longest pause while nothing is due")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_flag("--debug-log", debug, "log every delivery");
  REBOOK_CLI_PARSE(app, argc, argv);
  if (debug) rebook::SetMinLogLevel(rebook::LogLevel::kDebug);

  const std::atomic<bool>& stop = rebook::cli::StopOnSignals();
  absl::StatusOr<rebook::cli::WorkerConnection> server = rebook::cli::ConnectWorker(global);
  if (!server.ok()) return Fail(std::string(server.status().message()));
  absl::StatusOr<std::string> text = rebook::notify::ReadConfigFile(config_path);
  if (!text.ok()) return Fail(std::string(text.status().message()));
  auto sections = rebook::notify::ParseConfigSections(*text, config_path);
  if (!sections.ok()) return Fail(std::string(sections.status().message()));
  rebook::notify::ChannelRegistry registry;
  if (auto s = rebook::notify::RegisterBuiltinChannels(registry); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  std::vector<std::string> wanted = absl::StrSplit(channels_flag, ',', absl::SkipWhitespace());
  auto channels = rebook::notifier::BuildChannels(*sections, wanted, registry,
                                                  rebook::SystemClock::Instance(), config_path);
  if (!channels.ok()) return Fail(std::string(channels.status().message()));
  // Every template is compiled and rendered once here, so a broken template stops startup.
  auto loaded = rebook::notify::TemplateSet::LoadFromDirectory(templates);
  if (!loaded.ok()) return Fail(std::string(loaded.status().message()));

  std::vector<std::string> served;
  for (const auto& [name, unused] : *channels) served.push_back(name);
  rebook::notifier::Notifier notifier(
      std::move(server->channel), server->token, *std::move(loaded), *std::move(channels),
      {.worker = worker,
       .batch = batch,
       .parallel = parallel,
       .lease = std::chrono::seconds(lease_seconds),
       .lease_ahead = lease_ahead,
       .max_idle = std::chrono::seconds(max_idle),
       .rpc_timeout = std::chrono::seconds(global.timeout_s),
       .report_linger = std::chrono::milliseconds(report_linger_ms)});
  rebook::Log(rebook::LogLevel::kInfo, "notifier_started",
              {{"worker", worker}, {"channels", absl::StrJoin(served, ",")}, {"once", once}});
  absl::Status status = once ? notifier.Drain(stop).status() : notifier.Run(stop);
  const rebook::notifier::NotifierStats st = notifier.stats();
  rebook::Log(status.ok() ? rebook::LogLevel::kInfo : rebook::LogLevel::kError, "notifier_stopped",
              {{"worker", worker},
               {"leased", st.leased},
               {"sent", st.sent},
               {"failed", st.failed},
               {"dead", st.dead},
               {"lost_leases", st.lost_leases},
               {"report_calls", st.report_calls},
               {"error", std::string(status.message())}});
  return status.ok() ? 0 : 1;
}
