// TestDatabase: the database behind one test server, of the backend the environment picks.
// SQLite, the default: "rebook.db" in a fresh scratch folder. With REBOOK_TEST_BACKEND=postgres:
// a fresh database of its own on the PostgreSQL server named by REBOOK_TEST_POSTGRES_URL (a
// superuser's URI, as tools/pg_cluster.sh exports it), dropped with the object. The scratch
// folder exists on both backends, for the files a test writes beside its server.
//
//   TestDatabase db("rebook-e2e");
//   ASSERT_TRUE(db.status().ok()) << db.status();
//   Serve(db.store());                       // storage::Store, either backend
//   RunRebookd("--db=" + db.db());           // the same database for a rebookd process
//   // destructor: closes the store, drops the database (PostgreSQL), removes the folder
//
// Tests that look at the SQLite file itself skip on PostgreSQL:
//   if (TestDatabase::PostgresSelected()) GTEST_SKIP() << "reads the SQLite file";
// Not thread-safe itself; the Store it hands out is (storage/store.h).
#ifndef REBOOK_TESTING_REBOOKD_TEST_DATABASE_H_
#define REBOOK_TESTING_REBOOKD_TEST_DATABASE_H_

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/audit_log.h"
#include "storage/store.h"
#include "testing/files.h"

namespace rebook::testing {

// The variables that pick the backend.
inline constexpr const char* kTestBackendVariable = "REBOOK_TEST_BACKEND";
inline constexpr const char* kTestPostgresUrlVariable = "REBOOK_TEST_POSTGRES_URL";

class TestDatabase {
 public:
  // True when REBOOK_TEST_BACKEND is "postgres".
  static bool PostgresSelected();

  // A fresh folder "<prefix>-XXXXXX" and a fresh, migrated database. On PostgreSQL without
  // REBOOK_TEST_POSTGRES_URL, status() is FAILED_PRECONDITION saying so.
  explicit TestDatabase(absl::string_view prefix);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // Why the database did not open; store() must not be called then.
  const absl::Status& status() const { return status_; }
  storage::Store& store() { return *store_; }
  bool postgres() const { return !url_.empty(); }
  // rebookd's --db for this database: the SQLite file or the PostgreSQL URI.
  std::string db() const { return postgres() ? url_ : sqlite_path(); }
  // The SQLite file (meaningless on PostgreSQL).
  std::string sqlite_path() const { return dir_.File("rebook.db"); }
  const std::filesystem::path& dir() const { return dir_.path(); }
  // The audit log in the same database.
  absl::StatusOr<std::unique_ptr<storage::AuditLog>> OpenAuditLog() const;
  // Closes the store, keeping the database (for a process that opens it).
  void Close() { store_.reset(); }

 private:
  absl::Status CreatePostgres();

  ScopedTempDir dir_;
  std::string admin_url_;  // the server's URI (PostgreSQL only)
  std::string name_;       // the database's name (PostgreSQL only)
  std::string url_;        // its URI (PostgreSQL only)
  absl::Status status_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace rebook::testing

#endif  // REBOOK_TESTING_REBOOKD_TEST_DATABASE_H_
