// LocalRebookd: a real rebook gRPC server (api::RebookServer) in this process on 127.0.0.1,
// port 0, over a fresh database (TestDatabase: a SQLite file in a scratch folder, or with
// REBOOK_TEST_BACKEND=postgres a PostgreSQL database of its own), with the principals it is given.
// The one bootstrap of the end-to-end tests (tests/support, tests/notify) and of bench/import.
//
//   FakeClock clock{start};
//   SequentialIdGenerator ids;
//   auto server = LocalRebookd::Start({.principals = {{"admin", "admin", "*"}},
//                                      .clock = &clock, .ids = &ids});
//   auto stub = v1::OutageService::NewStub((*server)->channel());
//   stub->ListOutages((*server)->Context("admin").get(), request, &response);
//   // destructor: stops the server, closes the store, removes the folder
//
// The folder (and a PostgreSQL database) is kept when REBOOK_KEEP_TEST_DIR is set. Thread-safe as
// RebookServer and Store are; the object itself is owned by one test.
#ifndef REBOOK_TESTING_REBOOKD_LOCAL_REBOOKD_H_
#define REBOOK_TESTING_REBOOKD_LOCAL_REBOOKD_H_

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "services/api/server.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "storage/audit_log.h"
#include "storage/store.h"
#include "testing/rebookd/test_database.h"

namespace rebook::testing {

// A bearer token and what it may do, as a line of rebookd's --tokens file.
struct Principal {
  std::string token;
  std::string role;     // admin, planner, clerk, office_admin, notifier, auditor
  std::string offices;  // "*" or a comma-separated list of office ids
};

// The text of a --tokens file for `principals` ("<token> <role> <offices> sha256:<digest>").
std::string TokenFileText(const std::vector<Principal>& principals);

struct LocalRebookdOptions {
  // Everything but listen_address ("127.0.0.1:0") and shutdown_grace (5 s), which are set here.
  api::ServerOptions server;
  std::vector<Principal> principals;
  // Not owned; must outlive the server. Required.
  Clock* clock = nullptr;
  IdGenerator* ids = nullptr;
  // Runs on the fresh store before the server starts (offices, services, ...).
  std::function<absl::Status(storage::Store&)> seed;
  // Name prefix of the scratch folder.
  std::string folder_prefix = "rebook";
};

class LocalRebookd {
 public:
  static absl::StatusOr<std::unique_ptr<LocalRebookd>> Start(LocalRebookdOptions options);
  ~LocalRebookd();

  int port() const { return server_->port(); }
  std::string address() const;
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // A context authenticated as `token` (none if empty) with a 30 s deadline.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) const;
  storage::Store& store() { return db_.store(); }
  // The audit log in the same database (for servers a test starts itself on this store).
  storage::AuditLog& audit_log() { return *audit_log_; }
  // rebookd's --db for this database: the SQLite file or the PostgreSQL URI.
  std::string db() const { return db_.db(); }
  bool postgres() const { return db_.postgres(); }
  // The SQLite file (meaningless on PostgreSQL: check postgres() first).
  std::string db_path() const { return db_.sqlite_path(); }
  api::RebookServer& server() { return *server_; }
  const std::filesystem::path& dir() const { return db_.dir(); }

 private:
  explicit LocalRebookd(const std::string& folder_prefix) : db_(folder_prefix) {}

  TestDatabase db_;
  std::unique_ptr<storage::AuditLog> audit_log_;
  api::TokenRegistry tokens_;
  std::unique_ptr<api::RebookServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace rebook::testing

#endif  // REBOOK_TESTING_REBOOKD_LOCAL_REBOOKD_H_
