// bench_notify_drain: how fast the outbox drains to a loopback webhook receiver or to files.
//
//   bench_notify_drain --messages=5000 --workers=1,4
//   bench_notify_drain --messages=100000 --workers=1,4 --channel=file
//
// For each worker count: a fresh SQLite file gets `messages` offer messages (appointments and
// offers written through the storage interface, messages through rebooking::QueueMessage),
// a real rebookd is started on it, and N `rebook-notifier --once` processes drain it to the
// receiver. The time runs from starting the workers until all have exited; then every message
// must be SENT (checked over GetDeliveryStats) and every webhook-id received.
//
// The receiver is the C++ sink in this folder by default; --sink=python uses the channel tests'
// http.server sink instead, to show what it can take. --channel=file sends through the file
// channel instead (one JSON-lines file per worker); the keys in the files are then counted.
#include <chrono>
#include <fstream>
#include <iostream>
#include <set>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/notify_drain/webhook_sink.h"
#include "grpcpp/create_channel.h"
#include "nlohmann/json.hpp"
#include "rebook/v1/notifications.grpc.pb.h"
#include "services/common/ids.h"
#include "services/common/status_macros.h"
#include "services/notify/testing/sink_server.h"
#include "services/rebooking/outbox.h"
#include "testing/child_process.h"
#include "testing/files.h"
#include "testing/rebookd/local_rebookd.h"
#include "testing/store/temp_store.h"

ABSL_FLAG(int, messages, 5000, "messages to drain per run");
ABSL_FLAG(std::string, workers, "1,4", "comma-separated worker counts, one run each");
ABSL_FLAG(int, batch, 100, "messages per lease");
ABSL_FLAG(int, parallel, 1, "senders per worker (rebook-notifier --parallel)");
ABSL_FLAG(std::string, channel, "webhook",
          "webhook (to --sink) or file (one JSON-lines file per worker, no network)");
ABSL_FLAG(std::string, sink, "cpp", "receiver: cpp (this folder) or python (http_sink.py)");
ABSL_FLAG(std::string, source_dir, REBOOK_BENCH_SOURCE_DIR,
          "source tree (templates; the Python sink is found via $REBOOK_SOURCE_DIR)");
ABSL_FLAG(bool, keep, false, "keep the run folders (database, logs); failed runs keep theirs");
ABSL_FLAG(std::string, dir, "", "where run folders go (default: the temp folder)");
ABSL_FLAG(int, max_seconds, 600, "a worker still running after this long fails the run");
ABSL_FLAG(std::string, rebookd_flags, "",
          "extra rebookd flags, space-separated (e.g. \"--max_pollers=2\" to compare settings)");

namespace rebook::bench {
namespace {

constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const Instant kOutageStart{std::chrono::seconds(1769511000)};

absl::Status Seed(const std::string& db, int count, const rebooking::OutboxPolicy& policy) {
  REBOOK_ASSIGN_OR_RETURN(auto store, testing::OpenStoreFile(db));
  SequentialIdGenerator ids;
  const Instant now = SystemClock::Instance().Now();
  return store->Write({}, [&](storage::Transaction& tx) -> absl::Status {
    for (const char* id : {"A", "B"}) {
      REBOOK_RETURN_IF_ERROR(tx.PutOffice({.id = id,
                                           .name = absl::StrCat("Bürgerbüro ", id),
                                           .state = "DE-ST",
                                           .address = "Marktplatz 1\n06108 Halle (Saale)"}));
    }
    REBOOK_RETURN_IF_ERROR(tx.PutService({.id = "kfz", .name = "Kfz-Zulassung"}));
    REBOOK_RETURN_IF_ERROR(
        tx.PutOutage({.id = "out-1",
                      .office_ids = {"A"},
                      .window = {kOutageStart, kOutageStart + std::chrono::hours(5)},
                      .cause = "bench",
                      .declare_time = kOutageStart}));
    for (int i = 0; i < count; ++i) {
      domain::Appointment a{.id = absl::StrCat("b-", i),
                            .office_id = "A",
                            .service_id = "kfz",
                            .original_start = kOutageStart};
      a.contact = {.name = "Erika Mustermann", .language = "de"};
      a.status = domain::AppointmentStatus::kOffered;
      a.outage_id = "out-1";
      const Instant start = kOutageStart + std::chrono::hours(48);
      domain::Offer o{.appointment_id = a.id,
                      .office_id = "A",
                      .version = 1,
                      .outage_id = "out-1",
                      .plan_id = "p-1"};
      o.slot = {
          .office_id = "B", .clerk_id = "kb", .time = {start, start + std::chrono::minutes(15)}};
      o.token = absl::StrCat("tok_", a.id, "_Zk3pQ9xW2mV7");
      o.create_time = now;
      o.expire_time = now + std::chrono::hours(48);
      REBOOK_RETURN_IF_ERROR(tx.InsertAppointments({&a, 1}));
      REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
      REBOOK_RETURN_IF_ERROR(
          rebooking::QueueMessage(tx, policy, a, o, domain::MessageKind::kOffer, "", now, ids));
    }
    return absl::OkStatus();
  });
}

struct RunResult {
  double seconds = 0;
  std::int64_t sent = 0;
  std::int64_t received = 0;
  std::int64_t repeats = -1;  // unknown for the Python sink
  double server_cpu = 0;      // seconds of CPU, rebookd (the whole run, including startup)
  double worker_cpu = 0;      // seconds of CPU, all workers together
};

absl::StatusOr<RunResult> Run(int workers, int count) {
  testing::ScopedTempDir run_dir(absl::StrCat("rebook-drain-", workers), absl::GetFlag(FLAGS_dir));
  if (absl::GetFlag(FLAGS_keep)) run_dir.Keep();
  const std::string dir = run_dir.path().string();
  rebooking::OutboxPolicy policy;
  const std::string channel = absl::GetFlag(FLAGS_channel);
  if (channel != "webhook" && channel != "file") {
    return absl::InvalidArgumentError("--channel must be webhook or file");
  }
  const bool to_files = channel == "file";
  REBOOK_ASSIGN_OR_RETURN(policy.chain, notify::ChannelChain::Parse(channel));
  REBOOK_RETURN_IF_ERROR(Seed(dir + "/rebook.db", count, policy));
  std::ofstream(dir + "/tokens") << testing::TokenFileText(
      {{"notifier", "notifier", "*"}, {"admin", "admin", "*"}});
  std::ofstream(dir + "/outbox.conf") << "[outbox]\nchain = " << channel << "\n";

  std::unique_ptr<WebhookSink> cpp_sink;
  std::unique_ptr<notify::testing::SinkServer> python_sink;
  int sink_port = 0;
  const std::string source = absl::GetFlag(FLAGS_source_dir);
  if (to_files) {
    // no receiver: each worker appends to its own file (see WorkerConfig)
  } else if (absl::GetFlag(FLAGS_sink) == "python") {
    REBOOK_ASSIGN_OR_RETURN(
        python_sink, notify::testing::SinkServer::Start(
                         "http_sink.py", {"--log", dir + "/sink.jsonl", "--max-seconds", "600"}));
    sink_port = python_sink->port();
  } else {
    REBOOK_ASSIGN_OR_RETURN(cpp_sink, WebhookSink::Start());
    sink_port = cpp_sink->port();
  }
  // One config per worker, so that each file channel has a file of its own.
  auto worker_config = [&](int i) {
    const std::string path = absl::StrCat(dir, "/channels-", i, ".conf");
    std::ofstream out(path);
    if (to_files) {
      out << "[channel.file]\npath = " << dir << "/outbox-" << i << ".jsonl\n";
    } else {
      out << "[channel.webhook]\nurl = http://127.0.0.1:" << sink_port
          << "/hooks\nsecret = " << kSecret << "\nallow_loopback = true\n";
    }
    return path;
  };

  std::vector<std::string> server_argv = {testing::BinaryPath("rebookd"),
                                          "--db",
                                          dir + "/rebook.db",
                                          "--tokens",
                                          dir + "/tokens",
                                          "--listen",
                                          "127.0.0.1:0",
                                          "--port_file",
                                          dir + "/rebookd.port",
                                          "--public_base_url",
                                          "https://termine.example.org",
                                          "--outbox_policy",
                                          dir + "/outbox.conf"};
  for (absl::string_view flag :
       absl::StrSplit(absl::GetFlag(FLAGS_rebookd_flags), ' ', absl::SkipEmpty())) {
    server_argv.emplace_back(flag);
  }
  REBOOK_ASSIGN_OR_RETURN(auto server, testing::ChildProcess::Start(
                                           server_argv, testing::LogFile(dir + "/rebookd.log")));
  absl::StatusOr<int> port =
      testing::WaitForPortFile(dir + "/rebookd.port", *server, std::chrono::seconds(20));
  if (!port.ok()) {
    run_dir.Keep();
    return absl::UnavailableError(
        absl::StrCat("rebookd did not start (", port.status().message(), "); see ", dir));
  }

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<testing::ChildProcess>> worker_processes;
  for (int i = 0; i < workers; ++i) {
    REBOOK_ASSIGN_OR_RETURN(
        worker_processes.emplace_back(),
        testing::ChildProcess::Start(
            {testing::BinaryPath("rebook-notifier"), "--server", absl::StrCat("127.0.0.1:", *port),
             "--token", "notifier", "--channel-config", worker_config(i), "--templates",
             source + "/services/notify/templates", "--once", "--batch",
             absl::StrCat(absl::GetFlag(FLAGS_batch)), "--parallel",
             absl::StrCat(absl::GetFlag(FLAGS_parallel)), "--worker-name",
             absl::StrCat("bench-", i)},
            testing::LogFile(absl::StrCat(dir, "/worker-", i, ".log"))));
  }
  bool workers_ok = true;
  RunResult result;
  for (auto& worker : worker_processes) {
    // A worker still running after --max_seconds is killed (SIGKILL) by its destructor and
    // counts as failed.
    workers_ok =
        worker->Wait(std::chrono::seconds(absl::GetFlag(FLAGS_max_seconds))) == 0 && workers_ok;
    result.worker_cpu += worker->cpu_seconds();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  auto stub = v1::NotificationService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", *port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer admin");
  v1::GetDeliveryStatsRequest req;
  req.set_outage("outages/out-1");
  v1::DeliveryStats stats;
  grpc::Status s = stub->GetDeliveryStats(&ctx, req, &stats);
  for (const auto& row : stats.rows()) {
    // Webhooks end SENT, the file channel DELIVERED.
    for (const char* state : {"SENT", "DELIVERED"}) {
      auto it = row.state_counts().find(state);
      if (it != row.state_counts().end()) result.sent += it->second;
    }
  }
  server->Stop(std::chrono::seconds(30));
  result.server_cpu = server->cpu_seconds();
  if (to_files) {
    std::set<std::string> keys;
    std::int64_t lines = 0;
    for (int i = 0; i < workers; ++i) {
      std::ifstream in(absl::StrCat(dir, "/outbox-", i, ".jsonl"));
      for (std::string line; std::getline(in, line); ++lines) {
        keys.insert(nlohmann::json::parse(line, nullptr, false)
                        .value("key", nlohmann::json{})
                        .value("id", std::string()));
      }
    }
    keys.erase("");
    result.received = static_cast<std::int64_t>(keys.size());
    result.repeats = lines - result.received;
  } else if (cpp_sink) {
    result.received = cpp_sink->distinct_ids();
    result.repeats = cpp_sink->repeats();
  } else {
    python_sink.reset();  // SIGTERM: the sink has written every line of its log
    std::ifstream log(dir + "/sink.jsonl");
    for (std::string line; std::getline(log, line);) ++result.received;
  }
  if (!s.ok()) {
    run_dir.Keep();
    return absl::InternalError("GetDeliveryStats: " + s.error_message());
  }
  if (!workers_ok) {
    run_dir.Keep();
    return absl::InternalError("a worker failed; see " + dir);
  }
  return result;
}

}  // namespace
}  // namespace rebook::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int count = absl::GetFlag(FLAGS_messages);
  std::cout << "messages  workers  parallel  batch  to      seconds  msg/s   sent  received  "
               "repeats  server-cpu-us/msg  worker-cpu-us/msg\n";
  int failures = 0;
  for (absl::string_view w : absl::StrSplit(absl::GetFlag(FLAGS_workers), ',')) {
    int workers = 0;
    if (!absl::SimpleAtoi(w, &workers) || workers < 1) {
      std::cerr << "bad --workers entry \"" << w << "\"\n";
      return 2;
    }
    auto r = rebook::bench::Run(workers, count);
    if (!r.ok()) {
      std::cerr << "workers=" << workers << ": " << r.status() << "\n";
      ++failures;
      continue;
    }
    const bool complete = r->sent == count && r->received >= count;
    failures += complete ? 0 : 1;
    std::printf("%8d  %7d  %8d  %5d  %-6s  %7.2f  %6.0f  %5lld  %8lld  %7lld  %17.0f  %17.0f%s\n",
                count, workers, absl::GetFlag(FLAGS_parallel), absl::GetFlag(FLAGS_batch),
                absl::GetFlag(FLAGS_channel) == "file" ? "file" : absl::GetFlag(FLAGS_sink).c_str(),
                r->seconds, count / r->seconds, static_cast<long long>(r->sent),
                static_cast<long long>(r->received), static_cast<long long>(r->repeats),
                1e6 * r->server_cpu / count, 1e6 * r->worker_cpu / count,
                complete ? "" : "  INCOMPLETE");
  }
  return failures == 0 ? 0 : 1;
}
