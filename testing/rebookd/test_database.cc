#include "testing/rebookd/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/postgres/pg_audit_log.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/scratch_database.h"
#include "storage/sqlite/sqlite_audit_log.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/store/temp_store.h"

namespace rebook::testing {

namespace {

// Drops `name` on the server of `admin_url`. A leftover database of a throwaway cluster harms
// no later test: a failure is said on stderr and the caller goes on.
void DropDatabase(const std::string& admin_url, const std::string& name) {
  try {
    pqxx::connection admin(admin_url);
    pqxx::nontransaction(admin).exec(
        absl::StrCat("DROP DATABASE IF EXISTS ", name, " WITH (FORCE)"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "drop database %s: %s\n", name.c_str(), e.what());
  }
}

// A database with the schema migrated, made once per process and dropped at its exit: a copy
// of it (CREATE DATABASE ... TEMPLATE) costs a fraction of migrating a fresh one per server.
class MigratedTemplateDatabase {
 public:
  explicit MigratedTemplateDatabase(const std::string& admin_url)
      : admin_url_(admin_url), name_(absl::StrCat("rebook_template_", getpid())) {
    try {
      pqxx::connection admin(admin_url_);
      pqxx::nontransaction(admin).exec(absl::StrCat("CREATE DATABASE ", name_));
      created_ = true;
    } catch (const std::exception& e) {
      status_ = absl::UnavailableError(absl::StrCat("create database ", name_, ": ", e.what()));
      return;
    }
    // Opening migrates; closing leaves no session on it, as a template needs.
    status_ = storage::PgStore::Open(
                  {.url = storage::pg_testing::WithDatabase(admin_url_, name_), .connections = 1})
                  .status();
  }
  ~MigratedTemplateDatabase() {
    if (!created_) return;
    DropDatabase(admin_url_, name_);
  }
  const absl::Status& status() const { return status_; }
  const std::string& name() const { return name_; }

 private:
  std::string admin_url_;
  std::string name_;
  bool created_ = false;
  absl::Status status_;
};

absl::StatusOr<std::string> MigratedTemplate(const std::string& admin_url) {
  static MigratedTemplateDatabase made(admin_url);  // dropped at exit
  REBOOK_RETURN_IF_ERROR(made.status());
  return made.name();
}

}  // namespace

bool TestDatabase::PostgresSelected() {
  const char* backend = std::getenv(kTestBackendVariable);
  return backend != nullptr && std::string(backend) == "postgres";
}

TestDatabase::TestDatabase(absl::string_view prefix) : dir_(prefix) {
  if (PostgresSelected()) {
    status_ = CreatePostgres();
    return;
  }
  absl::StatusOr<std::unique_ptr<storage::Store>> store = OpenStoreFile(sqlite_path());
  if (store.ok()) {
    store_ = std::move(*store);
  } else {
    status_ = store.status();
  }
}

absl::Status TestDatabase::CreatePostgres() {
  admin_url_ = storage::pg_testing::ServerUrl();
  if (admin_url_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(kTestBackendVariable, "=postgres needs ", kTestPostgresUrlVariable,
                     " (tools/pg_cluster.sh, see docs/development.md)"));
  }
  static std::atomic<int> counter{0};
  const std::string name = absl::StrCat("rebook_e2e_", getpid(), "_", counter++);
  REBOOK_ASSIGN_OR_RETURN(const std::string template_name, MigratedTemplate(admin_url_));
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction(admin).exec(
        absl::StrCat("CREATE DATABASE ", name, " TEMPLATE ", template_name));
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("create database ", name, ": ", e.what()));
  }
  name_ = name;
  url_ = storage::pg_testing::WithDatabase(admin_url_, name_);
  // rebookd's defaults (PgStoreOptions), as --db=<url> gives them.
  REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<storage::PgStore> store,
                          storage::PgStore::Open({.url = url_}));
  store_ = std::move(store);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<storage::AuditLog>> TestDatabase::OpenAuditLog() const {
  if (postgres()) {
    REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<storage::PgAuditLog> log,
                            storage::PgAuditLog::Open({.url = url_}));
    return std::unique_ptr<storage::AuditLog>(std::move(log));
  }
  // As rebookd opens it: on the store's connections while the store is open.
  auto* sqlite = dynamic_cast<storage::SqliteStore*>(store_.get());
  REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<storage::SqliteAuditLog> log,
                          sqlite != nullptr
                              ? storage::SqliteAuditLog::Open(*sqlite)
                              : storage::SqliteAuditLog::Open({.path = sqlite_path()}));
  return std::unique_ptr<storage::AuditLog>(std::move(log));
}

TestDatabase::~TestDatabase() {
  store_.reset();
  if (name_.empty()) return;
  if (std::getenv("REBOOK_KEEP_TEST_DIR") != nullptr) return;
  DropDatabase(admin_url_, name_);
}

}  // namespace rebook::testing
