// Issue 19 with real processes on both sides: a failed import changes nothing and leaves its
// request id usable when
// - rebookd gets SIGTERM while a client stream is open and the grace period ends: after a restart
//   on the same database nothing of the stream is stored, and the retry with the same request id
//   imports it once (every client-streaming method);
// - a `rebookctl import` of a generated bundle is killed with SIGKILL while it is sending: nothing
//   is stored, and the same command with the same request id then imports the whole bundle.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "testing/child_process.h"
#include "testing/files.h"
#include "testing/rebookd/local_rebookd.h"
#include "testing/rebookd/test_database.h"
#include "tests/e2e/import_streams.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::rebook::v1;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr int kGraceSeconds = 2;

// rebookd as a child process over the database `db` (its --db), with its files in `dir`; Start
// again after it ended reopens the same database. Its log (both streams) is appended to
// dir/rebookd.log across restarts.
class RebookdProcess {
 public:
  RebookdProcess(fs::path dir, std::string db) : dir_(std::move(dir)), db_(std::move(db)) {
    std::ofstream(dir_ / "tokens") << TokenFileText({{"admin", "admin", "*"}});
  }

  // Starts rebookd and waits until it serves. The clock starts at TestServer's kOutageStart, so
  // that the messages of import_streams.h mean the same as in the in-process tests.
  absl::Status Start() {
    fs::remove(dir_ / "port");
    absl::StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Start(
        {BinaryPath("rebookd"), "--listen=127.0.0.1:0", "--db=" + db_,
         "--tokens=" + (dir_ / "tokens").string(), "--port_file=" + (dir_ / "port").string(),
         absl::StrCat("--shutdown_grace_s=", kGraceSeconds),
         "--simulated_time=2026-01-27T10:50:00Z"},
        LogFile((dir_ / "rebookd.log").string()));
    if (!process.ok()) return process.status();
    process_ = std::move(*process);
    absl::StatusOr<int> port = WaitForPortFile((dir_ / "port").string(), *process_, seconds(60));
    if (!port.ok()) return port.status();
    port_ = *port;
    channel_ = grpc::CreateChannel(address(), grpc::InsecureChannelCredentials());
    return absl::OkStatus();
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  ChildProcess& process() { return *process_; }
  std::string Log() const { return ReadFileOrEmpty((dir_ / "rebookd.log").string()); }
  // Polls the log every 20 ms for at most `limit` until it contains `text`.
  bool WaitForLog(const std::string& text, Clock::duration limit) const {
    for (const auto end = Clock::now() + limit; Clock::now() < end;) {
      if (Log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return Log().find(text) != std::string::npos;
  }

 private:
  fs::path dir_;
  std::string db_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

// The log line of a call to `method` ("ImportCapacity") that ended with `code` ("CANCELLED").
std::string RpcLogLine(const std::string& method, const std::string& code) {
  return absl::StrCat("\"method\":\"", method, "\",\"principal\":\"admin\",\"code\":\"", code,
                      "\"");
}

absl::Status Seed(const std::shared_ptr<grpc::Channel>& channel) {
  RawStream seed(channel, "/rebook.v1.CapacityService/ImportCapacity", milliseconds(30'000));
  if (!seed.Write(SeedCapacityRequest().SerializeAsString())) {
    return absl::UnavailableError("seed write failed");
  }
  grpc::Status s = seed.Finish();
  return s.ok() ? absl::OkStatus() : absl::InternalError(s.error_message());
}

class ImportSigtermTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ImportSigtermTest, GraceEndRollsBackAndTheRetryWorksAfterARestart) {
  const std::string& method = GetParam();
  // SQLite, or PostgreSQL with REBOOK_TEST_BACKEND=postgres (testing/rebookd/test_database.h).
  TestDatabase db("rebook-import-sigterm");
  ASSERT_TRUE(db.status().ok()) << db.status();
  db.Close();
  RebookdProcess rebookd(db.dir(), db.db());
  ASSERT_TRUE(rebookd.Start().ok()) << rebookd.Log();
  ASSERT_TRUE(Seed(rebookd.channel()).ok()) << rebookd.Log();
  const int baseline = CountImportedRows(rebookd.channel());
  ASSERT_GT(baseline, 0);

  {
    // Three messages, never half-closed: the import is in flight when SIGTERM comes.
    RawStream stream(rebookd.channel(), method, milliseconds(120'000));
    ASSERT_TRUE(WriteMessages(stream, method, 3, "sigterm"));
    std::this_thread::sleep_for(milliseconds(300));  // let rebookd read them
    const auto stop = Clock::now();
    rebookd.process().Signal(SIGTERM);
    grpc::Status cut = stream.Abandon();
    EXPECT_FALSE(cut.ok()) << "the cut-off stream was answered OK";
    std::optional<int> code = rebookd.process().Wait(seconds(kGraceSeconds + 60));
    ASSERT_TRUE(code.has_value()) << "rebookd did not stop";
    EXPECT_EQ(*code, 0) << rebookd.Log();
    EXPECT_GE(Clock::now() - stop, seconds(kGraceSeconds) - milliseconds(100))
        << "rebookd did not give the stream its grace period";
  }
  // After the signal, rebookd logged the import as cut off, not as OK.
  const std::string log = rebookd.Log();
  const std::size_t signalled = log.find("\"event\":\"stop_signal\"");
  ASSERT_NE(signalled, std::string::npos) << log;
  EXPECT_NE(log.find(RpcLogLine(MethodName(method), "CANCELLED"), signalled), std::string::npos)
      << log;
  EXPECT_EQ(log.find(RpcLogLine(MethodName(method), "OK"), signalled), std::string::npos) << log;

  // The same database, a new process: nothing of the stream, and its request id unused.
  ASSERT_TRUE(rebookd.Start().ok()) << rebookd.Log();
  EXPECT_EQ(CountImportedRows(rebookd.channel()), baseline);
  RawStream retry(rebookd.channel(), method, milliseconds(60'000));
  ASSERT_TRUE(WriteMessages(retry, method, kStreamMessages, "sigterm"));
  grpc::Status s = retry.Finish();
  EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  EXPECT_EQ(CountImportedRows(rebookd.channel()),
            baseline + RowsPerMessage(method) * kStreamMessages);
  EXPECT_EQ(rebookd.process().Stop(seconds(kGraceSeconds + 30)), 0) << rebookd.Log();
}

INSTANTIATE_TEST_SUITE_P(ClientStreaming, ImportSigtermTest,
                         ::testing::ValuesIn(ClientStreamingMethods()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return MethodName(info.param);
                         });

// Data lines (without the header) of a bundle's CSV file.
int DataLines(const fs::path& csv) {
  std::ifstream in(csv);
  int lines = 0;
  for (std::string line; std::getline(in, line);) lines += line.empty() ? 0 : 1;
  return lines - 1;
}

TEST(ImportKilledClientTest, KilledRebookctlImportStoresNothingAndTheRetryImportsAll) {
  // SQLite, or PostgreSQL with REBOOK_TEST_BACKEND=postgres (testing/rebookd/test_database.h).
  TestDatabase db("rebook-import-killed");
  ASSERT_TRUE(db.status().ok()) << db.status();
  db.Close();
  const fs::path bundle = db.dir() / "bundle";
  // Halle: about 8,600 records; in messages of 20 that is a stream of about 400 messages.
  absl::StatusOr<std::string> generated = RunCommand(
      {BinaryPath("rebook-gen"), "--preset=halle", "--seed=19", "--out=" + bundle.string()},
      seconds(120));
  ASSERT_TRUE(generated.ok()) << generated.status();
  RebookdProcess rebookd(db.dir(), db.db());
  ASSERT_TRUE(rebookd.Start().ok()) << rebookd.Log();
  ASSERT_EQ(CountImportedRows(rebookd.channel()), 0);

  const std::vector<std::string> import = {BinaryPath("rebookctl"),
                                           "--server=" + rebookd.address(),
                                           "--token=admin",
                                           "--timeout=300",
                                           "import",
                                           bundle.string(),
                                           "--batch=20",
                                           "--request-id=killed-import"};
  const std::string progress = (db.dir() / "rebookctl.err").string();
  {
    auto ctl = ChildProcess::Start(
        import, {.stdout_path = (db.dir() / "rebookctl.out").string(), .stderr_path = progress});
    ASSERT_TRUE(ctl.ok()) << ctl.status();
    // Off a terminal, rebookctl prints a progress line per 10 % of the records it has sent:
    // polled every 5 ms for at most 120 s.
    std::optional<int> early_exit;
    for (const auto end = Clock::now() + seconds(120);
         ReadFileOrEmpty(progress).find("10%") == std::string::npos && Clock::now() < end &&
         !(early_exit = (*ctl)->Wait(milliseconds(5))).has_value();) {
    }
    ASSERT_FALSE(early_exit.has_value()) << "rebookctl ended first: " << ReadFileOrEmpty(progress);
    ASSERT_NE(ReadFileOrEmpty(progress).find("10%"), std::string::npos) << "no progress";
    (*ctl)->Signal(SIGKILL);
    EXPECT_EQ((*ctl)->Wait(seconds(30)), 128 + SIGKILL) << "rebookctl finished before the kill";
  }
  // rebookd saw the call break off, stored nothing and answered nobody.
  EXPECT_TRUE(rebookd.WaitForLog(RpcLogLine("ImportBundle", "CANCELLED"), seconds(60)))
      << rebookd.Log();
  EXPECT_EQ(CountImportedRows(rebookd.channel()), 0);

  // The same command again, with the same request id: the whole bundle, once.
  absl::StatusOr<std::string> retried = RunCommand(import, seconds(300));
  ASSERT_TRUE(retried.ok()) << retried.status();
  const int offices = DataLines(bundle / "offices.csv");
  const int appointments = DataLines(bundle / "appointments.csv");
  EXPECT_NE(retried->find(absl::StrCat("appointments ", appointments, " received, ", appointments,
                                       " created")),
            std::string::npos)
      << *retried;
  EXPECT_EQ(CountImportedRows(rebookd.channel()), offices + appointments);
}

}  // namespace
}  // namespace rebook::testing
