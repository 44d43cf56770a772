// Versioned schema migrations of the SQLite store.
//
// The schema is the result of applying an ordered list of steps, numbered 1, 2, 3, ...
// Each applied step is recorded in the table `schema_migrations(version, name, applied_at)`.
// Opening a store applies the steps the file lacks, all in one IMMEDIATE transaction, so a
// crash or a concurrent opener never sees half a schema. A file whose highest recorded version
// is above the binary's newest step is refused (FAILED_PRECONDITION): an older binary must not
// write to a newer schema. Foreign keys are deferred while the steps run and checked before the
// commit: a file whose rows break a constraint a step adds is refused (FAILED_PRECONDITION,
// naming the rows) and left as it was.
//
// To change the schema, APPEND a step to the list in migrations.cc (never edit or reorder an
// applied one). Step 2 added plans, offers and the outbox.
#ifndef REBOOK_STORAGE_SQLITE_MIGRATIONS_H_
#define REBOOK_STORAGE_SQLITE_MIGRATIONS_H_

#include <span>
#include <string_view>

#include "SQLiteCpp/Database.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rebook::storage::sqlite {

struct Migration {
  int version;            // 1-based, consecutive
  std::string_view name;  // short description, recorded in schema_migrations
  std::string_view sql;   // one or more statements; no BEGIN/COMMIT
};

// The steps this binary knows, in order.
std::span<const Migration> SchemaMigrations();

// Brings `db` up to the last of `migrations` (which must be numbered 1..N). Waits for the
// write lock as `db`'s busy handler allows. Returns the schema version afterwards.
// Errors: FAILED_PRECONDITION if the file is newer than `migrations` or its rows break a
// foreign key after the steps; INVALID_ARGUMENT if the list is not numbered 1..N; UNAVAILABLE /
// INTERNAL from SQLite. Never throws.
absl::StatusOr<int> ApplyMigrations(SQLite::Database& db, std::span<const Migration> migrations);

// The highest version recorded in `db`, 0 for a file without schema_migrations. Never throws.
absl::StatusOr<int> SchemaVersion(SQLite::Database& db);

}  // namespace rebook::storage::sqlite

#endif  // REBOOK_STORAGE_SQLITE_MIGRATIONS_H_
