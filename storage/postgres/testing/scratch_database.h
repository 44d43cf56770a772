// Test support for the PostgreSQL store's tests: the server they run against and a fresh
// database per test.
//
// The server is named by REBOOK_TEST_POSTGRES_URL (a superuser's URI, as tools/pg_cluster.sh
// exports it). Without it, tests skip with SkipReason().
//
//   if (ServerUrl().empty()) GTEST_SKIP() << SkipReason();
//   ScratchDatabase db;                       // CREATE DATABASE rebook_test_<pid>_<n>
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

// A fresh database on the test server, dropped (with whatever still connects to it) when this
// object goes.
class ScratchDatabase {
 public:
  ScratchDatabase() {
    static std::atomic<int> counter{0};
    name_ = absl::StrCat("rebook_test_", getpid(), "_", counter++);
    pqxx::connection admin(ServerUrl());
    // FILE_COPY: five times faster than PostgreSQL 15's default WAL_LOG for a small template.
    pqxx::nontransaction(admin).exec(
        absl::StrCat("CREATE DATABASE ", name_, " STRATEGY FILE_COPY"));
  }
  ~ScratchDatabase() {
    try {
      pqxx::connection admin(ServerUrl());
      pqxx::nontransaction(admin).exec(absl::StrCat("DROP DATABASE ", name_, " WITH (FORCE)"));
    } catch (const std::exception& e) {
      ADD_FAILURE() << "drop " << name_ << ": " << e.what();
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  std::string url() const { return WithDatabase(ServerUrl(), name_); }

 private:
  std::string name_;
};

}  // namespace rebook::storage::pg_testing

#endif  // REBOOK_STORAGE_POSTGRES_TESTING_SCRATCH_DATABASE_H_
