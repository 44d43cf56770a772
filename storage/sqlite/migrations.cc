#include "storage/sqlite/migrations.h"

#include <array>
#include <string>

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/strings/str_cat.h"
#include "storage/sqlite/internal/errors.h"

namespace rebook::storage::sqlite {
namespace {

// Step 1: the records of storage/store.h. Instants are INTEGER unix seconds (UTC); enums are
// stored by domain name; see internal/row_codec.h for the packed list columns.
// Foreign keys: appointment -> office, service; shift -> clerk, office (so deleting a referenced
// office, service or clerk fails). Child rows (skills, outage offices) cascade with their owner.
constexpr std::string_view kCoreSchema = R"sql(
CREATE TABLE offices (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  address TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE services (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  duration_min INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE clerks (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  home_office_id TEXT NOT NULL  -- '' if none
) WITHOUT ROWID;
CREATE INDEX clerks_by_home_office ON clerks(home_office_id);

CREATE TABLE clerk_skills (
  clerk_id TEXT NOT NULL REFERENCES clerks(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  service_id TEXT NOT NULL,
  PRIMARY KEY (clerk_id, position)
) WITHOUT ROWID;

CREATE TABLE shifts (
  office_id TEXT NOT NULL REFERENCES offices(id),
  id TEXT NOT NULL,
  clerk_id TEXT NOT NULL REFERENCES clerks(id),
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (office_id, id)
) WITHOUT ROWID;
CREATE INDEX shifts_by_clerk ON shifts(clerk_id, start_time);
CREATE INDEX shifts_by_start ON shifts(start_time);

CREATE TABLE closures (
  office_id TEXT NOT NULL,
  date TEXT NOT NULL,  -- YYYY-MM-DD in the office's zone
  reason TEXT NOT NULL,
  PRIMARY KEY (office_id, date)
) WITHOUT ROWID;

CREATE TABLE standing_bookings (
  office_id TEXT NOT NULL,  -- '' if the booking lies in no shift
  id TEXT NOT NULL,
  clerk_id TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  PRIMARY KEY (office_id, id)
) WITHOUT ROWID;
CREATE INDEX standing_bookings_by_clerk ON standing_bookings(clerk_id, start_time);
CREATE INDEX standing_bookings_by_start ON standing_bookings(start_time);

CREATE TABLE outages (
  id TEXT PRIMARY KEY NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  cause TEXT NOT NULL,
  state TEXT NOT NULL,
  declare_time INTEGER NOT NULL,
  close_time INTEGER,
  close_reason TEXT NOT NULL,
  cancelled_appointments INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX outages_by_state ON outages(state);

CREATE TABLE outage_offices (
  outage_id TEXT NOT NULL REFERENCES outages(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  office_id TEXT NOT NULL,
  PRIMARY KEY (outage_id, position)
) WITHOUT ROWID;
CREATE INDEX outage_offices_by_office ON outage_offices(office_id);

CREATE TABLE appointments (
  id TEXT PRIMARY KEY NOT NULL,
  office_id TEXT NOT NULL REFERENCES offices(id),
  service_id TEXT NOT NULL REFERENCES services(id),
  original_start INTEGER NOT NULL,
  earliest_start INTEGER,
  deadline INTEGER,
  priority INTEGER NOT NULL,
  cases INTEGER NOT NULL,
  allowed_offices TEXT,  -- packed string list, NULL if empty
  unavailable TEXT,      -- packed interval list, NULL if empty
  kind TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  contact_postal_address TEXT NOT NULL,
  contact_language TEXT NOT NULL,
  contact_channel TEXT NOT NULL,
  status TEXT NOT NULL,
  outage_id TEXT,  -- NULL if none
  status_reason TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX appointments_by_start ON appointments(original_start, id);
CREATE INDEX appointments_by_office ON appointments(office_id, original_start, id);
CREATE INDEX appointments_by_service ON appointments(service_id);
CREATE INDEX appointments_by_status ON appointments(status, original_start);
CREATE INDEX appointments_by_outage ON appointments(outage_id) WHERE outage_id IS NOT NULL;

CREATE TABLE requests (
  request_id TEXT PRIMARY KEY NOT NULL,
  method TEXT NOT NULL,
  fingerprint BLOB NOT NULL,
  response BLOB NOT NULL
);
)sql";

constexpr std::array<Migration, 1> kMigrations = {{
    {1,
     "core records: offices, services, clerks, shifts, closures, bookings, outages, "
     "appointments, requests",
     kCoreSchema},
}};

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at INTEGER NOT NULL)";

int ReadVersion(SQLite::Database& db) {
  if (!db.tableExists("schema_migrations")) return 0;
  SQLite::Statement query(db, "SELECT IFNULL(MAX(version), 0) FROM schema_migrations");
  query.executeStep();
  return query.getColumn(0).getInt();
}

absl::Status TooNew(int found, std::size_t known) {
  return absl::FailedPreconditionError(absl::StrCat("database schema version ", found,
                                                    " is newer than this binary, which knows ",
                                                    "versions up to ", known, "; upgrade rebook"));
}

}  // namespace

std::span<const Migration> SchemaMigrations() { return kMigrations; }

absl::StatusOr<int> SchemaVersion(SQLite::Database& db) {
  try {
    return ReadVersion(db);
  } catch (...) {
    return sqlite_internal::StatusFromCurrentException("read schema version");
  }
}

absl::StatusOr<int> ApplyMigrations(SQLite::Database& db, std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InvalidArgumentError(absl::StrCat("migration #", i + 1, " has version ",
                                                     migrations[i].version, "; must be 1..N"));
    }
  }
  const int known = static_cast<int>(migrations.size());
  try {
    // Fast path without the write lock: an up-to-date file is the common case.
    int version = ReadVersion(db);
    if (version == known) return version;
    if (version > known) return TooNew(version, migrations.size());

    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(kCreateMigrationsTable);
    version = ReadVersion(db);  // another process may have migrated meanwhile
    if (version > known) return TooNew(version, migrations.size());
    SQLite::Statement record(db,
                             "INSERT INTO schema_migrations(version, name, applied_at) "
                             "VALUES (?, ?, CAST(strftime('%s', 'now') AS INTEGER))");
    for (int v = version + 1; v <= known; ++v) {
      const Migration& step = migrations[static_cast<std::size_t>(v - 1)];
      db.exec(std::string(step.sql));
      record.bind(1, step.version);
      record.bind(2, std::string(step.name));
      record.exec();
      record.reset();
    }
    tx.commit();
    return known;
  } catch (...) {
    return sqlite_internal::StatusFromCurrentException("apply schema migrations");
  }
}

}  // namespace rebook::storage::sqlite
