// TestServer: the end-to-end tests' rebook server: a testing::LocalRebookd (a real gRPC server
// on 127.0.0.1, port 0, over a real SQLite file in a fresh temporary folder, or a fresh
// PostgreSQL database with REBOOK_TEST_BACKEND=postgres) with a fake clock,
// one principal per role, and the tests' capacity and appointment fixtures.
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
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "services/api/server.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "storage/store.h"
#include "testing/rebookd/local_rebookd.h"

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
//   "auditor"     auditor      *
class TestServer {
 public:
  // With `simulated_time`, the server also serves SimulationService on its fake clock, so that
  // tests can advance time over the API (AdvanceSimulatedTime) as a demo would.
  explicit TestServer(api::ServerOptions options = {}, bool simulated_time = false);

  std::shared_ptr<grpc::Channel> channel() const { return rebookd_->channel(); }
  // A context authenticated as `token` with a 30 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) const {
    return rebookd_->Context(token);
  }
  FakeClock& clock() { return clock_; }
  storage::Store& store() { return rebookd_->store(); }
  storage::AuditLog& audit_log() { return rebookd_->audit_log(); }
  // rebookd's --db for the server's database: the SQLite file or the PostgreSQL URI.
  std::string db() const { return rebookd_->db(); }
  bool postgres() const { return rebookd_->postgres(); }
  // The SQLite file (meaningless on PostgreSQL: check postgres() first).
  std::string db_path() const { return rebookd_->db_path(); }
  api::RebookServer& server() { return rebookd_->server(); }
  const std::filesystem::path& dir() const { return rebookd_->dir(); }
  int port() const { return rebookd_->port(); }

  // Offices A and B (DE-ST, Europe/Berlin), service types "kfz" (15 min, vehicle registration)
  // and "aufenthalt" (30 min, immigration), clerks "ka" (A, kfz) and "kb" (B, both).
  void SeedCapacity();

 private:
  FakeClock clock_{kOutageStart};
  SequentialIdGenerator ids_;
  std::unique_ptr<LocalRebookd> rebookd_;
};

// The import behind TestServer::SeedCapacity, for servers the tests start otherwise.
rebook::v1::ImportCapacityRequest SeedCapacityRequest();

// An appointment message at `office` with id `id`, starting `minutes_after` the outage start.
rebook::v1::Appointment MakeAppointment(const std::string& office, const std::string& id,
                                        int minutes_after, const std::string& service = "kfz");

// google.rpc.BadRequest field paths carried by a failed call's details.
std::vector<std::string> ViolationFields(const grpc::Status& status);

}  // namespace rebook::testing

#endif  // REBOOK_TESTS_SUPPORT_TEST_SERVER_H_
