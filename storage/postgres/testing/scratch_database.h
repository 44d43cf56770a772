// Test support for the PostgreSQL store's tests: the server they run against and a fresh
// schema per test (ScratchDatabase).
//
// The server is named by REBOOK_TEST_POSTGRES_URL (a superuser's URI, as tools/pg_cluster.sh
// exports it). Without it, tests skip with SkipReason().
//
//   if (ServerUrl().empty()) GTEST_SKIP() << SkipReason();
//   ScratchDatabase db;                       // CREATE SCHEMA rebook_test_<pid>_<n>
//   PgStore::Open({.url = db.url()});         // dropped with the object
#ifndef REBOOK_STORAGE_POSTGRES_TESTING_SCRATCH_DATABASE_H_
#define REBOOK_STORAGE_POSTGRES_TESTING_SCRATCH_DATABASE_H_

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"

namespace rebook::storage::pg_testing {

inline constexpr const char* kUrlVariable = "REBOOK_TEST_POSTGRES_URL";

inline std::string ServerUrl() {
  const char* url = std::getenv(kUrlVariable);
  return url == nullptr ? "" : url;
}

inline std::string SkipReason() {
  if (!ServerUrl().empty()) return "";
  return absl::StrCat(kUrlVariable,
                      " is not set: PostgreSQL tests skipped (run them with "
                      "tools/pg_cluster.sh, see docs/development.md)");
}

// `url` with its database name replaced by `database`.
inline std::string WithDatabase(const std::string& url, const std::string& database) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const std::size_t query = url.find('?');
  const std::string head = url.substr(0, slash == std::string::npos ? query : slash);
  return absl::StrCat(head, "/", database, query == std::string::npos ? "" : url.substr(query));
}

// A fresh, empty schema of its own on the test server, dropped with everything in it when this
// object goes. All tests share one database (kTestDatabase, created on first use) and get a
// schema each through the URI's search_path: a CREATE DATABASE costs about a second, a schema
// a few milliseconds. Advisory locks are per database, so tests running at once queue on the
// write lock of each other's stores; that changes their timing, not their outcome.
class ScratchDatabase {
 public:
  static constexpr const char* kTestDatabase = "rebook_tests";

  ScratchDatabase() {
    static std::atomic<int> counter{0};
    name_ = absl::StrCat("rebook_test_", getpid(), "_", counter++);
    {
      pqxx::connection admin(ServerUrl());
      pqxx::nontransaction tx(admin);
      if (tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", kTestDatabase).empty()) {
        try {
          tx.exec(absl::StrCat("CREATE DATABASE ", kTestDatabase));
        } catch (const pqxx::sql_error& e) {
          // Another test process created it meanwhile.
          if (std::string(e.sqlstate()) != "42P04" && std::string(e.sqlstate()) != "23505") throw;
        }
      }
    }
    pqxx::connection c(WithDatabase(ServerUrl(), kTestDatabase));
    pqxx::nontransaction(c).exec(absl::StrCat("CREATE SCHEMA ", name_));
  }
  ~ScratchDatabase() {
    try {
      pqxx::connection c(WithDatabase(ServerUrl(), kTestDatabase));
      pqxx::nontransaction(c).exec(absl::StrCat("DROP SCHEMA ", name_, " CASCADE"));
    } catch (const std::exception& e) {
      ADD_FAILURE() << "drop " << name_ << ": " << e.what();
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  // The test database, with this schema first on the search path of every session.
  std::string url() const {
    const std::string base = WithDatabase(ServerUrl(), kTestDatabase);
    return absl::StrCat(base, base.find('?') == std::string::npos ? "?" : "&",
                        "options=-csearch_path%3D", name_);
  }

 private:
  std::string name_;
};

}  // namespace rebook::storage::pg_testing

#endif  // REBOOK_STORAGE_POSTGRES_TESTING_SCRATCH_DATABASE_H_
