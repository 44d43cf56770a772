// TestServer: a real rebook gRPC server on 127.0.0.1 (port 0) over a real SQLite file in a
// fresh temporary folder, with a fake clock and one principal per role.
//
//   TestServer server;
//   auto stub = rebook::v1::OutageService::NewStub(server.channel());
//   auto ctx = server.Context("admin");
//   stub->DeclareOutage(ctx.get(), request, &outage);
#ifndef REBOOK_TESTS_SUPPORT_TEST_SERVER_H_
#define REBOOK_TESTS_SUPPORT_TEST_SERVER_H_

#include <filesystem>
#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "services/api/server.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "storage/sqlite/sqlite_store.h"

namespace rebook::testing {

// 2026-01-27T10:50:00Z = 11:50 in Halle, when the power failed.
inline const Instant kOutageStart{std::chrono::seconds(1769511000)};

// Principals known to every TestServer, by token:
//   "admin"       admin        *
//   "planner"     planner      *
//   "clerk-a"     clerk        A
//   "admin-a"     office_admin A
//   "clerk-b"     clerk        B
//   "admin-b"     office_admin B
//   "notifier"    notifier     *
class TestServer {
 public:
  explicit TestServer(api::ServerOptions options = {});
  ~TestServer();

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // A context authenticated as `token` with a 30 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) const;
  FakeClock& clock() { return clock_; }
  storage::SqliteStore& store() { return *store_; }
  api::RebookServer& server() { return *server_; }
  const std::filesystem::path& dir() const { return dir_; }
  int port() const { return server_->port(); }

  // Offices A and B (DE-ST, Europe/Berlin), service types "kfz" (15 min, vehicle registration)
  // and "aufenthalt" (30 min, immigration), clerks "ka" (A, kfz) and "kb" (B, both).
  void SeedCapacity();

 private:
  std::filesystem::path dir_;
  FakeClock clock_{kOutageStart};
  SequentialIdGenerator ids_;
  api::TokenRegistry tokens_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<api::RebookServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// An appointment message at `office` with id `id`, starting `minutes_after` the outage start.
rebook::v1::Appointment MakeAppointment(const std::string& office, const std::string& id,
                                        int minutes_after, const std::string& service = "kfz");

// google.rpc.BadRequest field paths carried by a failed call's details.
std::vector<std::string> ViolationFields(const grpc::Status& status);

}  // namespace rebook::testing

#endif  // REBOOK_TESTS_SUPPORT_TEST_SERVER_H_
