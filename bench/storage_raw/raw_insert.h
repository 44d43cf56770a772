// BENCHMARK ONLY: the plainest possible bulk insert of appointments into a store's file.
// It lives in bench/ (library rebook::bench_storage_raw) so no production binary links it.
//
// This is the baseline that the gRPC streaming import is measured against. It writes the same
// rows as SqliteStore::InsertAppointments (same table, same column encoding, same pragmas: WAL,
// synchronous=FULL, foreign_keys=ON, the writer's cache size), but with none of the store's
// machinery: one connection, one BEGIN IMMEDIATE transaction, one prepared INSERT bound by index
// and re-run per row, one COMMIT. No busy handling beyond SQLite's own 5 s busy timeout, no
// savepoint, no retries. Production code must use SqliteStore.
//
//   REBOOK_RETURN_IF_ERROR(bench::RawInsertAppointments(path, appointments));
#ifndef REBOOK_BENCH_STORAGE_RAW_RAW_INSERT_H_
#define REBOOK_BENCH_STORAGE_RAW_RAW_INSERT_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::bench {

// Inserts `appointments` into the database file at `path` in one transaction, creating the
// file and its schema (the store's migrations) if needed. Their offices and services must
// exist already (FAILED_PRECONDITION otherwise); a duplicate id is ALREADY_EXISTS. On error
// nothing is inserted. Never throws.
absl::Status RawInsertAppointments(const std::string& path,
                                   std::span<const domain::Appointment> appointments);

// One stored value: its SQLite type (SQLITE_INTEGER, _FLOAT, _TEXT, _BLOB or _NULL) and content.
struct RawValue {
  int type = 5;  // SQLITE_NULL
  std::int64_t integer = 0;
  double real = 0;
  std::string bytes;  // text or blob
};

// Rows read from one table, every value as SQLite stored it (for RawInsertRows).
struct RawTable {
  std::string name;
  int columns = 0;
  std::string column_list;  // "a, b, c": the stored columns read (empty: every column)
  std::vector<std::vector<RawValue>> rows;
};

// Reads every row of `tables` from the database file at `path` (read-only).
absl::StatusOr<std::vector<RawTable>> RawReadTables(const std::string& path,
                                                    std::span<const std::string> tables);

// Inserts `tables` into the database file at `path`, created with the store's schema if
// needed, in one transaction: one prepared INSERT per table, bound by index and re-run per
// row, same pragmas as RawInsertAppointments but foreign_keys=OFF (the rows they refer to are
// not copied). The baseline for writes other than an import, e.g. a plan commit's offers and
// outbox messages. On error nothing is inserted.
absl::Status RawInsertRows(const std::string& path, std::span<const RawTable> tables);

}  // namespace rebook::bench

#endif  // REBOOK_BENCH_STORAGE_RAW_RAW_INSERT_H_
