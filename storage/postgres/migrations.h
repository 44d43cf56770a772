// Versioned schema migrations of the PostgreSQL store.
//
// As in storage/sqlite/migrations.h: the schema is an ordered list of steps 1, 2, 3, ...,
// each recorded in `schema_migrations(version, name, applied_at)`. Opening a store applies the
// steps the database lacks in one transaction that first takes a transaction-scoped advisory
// lock (kMigrationLockKey), so several rebookd replicas starting at once migrate exactly once
// and none sees half a schema (PostgreSQL's DDL is transactional). A database whose highest
// recorded version is above the binary's newest step is refused (FAILED_PRECONDITION).
//
// PostgreSQL step 1 holds the meaning of SQLite steps 1-7 at once (a new backend has no old
// files to upgrade). Later steps mirror SQLite's by meaning, not by number; the mapping is in
// the comment of each step in migrations.cc. To change the schema, APPEND a step.
#ifndef REBOOK_STORAGE_POSTGRES_MIGRATIONS_H_
#define REBOOK_STORAGE_POSTGRES_MIGRATIONS_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "pqxx/pqxx"

namespace rebook::storage::postgres {

struct Migration {
  int version;            // 1-based, consecutive
  std::string_view name;  // short description, recorded in schema_migrations
  std::string_view sql;   // one or more statements; no BEGIN/COMMIT
};

// The advisory lock (pg_advisory_xact_lock) migrations hold: "rebook" in ASCII.
inline constexpr std::int64_t kMigrationLockKey = 0x7265626F6F6B;

// The steps this binary knows, in order.
std::span<const Migration> SchemaMigrations();

// Brings the database of `connection` up to the last of `migrations` (numbered 1..N); returns
// the schema version afterwards. FAILED_PRECONDITION for a newer database; INVALID_ARGUMENT if
// the list is not numbered 1..N; otherwise the mapped PostgreSQL error. Never throws.
absl::StatusOr<int> ApplyMigrations(pqxx::connection& connection,
                                    std::span<const Migration> migrations);

// The highest applied step (0 for an empty database).
absl::StatusOr<int> SchemaVersion(pqxx::connection& connection);

}  // namespace rebook::storage::postgres

#endif  // REBOOK_STORAGE_POSTGRES_MIGRATIONS_H_
