// rebookd: the rebook server. Wires storage, clock, tokens and the gRPC services together.
//
//   rebookd --db=/var/lib/rebook/rebook.db --tokens=/etc/rebook/tokens --listen=0.0.0.0:8443
//       --tls_cert=/etc/rebook/tls/rebookd.pem --tls_key=/etc/rebook/tls/rebookd.key
//   rebookd --flagfile=/etc/rebook/rebookd.flags
//   rebookd --db=/var/lib/rebook/rebook.db --restore=/backups/rebook.db   (then exits)
//   rebookd --flagfile=/etc/rebook/rebookd.flags --print_calendar_feed_url=HAL   (then exits)
//
// Under systemd (Type=notify, deploy/rebookd.service) it sends READY=1 once it serves and
// STOPPING=1 when a stop signal arrives (sd_notify; a no-op without $NOTIFY_SOCKET).
// Stops gracefully on SIGTERM or SIGINT: health turns NOT_SERVING, in-flight calls drain.
// Reloads the --tokens file on SIGHUP: a file that does not parse is refused with a log line
// and the old tokens stay; calls in flight are not affected (docs/security.md).
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/api/auth.h"
#include "services/api/server.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/common/log.h"
#include "services/common/process.h"
#include "services/common/rate_limiter.h"
#include "services/domain/local_time.h"
#include "services/metrics/registry.h"
#include "services/notify/channel_config_file.h"
#include "services/rebooking/change_feed.h"
#include "services/rebooking/privacy_janitor.h"
#include "services/web/calendar_feed.h"
#include "services/web/metrics_web_server.h"
#include "services/web/offer_web_server.h"
#include "services/web/store_metrics.h"
#include "storage/sqlite/sqlite_restore.h"
#include "tools/common/version.h"
#include "tools/rebookd/store_backend.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8443", "host:port to serve gRPC on; port 0 picks one");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain of the gRPC listener; with --tls_key, gRPC is served over TLS");
ABSL_FLAG(std::string, tls_key, "",
          "PEM private key of --tls_cert (keep it readable by rebookd only)");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificates; if set, every gRPC caller must present a client certificate "
          "signed by one of them (mutual TLS)");
ABSL_FLAG(bool, allow_insecure_listen, false,
          "serve plaintext gRPC on a non-loopback --listen address (bearer tokens then cross the "
          "network unencrypted); without it rebookd refuses to start there without TLS");
ABSL_FLAG(std::string, db, "rebook.db",
          "SQLite database file (created if missing), or a PostgreSQL connection URI "
          "postgresql://user@host:port/database (docs/deployment-postgres.md)");
ABSL_FLAG(std::string, tokens, "",
          "token file: one 'name role offices sha256:<digest> [expires=<RFC 3339 time>]' per "
          "line; reloaded on SIGHUP");
ABSL_FLAG(bool, reflection, false, "serve gRPC server reflection (for grpcurl-style tools)");
ABSL_FLAG(int, max_message_mb, 16, "largest gRPC message accepted or sent, in MiB");
ABSL_FLAG(int, shutdown_grace_s, 20, "seconds in-flight calls may take to finish on shutdown");
ABSL_FLAG(int, storage_wait_s, 30, "longest a request waits for a busy database, in seconds");
ABSL_FLAG(int, min_pollers, 2, "gRPC threads always waiting for calls");
ABSL_FLAG(int, max_pollers, 16,
          "gRPC threads kept waiting for calls; more concurrent calls get short-lived threads");
ABSL_FLAG(int, read_connections, 4, "SQLite connections for concurrent reads");
ABSL_FLAG(int, pg_connections, 8, "PostgreSQL connections (transactions at once) of this process");
ABSL_FLAG(bool, pg_serialize_writes, true,
          "PostgreSQL: queue the write transactions of all replicas on one advisory lock (the "
          "default); false lets them run at once under SERIALIZABLE alone, retrying conflicts "
          "(docs/deployment-postgres.md)");
ABSL_FLAG(bool, pg_refresh_statistics, true,
          "PostgreSQL: analyze a table right after a write that changed a tenth of it (at least "
          "1,000 rows) instead of waiting for autovacuum (docs/deployment-postgres.md)");
ABSL_FLAG(std::string, port_file, "", "write the bound port to this file once serving");
ABSL_FLAG(bool, debug_log, false, "log at debug level");
ABSL_FLAG(std::string, outbox_policy, "",
          "outbox config file: [outbox] chain, [channel.<name>] retry_* and send limits "
          "(rate_per_second, burst, office_daily_quota); see docs/notifications.md");
ABSL_FLAG(
    bool, durable_reports, false,
    "fsync every lease and delivery report; by default a power cut may undo the last ones, and "
    "those messages are sent again under the same idempotency key");
ABSL_FLAG(int, min_lease_s, 5, "shortest lease a notifier may ask for, in seconds");
ABSL_FLAG(std::string, public_base_url, "",
          "absolute http(s) URL the citizens' response links start with (maps to --http_listen "
          "behind a proxy); required for sending messages");
ABSL_FLAG(std::string, http_listen, "",
          "IPv4 host:port of the citizens' response pages (the links in messages); empty: off");
ABSL_FLAG(std::string, http_tls_cert, "",
          "PEM certificate chain of --http_listen; with --http_tls_key it serves HTTPS only "
          "(may name the --tls_cert file); empty: plain HTTP for a reverse proxy on this host");
ABSL_FLAG(std::string, http_tls_key, "", "PEM private key of --http_tls_cert");
ABSL_FLAG(std::string, http_port_file, "", "write the bound HTTP port to this file");
ABSL_FLAG(std::string, public_page_config, "",
          "file with the citizens' pages' Impressum and privacy links and each office's contact "
          "(services/web/public_page_config.h); empty: the office's address only");
ABSL_FLAG(double, public_rate_per_s, 10,
          "offer links and public offer RPCs: calls per second per client address (any token); "
          "0: no limit");
ABSL_FLAG(double, public_burst, 50, "calls a client address may make at once (any token)");
ABSL_FLAG(double, public_failures_per_min, 12,
          "unknown offer tokens per minute per client address; over it, calls are refused with "
          "RESOURCE_EXHAUSTED / HTTP 429 and Retry-After before the lookup; 0: no limit");
ABSL_FLAG(double, public_failure_burst, 10,
          "unknown offer tokens a client address may try at once");
ABSL_FLAG(double, public_prefix_failures_per_min, 3,
          "unknown offer tokens per minute per token prefix (all addresses together); 0: no limit");
ABSL_FLAG(double, public_prefix_failure_burst, 5, "unknown offer tokens per prefix at once");
ABSL_FLAG(int, public_token_prefix_chars, 2,
          "leading characters of an offer token that form its prefix (2: 4096 prefixes)");
ABSL_FLAG(int, public_limit_keys, 100000, "client addresses and prefixes remembered per limit");
ABSL_FLAG(std::string, trusted_proxies, "",
          "comma-separated IP addresses of reverse proxies whose X-Forwarded-For (HTTP) or "
          "x-forwarded-for (gRPC metadata) names the client for rate limits; empty: trust none");
ABSL_FLAG(int, offer_alternatives, 3, "alternative slots attached to each new offer");
ABSL_FLAG(int, reminder_lead_h, 24,
          "hours before an offer's expiry its reminder is queued; 0: none");
ABSL_FLAG(int, max_expiries, 2, "expired offers after which a citizen counts as unreachable");
ABSL_FLAG(int, min_notice_h, 12,
          "minimum notice in hours: plans, re-plans and commits offer no slot that starts "
          "sooner after now (0 to 720)");
ABSL_FLAG(int, retention_days, 30,
          "days after an outage's close until the personal data of its appointments is erased, "
          "for offices without a setting of their own (PrivacyService); see docs/privacy.md");
ABSL_FLAG(int, privacy_purge_interval_s, 3600,
          "seconds between rebookd's retention purges; 0: none (PurgeExpiredData only)");
ABSL_FLAG(int, change_retention_days, 30,
          "days the change feed keeps its events (pruned with the retention purges of "
          "--privacy_purge_interval_s); 0: for ever; see docs/changes.md");
ABSL_FLAG(int, change_heartbeat_s, 15,
          "seconds after which a quiet WatchChanges stream gets an empty heartbeat response");
ABSL_FLAG(std::string, simulated_time, "",
          "demo/test facility: YYYY-MM-DDTHH:MM:SSZ starts a simulated clock there that only "
          "admins move (SimulationService); empty: the system clock");
ABSL_FLAG(std::string, metrics_listen, "",
          "IPv4 host:port of the Prometheus /metrics endpoint (its own listener); empty: off. "
          "A non-loopback address needs --metrics_token_file");
ABSL_FLAG(std::string, metrics_token_file, "",
          "file holding the bearer token /metrics requires (first line); empty: no token");
ABSL_FLAG(std::string, metrics_port_file, "", "write the bound metrics port to this file");
ABSL_FLAG(std::string, calendar_feed_secret_file, "",
          "file holding the secret of the offices' calendar feed URLs on --http_listen (first "
          "line, at least 32 characters); empty: no feeds (docs/exports.md)");
ABSL_FLAG(std::string, print_calendar_feed_url, "",
          "print the calendar feed URL of this office id (--public_base_url and "
          "--calendar_feed_secret_file), then exit");
ABSL_FLAG(std::string, restore, "",
          "restore this backup file (rebookctl admin backup) as --db, then exit; rebookd must "
          "not be running on --db (docs/reliability.md)");
ABSL_FLAG(bool, restore_overwrite, false, "with --restore: replace a --db file that holds data");

namespace {

int Fail(const std::string& what) {
  rebook::Log(rebook::LogLevel::kError, "startup_failed", {{"error", what}});
  std::cerr << "rebookd: " << what << "\n";
  return 1;
}

absl::StatusOr<rebook::PublicLookupThrottle::Options> ThrottleOptionsFromFlags() {
  rebook::PublicLookupThrottle::Options o;
  o.requests = {absl::GetFlag(FLAGS_public_rate_per_s), absl::GetFlag(FLAGS_public_burst)};
  o.failures = {absl::GetFlag(FLAGS_public_failures_per_min) / 60,
                absl::GetFlag(FLAGS_public_failure_burst)};
  o.prefix_failures = {absl::GetFlag(FLAGS_public_prefix_failures_per_min) / 60,
                       absl::GetFlag(FLAGS_public_prefix_failure_burst)};
  o.prefix_chars = absl::GetFlag(FLAGS_public_token_prefix_chars);
  for (const rebook::RateLimit& l : {o.requests, o.failures, o.prefix_failures}) {
    if (l.rate_per_s < 0 || (l.enabled() && l.burst < 1)) {
      return absl::InvalidArgumentError("--public_* rates must be >= 0 and bursts >= 1");
    }
  }
  if (o.prefix_chars < 0 || o.prefix_chars > 16) {
    return absl::InvalidArgumentError("--public_token_prefix_chars must be 0..16");
  }
  if (absl::GetFlag(FLAGS_public_limit_keys) < 1) {
    return absl::InvalidArgumentError("--public_limit_keys must be >= 1");
  }
  o.max_keys = static_cast<std::size_t>(absl::GetFlag(FLAGS_public_limit_keys));
  auto proxies = rebook::ParseAddressList(absl::GetFlag(FLAGS_trusted_proxies));
  if (!proxies.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--trusted_proxies: ", std::string(proxies.status().message())));
  }
  o.trusted_proxies = std::move(*proxies);
  return o;
}

// Re-reads the token file into `tokens`; a bad file leaves the old tokens in place.
void ReloadTokens(rebook::api::TokenRegistry& tokens, const std::string& path) {
  absl::Status status = tokens.ReloadFile(path);
  if (!status.ok()) {
    rebook::Log(
        rebook::LogLevel::kError, "tokens_reload_failed",
        {{"error", std::string(status.message())}, {"kept", static_cast<int>(tokens.size())}});
    return;
  }
  rebook::Log(
      rebook::LogLevel::kInfo, "tokens_reloaded",
      {{"principals", static_cast<int>(tokens.size())},
       {"expired", static_cast<int>(tokens.ExpiredCount(rebook::SystemClock::Instance().Now()))}});
}

// --restore: puts the backup in place and returns the exit code.
int Restore() {
  auto restored =
      rebook::storage::RestoreSqliteBackup({.backup_path = absl::GetFlag(FLAGS_restore),
                                            .db_path = absl::GetFlag(FLAGS_db),
                                            .overwrite = absl::GetFlag(FLAGS_restore_overwrite)});
  if (!restored.ok()) return Fail(absl::StrCat("restore: ", restored.status().ToString()));
  rebook::Log(rebook::LogLevel::kInfo, "restored",
              {{"db", absl::GetFlag(FLAGS_db)},
               {"bytes", restored->bytes},
               {"schema_version", restored->schema_version}});
  std::cout << "restored " << absl::GetFlag(FLAGS_restore) << " to " << absl::GetFlag(FLAGS_db)
            << " (" << restored->bytes << " bytes, schema version " << restored->schema_version
            << ")\n";
  return 0;
}

// The first line of the secret file named by `flag` (`path`), at least `min_size` characters;
// "" if no file is named.
absl::StatusOr<std::string> ReadSecretLine(const std::string& path, const std::string& flag,
                                           std::size_t min_size) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read --", flag, " ", path));
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.size() < min_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("the secret in --", flag, " must be at least ", min_size, " characters"));
  }
  return line;
}

absl::StatusOr<std::string> ReadMetricsToken() {
  return ReadSecretLine(absl::GetFlag(FLAGS_metrics_token_file), "metrics_token_file", 16);
}

// --print_calendar_feed_url: prints the office's feed URL and returns the exit code.
int PrintCalendarFeedUrl() {
  auto secret = ReadSecretLine(absl::GetFlag(FLAGS_calendar_feed_secret_file),
                               "calendar_feed_secret_file", 32);
  if (!secret.ok()) return Fail(std::string(secret.status().message()));
  if (secret->empty()) return Fail("--print_calendar_feed_url needs --calendar_feed_secret_file");
  std::string base = absl::GetFlag(FLAGS_public_base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::cout << base
            << rebook::web::CalendarFeedPath(*secret, absl::GetFlag(FLAGS_print_calendar_feed_url))
            << "\n";
  return 0;
}

void WritePortFile(const std::string& path, int port) {
  if (path.empty()) return;
  std::string tmp = path + ".tmp";
  std::ofstream(tmp) << port << "\n";
  std::rename(tmp.c_str(), path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  rebook::ConfigureServerProcess();
  // --help lists rebookd's own flags (Abseil's default matches only files named after the
  // program, so it found none); --helpfull adds the libraries' flags. --version prints the
  // project version and commit (Abseil's default prints "Debug build" for its own library).
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "tools/rebookd/main.cc");
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  usage.version_string = [] { return rebook::VersionLine("rebookd") + "\n"; };
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage(
      "the rebook server.\n\n"
      "  rebookd --db=FILE --tokens=FILE [--listen=HOST:PORT] [--flagfile=F]\n\n"
      "--help lists the flags below, --helpfull every flag, --version the version.");
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_debug_log)) rebook::SetMinLogLevel(rebook::LogLevel::kDebug);

  // Block the stop and reload signals in every thread; this one waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (!absl::GetFlag(FLAGS_restore).empty()) {
    if (rebook::rebookd::IsPostgresUrl(absl::GetFlag(FLAGS_db))) {
      return Fail("--restore is for SQLite files; restore PostgreSQL with its own tools");
    }
    return Restore();
  }
  if (!absl::GetFlag(FLAGS_print_calendar_feed_url).empty()) return PrintCalendarFeedUrl();
  if (absl::GetFlag(FLAGS_tokens).empty()) return Fail("--tokens is required");
  auto tokens = rebook::api::TokenRegistry::LoadFile(absl::GetFlag(FLAGS_tokens));
  if (!tokens.ok()) return Fail(std::string(tokens.status().message()));
  auto throttle_options = ThrottleOptionsFromFlags();
  if (!throttle_options.ok()) return Fail(std::string(throttle_options.status().message()));
  rebook::PublicLookupThrottle throttle(*throttle_options);

  auto backend = rebook::rebookd::OpenStoreBackend(
      {.db = absl::GetFlag(FLAGS_db),
       .sqlite_read_connections = absl::GetFlag(FLAGS_read_connections),
       .postgres_connections = absl::GetFlag(FLAGS_pg_connections),
       .postgres_serialize_writes = absl::GetFlag(FLAGS_pg_serialize_writes),
       .postgres_refresh_statistics = absl::GetFlag(FLAGS_pg_refresh_statistics)});
  if (!backend.ok()) return Fail(std::string(backend.status().message()));
  rebook::storage::Store* store = backend->store.get();

  rebook::metrics::Registry metrics;
  auto metrics_token = ReadMetricsToken();
  if (!metrics_token.ok()) return Fail(std::string(metrics_token.status().message()));

  rebook::api::ServerOptions options;
  options.metrics = &metrics;
  options.admin.maintenance = backend->maintenance;
  options.admin.scratch_dir = backend->scratch_dir;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.tls = {.cert_file = absl::GetFlag(FLAGS_tls_cert),
                 .key_file = absl::GetFlag(FLAGS_tls_key),
                 .client_ca_file = absl::GetFlag(FLAGS_tls_client_ca)};
  options.allow_insecure_listen = absl::GetFlag(FLAGS_allow_insecure_listen);
  options.enable_reflection = absl::GetFlag(FLAGS_reflection);
  options.max_receive_message_bytes = absl::GetFlag(FLAGS_max_message_mb) << 20;
  options.max_send_message_bytes = options.max_receive_message_bytes;
  options.shutdown_grace = std::chrono::seconds(absl::GetFlag(FLAGS_shutdown_grace_s));
  options.min_pollers = std::max(1, absl::GetFlag(FLAGS_min_pollers));
  options.max_pollers = std::max(options.min_pollers, absl::GetFlag(FLAGS_max_pollers));
  options.audit_log = backend->audit_log.get();
  options.env.max_storage_wait = std::chrono::seconds(absl::GetFlag(FLAGS_storage_wait_s));
  if (!absl::GetFlag(FLAGS_outbox_policy).empty()) {
    auto outbox = rebook::notify::LoadDeliveryConfig(absl::GetFlag(FLAGS_outbox_policy));
    if (!outbox.ok()) return Fail(std::string(outbox.status().message()));
    options.outbox = rebook::rebooking::OutboxPolicy::FromConfig(*outbox);
    options.notifications.limits = outbox->limits;
  }
  options.notifications.min_lease = std::chrono::seconds(absl::GetFlag(FLAGS_min_lease_s));
  options.notifications.report_durability = absl::GetFlag(FLAGS_durable_reports)
                                                ? rebook::storage::Durability::kFull
                                                : rebook::storage::Durability::kProcessCrash;

  options.public_throttle = &throttle;
  options.notifications.public_base_url = absl::GetFlag(FLAGS_public_base_url);
  options.offers.alternatives = absl::GetFlag(FLAGS_offer_alternatives);
  options.offers.reminder_lead = std::chrono::hours(absl::GetFlag(FLAGS_reminder_lead_h));
  options.offers.max_expiries = absl::GetFlag(FLAGS_max_expiries);
  const int min_notice_h = absl::GetFlag(FLAGS_min_notice_h);
  if (min_notice_h < 0 || min_notice_h > 720) return Fail("--min_notice_h must be 0 to 720");
  options.plans.replan.min_notice = std::chrono::hours(min_notice_h);
  options.retention.default_days = absl::GetFlag(FLAGS_retention_days);
  if (options.retention.default_days < rebook::rebooking::kMinRetentionDays ||
      options.retention.default_days > rebook::rebooking::kMaxRetentionDays) {
    return Fail("--retention_days must be 1 to 3650");
  }
  const int change_retention_days = absl::GetFlag(FLAGS_change_retention_days);
  if (change_retention_days < 0 ||
      change_retention_days > rebook::rebooking::kMaxChangeRetentionDays) {
    return Fail("--change_retention_days must be 0 to 3650");
  }
  if (absl::GetFlag(FLAGS_change_heartbeat_s) < 1) {
    return Fail("--change_heartbeat_s must be at least 1");
  }
  options.changes.heartbeat = std::chrono::seconds(absl::GetFlag(FLAGS_change_heartbeat_s));
  if (absl::GetFlag(FLAGS_privacy_purge_interval_s) < 0) {
    return Fail("--privacy_purge_interval_s must not be negative");
  }

  rebook::Clock* clock = &rebook::SystemClock::Instance();
  std::unique_ptr<rebook::FakeClock> simulated;
  if (!absl::GetFlag(FLAGS_simulated_time).empty()) {
    std::string text = absl::GetFlag(FLAGS_simulated_time);
    if (text.empty() || text.back() != 'Z') {
      return Fail("--simulated_time must be UTC like 2026-01-27T16:00:00Z");
    }
    text.pop_back();
    auto utc = rebook::domain::ParseLocalDateTime(text);  // the wall clock of UTC
    if (!utc.ok()) return Fail("--simulated_time must be UTC like 2026-01-27T16:00:00Z");
    simulated = std::make_unique<rebook::FakeClock>(rebook::Instant(utc->time_since_epoch()));
    clock = simulated.get();
    options.simulated_clock = simulated.get();
  }

  rebook::RandomIdGenerator ids;
  auto server = rebook::api::RebookServer::Start(options, store, clock, &ids, &*tokens);
  if (!server.ok()) return Fail(std::string(server.status().message()));
  std::unique_ptr<rebook::web::OfferWebServer> web;
  if (!absl::GetFlag(FLAGS_http_listen).empty()) {
    rebook::web::OfferWebServer::Options web_options;
    web_options.listen_address = absl::GetFlag(FLAGS_http_listen);
    web_options.throttle = &throttle;
    web_options.tls_cert_file = absl::GetFlag(FLAGS_http_tls_cert);
    web_options.tls_key_file = absl::GetFlag(FLAGS_http_tls_key);
    // The staff report page takes the gRPC API's tokens and roles (outages and plans readers).
    web_options.authenticate_staff =
        [registry =
             &*tokens](const std::string& token) -> absl::StatusOr<rebook::web::StaffAccess> {
      absl::StatusOr<rebook::api::Principal> who = registry->Authenticate(token);
      if (!who.ok()) return who.status();
      for (auto p : {rebook::api::Permission::kReadOutages, rebook::api::Permission::kReadPlans}) {
        if (absl::Status s = rebook::api::Require(*who, p); !s.ok()) return s;
      }
      return rebook::web::StaffAccess{who->VisibleOffices()};
    };
    if (!absl::GetFlag(FLAGS_public_page_config).empty()) {
      auto page = rebook::web::LoadPublicPageConfig(absl::GetFlag(FLAGS_public_page_config));
      if (!page.ok()) return Fail(std::string(page.status().message()));
      web_options.page = *std::move(page);
    }
    auto feed_secret = ReadSecretLine(absl::GetFlag(FLAGS_calendar_feed_secret_file),
                                      "calendar_feed_secret_file", 32);
    if (!feed_secret.ok()) return Fail(std::string(feed_secret.status().message()));
    web_options.calendar_feed.secret = *feed_secret;
    auto started = rebook::web::OfferWebServer::Start(web_options, store, clock, &ids,
                                                      &options.outbox, &options.offers);
    if (!started.ok()) return Fail(std::string(started.status().message()));
    web = std::move(*started);
    WritePortFile(absl::GetFlag(FLAGS_http_port_file), web->port());
  }
  std::unique_ptr<rebook::web::MetricsWebServer> metrics_web;
  if (!absl::GetFlag(FLAGS_metrics_listen).empty()) {
    metrics
        .AddGauge("rebook_build_info", "The running rebookd's version and commit.",
                  {"version", "commit"})
        .WithLabels({std::string(rebook::ProjectVersion()), std::string(rebook::BuildCommit())})
        .Set(1);
    rebook::web::AddStoreMetrics(&metrics, backend->maintenance, clock);
    auto started = rebook::web::MetricsWebServer::Start(
        {.listen_address = absl::GetFlag(FLAGS_metrics_listen), .bearer_token = *metrics_token},
        &metrics);
    if (!started.ok()) return Fail(std::string(started.status().message()));
    metrics_web = std::move(*started);
    WritePortFile(absl::GetFlag(FLAGS_metrics_port_file), metrics_web->port());
  }
  std::unique_ptr<rebook::rebooking::RetentionJanitor> janitor;
  if (absl::GetFlag(FLAGS_privacy_purge_interval_s) > 0) {
    janitor = std::make_unique<rebook::rebooking::RetentionJanitor>(
        store, clock, &ids, &options.outbox,
        rebook::rebooking::RetentionJanitor::Options{
            .interval = std::chrono::seconds(absl::GetFlag(FLAGS_privacy_purge_interval_s)),
            .policy = options.retention,
            .change_feed = {.days = change_retention_days}});
  }
  rebook::Log(rebook::LogLevel::kInfo, "serving",
              {{"port", (*server)->port()}, {"principals", static_cast<int>(tokens->size())}});
  WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->port());
  sd_notify(0, "READY=1");

  int signal = 0;
  while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) {
    ReloadTokens(*tokens, absl::GetFlag(FLAGS_tokens));
  }
  rebook::Log(rebook::LogLevel::kInfo, "stop_signal", {{"signal", signal}});
  sd_notify(0, "STOPPING=1");
  web.reset();  // no new answers while gRPC drains
  metrics_web.reset();
  janitor.reset();
  (*server)->Shutdown();
  (*server)->Wait();
  return 0;
}
