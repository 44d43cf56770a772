#include "bench/storage_raw/raw_insert.h"

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/appointment_rows.h"
#include "storage/sqlite/internal/connection.h"
#include "storage/sqlite/internal/errors.h"
#include "storage/sqlite/migrations.h"

namespace rebook::bench {

absl::Status RawInsertAppointments(const std::string& path,
                                   std::span<const domain::Appointment> appointments) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, /*busy ms=*/5000);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.exec("PRAGMA foreign_keys=ON");
    db.exec(storage::sqlite_internal::kWriterCacheSizePragma);
    REBOOK_RETURN_IF_ERROR(
        storage::sqlite::ApplyMigrations(db, storage::sqlite::SchemaMigrations()).status());

    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement insert(db, storage::sqlite_internal::kInsertAppointmentSql);
    for (const domain::Appointment& a : appointments) {
      storage::sqlite_internal::BindAppointment(insert, a);
      insert.exec();
      insert.reset();
    }
    tx.commit();
    return absl::OkStatus();
  } catch (...) {
    return storage::sqlite_internal::StatusFromCurrentException("raw insert of appointments");
  }
}

}  // namespace rebook::bench
