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

absl::StatusOr<std::vector<RawTable>> RawReadTables(const std::string& path,
                                                    std::span<const std::string> tables) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY, /*busy ms=*/5000);
    std::vector<RawTable> out;
    for (const std::string& name : tables) {
      RawTable& t = out.emplace_back();
      t.name = name;
      // The stored columns only: generated ones (standing_bookings.office_ref) cannot be
      // inserted.
      SQLite::Statement names(db, "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0");
      names.bind(1, name);
      while (names.executeStep()) {
        t.column_list += (t.column_list.empty() ? "" : ", ") + names.getColumn(0).getString();
      }
      SQLite::Statement q(db, "SELECT " + t.column_list + " FROM " + name);
      t.columns = q.getColumnCount();
      while (q.executeStep()) {
        std::vector<RawValue>& row = t.rows.emplace_back(t.columns);
        for (int c = 0; c < t.columns; ++c) {
          SQLite::Column col = q.getColumn(c);
          RawValue& v = row[c];
          v.type = col.getType();
          if (v.type == SQLite::INTEGER) v.integer = col.getInt64();
          if (v.type == SQLite::FLOAT) v.real = col.getDouble();
          if (v.type == SQLite::TEXT || v.type == SQLite::BLOB) {
            v.bytes.assign(static_cast<const char*>(col.getBlob()), col.getBytes());
          }
        }
      }
    }
    return out;
  } catch (...) {
    return storage::sqlite_internal::StatusFromCurrentException("raw read of tables");
  }
}

absl::Status RawInsertRows(const std::string& path, std::span<const RawTable> tables) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, /*busy ms=*/5000);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.exec("PRAGMA foreign_keys=OFF");
    db.exec(storage::sqlite_internal::kWriterCacheSizePragma);
    REBOOK_RETURN_IF_ERROR(
        storage::sqlite::ApplyMigrations(db, storage::sqlite::SchemaMigrations()).status());

    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const RawTable& t : tables) {
      std::string sql = "INSERT INTO " + t.name +
                        (t.column_list.empty() ? "" : " (" + t.column_list + ")") + " VALUES (";
      for (int c = 0; c < t.columns; ++c) sql += c == 0 ? "?" : ", ?";
      SQLite::Statement insert(db, sql + ")");
      for (const std::vector<RawValue>& row : t.rows) {
        for (int c = 0; c < t.columns; ++c) {
          const RawValue& v = row[c];
          if (v.type == SQLite::INTEGER) insert.bind(c + 1, static_cast<int64_t>(v.integer));
          if (v.type == SQLite::FLOAT) insert.bind(c + 1, v.real);
          if (v.type == SQLite::TEXT) insert.bindNoCopy(c + 1, v.bytes);
          if (v.type == SQLite::BLOB) {
            insert.bindNoCopy(c + 1, v.bytes.data(), static_cast<int>(v.bytes.size()));
          }
          if (v.type == SQLite::Null) insert.bind(c + 1);
        }
        insert.exec();
        insert.reset();
      }
    }
    tx.commit();
    return absl::OkStatus();
  } catch (...) {
    return storage::sqlite_internal::StatusFromCurrentException("raw insert of rows");
  }
}

}  // namespace rebook::bench
