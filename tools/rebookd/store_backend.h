// The storage backend rebookd runs on, picked by --db: a PostgreSQL connection URI
// ("postgresql://..." or "postgres://...") opens the PostgreSQL store (storage/postgres), any
// other value is a SQLite database file (storage/sqlite, the default).
//
//   REBOOK_ASSIGN_OR_RETURN(StoreBackend backend, OpenStoreBackend({.db = "rebook.db"}));
//   server uses backend.store (Store), backend.maintenance (backups, metrics) and
//   backend.audit_log, all in the same database.
#ifndef REBOOK_TOOLS_REBOOKD_STORE_BACKEND_H_
#define REBOOK_TOOLS_REBOOKD_STORE_BACKEND_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "storage/audit_log.h"
#include "storage/store.h"
#include "storage/store_maintenance.h"

namespace rebook::rebookd {

struct StoreBackendOptions {
  std::string db;  // --db
  int sqlite_read_connections = 4;
  int postgres_connections = 8;
  bool postgres_serialize_writes = true;    // --pg_serialize_writes (PgStoreOptions)
  bool postgres_refresh_statistics = true;  // --pg_refresh_statistics (PgStoreOptions)
};

struct StoreBackend {
  std::unique_ptr<storage::Store> store;
  storage::StoreMaintenance* maintenance = nullptr;  // the same object as `store`
  std::unique_ptr<storage::AuditLog> audit_log;
  std::string scratch_dir = ".";  // where online backups are staged (SQLite: the file's folder)
  bool postgres = false;
};

// True for a PostgreSQL connection URI.
bool IsPostgresUrl(const std::string& db);

absl::StatusOr<StoreBackend> OpenStoreBackend(const StoreBackendOptions& options);

}  // namespace rebook::rebookd

#endif  // REBOOK_TOOLS_REBOOKD_STORE_BACKEND_H_
