// Issue 19: a client stream is committed only when the client half-closed it normally and every
// message parsed. For every client-streaming RPC of API v1 (found in the service descriptors, so
// that a new one cannot be forgotten), a stream cut off by a client cancel, the client's
// deadline, a message that does not parse, a message over the size limit, a killed client
// process or the server's shutdown stores nothing and leaves the request id unused: the same
// request id then imports the full stream once.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/api/rpc_context.h"
#include "testing/child_process.h"
#include "testing/files.h"
#include "tests/e2e/import_streams.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using std::chrono::milliseconds;

// Offices plus appointments, read from the store itself.
std::int64_t CountStoredRows(storage::Store& store) {
  std::int64_t rows = 0;
  absl::Status s = store.Read({}, [&](storage::Transaction& tx) -> absl::Status {
    rows = 0;
    auto offices = tx.ListOffices({1000, ""});
    if (!offices.ok()) return offices.status();
    rows += std::ssize(offices->items);
    auto appointments = tx.CountAppointments({});
    if (!appointments.ok()) return appointments.status();
    rows += *appointments;
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return rows;
}

class ImportCutOffTest : public ::testing::TestWithParam<std::string> {
 protected:
  static api::ServerOptions Options() {
    api::ServerOptions o;
    o.max_receive_message_bytes = 64 << 10;
    return o;
  }
  void SetUp() override {
    server_.SeedCapacity();
    baseline_ = CountRows();
  }

  const MessageMaker& Maker() { return Makers().at(GetParam()); }

  int CountRows() { return CountImportedRows(server_.channel()); }

  // Writes the first `n` messages of an import with `request_id`.
  void WriteMessages(RawStream& stream, int n, const std::string& request_id) {
    ASSERT_TRUE(testing::WriteMessages(stream, GetParam(), n, request_id));
  }

  // The cut-off import stored nothing (once its handler has had time to end), and the same
  // request id then imports the whole stream once.
  void ExpectNothingStoredAndRetryWorks(const std::string& request_id) {
    std::this_thread::sleep_for(milliseconds(200));
    EXPECT_EQ(CountRows(), baseline_);
    RawStream retry(server_.channel(), GetParam());
    WriteMessages(retry, kStreamMessages, request_id);
    grpc::Status s = retry.Finish();
    EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
    EXPECT_EQ(CountRows(), baseline_ + RowsPerMessage(GetParam()) * kStreamMessages);
  }

  TestServer server_{Options()};
  int baseline_ = 0;
};

TEST(ImportCutOffCoverage, EveryClientStreamingMethodHasCutOffTests) {
  std::vector<std::string> methods = ClientStreamingMethods();
  EXPECT_FALSE(methods.empty());
  for (const std::string& m : methods) {
    EXPECT_TRUE(Makers().contains(m)) << m << " is client-streaming: add it to Makers()";
  }
}

TEST_P(ImportCutOffTest, FullStreamImportsOnceAsAControl) {
  RawStream stream(server_.channel(), GetParam());
  WriteMessages(stream, kStreamMessages, "control");
  ASSERT_TRUE(stream.Finish().ok());
  EXPECT_GT(CountRows(), baseline_);
}

TEST_P(ImportCutOffTest, ClientCancelStoresNothing) {
  {
    RawStream stream(server_.channel(), GetParam());
    WriteMessages(stream, 3, "cancelled");
    std::this_thread::sleep_for(milliseconds(100));  // let the server read them
    stream.Cancel();
    EXPECT_EQ(stream.Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  ExpectNothingStoredAndRetryWorks("cancelled");
}

TEST_P(ImportCutOffTest, DeadlineStoresNothing) {
  {
    RawStream stream(server_.channel(), GetParam(), milliseconds(300));
    WriteMessages(stream, 3, "late");
    std::this_thread::sleep_for(milliseconds(500));
    EXPECT_EQ(stream.Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  ExpectNothingStoredAndRetryWorks("late");
}

TEST_P(ImportCutOffTest, MalformedMessageStoresNothing) {
  {
    RawStream stream(server_.channel(), GetParam());
    WriteMessages(stream, 3, "malformed");
    // Field 1 (request_id, a proto3 string) holding invalid UTF-8: the message does not parse.
    ASSERT_TRUE(stream.Write(std::string("\x0a\x02\xc3\x28", 4)));
    grpc::Status s = stream.Finish();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
    EXPECT_NE(s.error_message().find("message 3"), std::string::npos) << s.error_message();
  }
  ExpectNothingStoredAndRetryWorks("malformed");
}

TEST_P(ImportCutOffTest, OversizedMessageStoresNothing) {
  {
    RawStream stream(server_.channel(), GetParam());
    WriteMessages(stream, 3, "oversized");
    // A valid message with an unknown field 1000 of 100 KiB, over the server's 64 KiB limit.
    std::string big =
        Maker()(3, "") + std::string("\xc2\x3e\x80\xa0\x06", 5) + std::string(100 << 10, 'x');
    stream.Write(big);  // may fail once the server has cancelled the call
    EXPECT_EQ(stream.Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  }
  ExpectNothingStoredAndRetryWorks("oversized");
}

TEST_P(ImportCutOffTest, KilledClientProcessStoresNothing) {
  // The child writes the messages, says so on its stdout and then waits to be killed.
  std::string messages;
  for (int i = 0; i < 3; ++i) {
    std::string m = Maker()(i, "killed");
    absl::StrAppend(&messages, m.size(), "\n", m);
  }
  std::filesystem::path file = server_.dir() / "messages";
  std::ofstream(file, std::ios::binary) << messages;
  const std::string said = (server_.dir() / "client.out").string();
  auto client = ChildProcess::Start(
      {REBOOK_IMPORT_STREAM_CLIENT, absl::StrCat(server_.port()), GetParam(), file.string()},
      {.stdout_path = said});
  ASSERT_TRUE(client.ok()) << client.status();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ReadFileOrEmpty(said).size() < 4 && std::chrono::steady_clock::now() < until &&
         !(*client)->Wait(milliseconds(10)).has_value()) {
  }
  EXPECT_EQ(ReadFileOrEmpty(said).substr(0, 4), "sent");
  std::this_thread::sleep_for(milliseconds(100));  // let the server read them
  (*client)->Signal(SIGKILL);
  EXPECT_EQ((*client)->Wait(std::chrono::seconds(30)), 128 + SIGKILL);  // killed, not exited
  ExpectNothingStoredAndRetryWorks("killed");
}

INSTANTIATE_TEST_SUITE_P(ClientStreaming, ImportCutOffTest,
                         ::testing::ValuesIn(ClientStreamingMethods()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return MethodName(info.param);
                         });

}  // namespace
}  // namespace rebook::testing

namespace rebook::testing {
namespace {

// Server shutdown: once the grace period is over, gRPC cancels the streams still open, and
// their imports roll back. Checked in the store, as the server is gone.
TEST(ImportShutdownTest, ShutdownRollsBackEveryOpenImport) {
  TestServer server;
  server.SeedCapacity();
  std::int64_t rows_before = CountStoredRows(server.store());
  std::vector<std::unique_ptr<RawStream>> streams;
  for (const auto& [method, maker] : Makers()) {
    streams.push_back(std::make_unique<RawStream>(server.channel(), method));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(streams.back()->Write(maker(i, "in-flight")));
  }
  std::this_thread::sleep_for(milliseconds(100));  // let the server read them
  server.server().Shutdown();  // waits out the grace period (5 s in TestServer), then cancels
  for (auto& stream : streams) EXPECT_FALSE(stream->Abandon().ok());
  EXPECT_EQ(CountStoredRows(server.store()), rows_before);
  api::Principal admin{.name = "admin", .role = api::Role::kAdmin, .all_offices = true};
  for (const char* method :
       {"CapacityService/ImportCapacity", "rebook.v1.AppointmentService/ImportAppointments",
        "rebook.v1.AppointmentService/ImportBundle"}) {
    absl::Status s = server.store().Read({}, [&](storage::Transaction& tx) {
      return tx.FindRequest(api::IdempotencyKey(admin, method, "in-flight")).status();
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << method << ": " << s;
  }
}

}  // namespace
}  // namespace rebook::testing
