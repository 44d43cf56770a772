#include "tools/rebookd/store_backend.h"

#include <utility>

#include "services/common/status_macros.h"
#include "storage/postgres/pg_audit_log.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_audit_log.h"
#include "storage/sqlite/sqlite_store.h"

namespace rebook::rebookd {
namespace {

std::string FolderOf(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? std::string("/") : std::string(path.data(), slash);
}

}  // namespace

bool IsPostgresUrl(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

absl::StatusOr<StoreBackend> OpenStoreBackend(const StoreBackendOptions& options) {
  StoreBackend backend;
  if (IsPostgresUrl(options.db)) {
    REBOOK_ASSIGN_OR_RETURN(
        std::unique_ptr<storage::PgStore> store,
        storage::PgStore::Open({.url = options.db,
                                .connections = options.postgres_connections,
                                .serialize_writes = options.postgres_serialize_writes,
                                .refresh_statistics = options.postgres_refresh_statistics}));
    REBOOK_ASSIGN_OR_RETURN(backend.audit_log, storage::PgAuditLog::Open({.url = options.db}));
    backend.maintenance = store.get();
    backend.store = std::move(store);
    backend.postgres = true;
    return backend;
  }
  REBOOK_ASSIGN_OR_RETURN(
      std::unique_ptr<storage::SqliteStore> store,
      storage::SqliteStore::Open(
          {.path = options.db, .read_connections = options.sqlite_read_connections}));
  // On the store's connections: the audit's commits then leave the store writer's page cache
  // warm (sqlite_audit_log.h).
  REBOOK_ASSIGN_OR_RETURN(backend.audit_log, storage::SqliteAuditLog::Open(*store));
  backend.maintenance = store.get();
  backend.store = std::move(store);
  backend.scratch_dir = FolderOf(options.db);
  return backend;
}

}  // namespace rebook::rebookd
