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

#include <span>
#include <string>

#include "absl/status/status.h"
#include "services/domain/model.h"

namespace rebook::bench {

// Inserts `appointments` into the database file at `path` in one transaction, creating the
// file and its schema (the store's migrations) if needed. Their offices and services must
// exist already (FAILED_PRECONDITION otherwise); a duplicate id is ALREADY_EXISTS. On error
// nothing is inserted. Never throws.
absl::Status RawInsertAppointments(const std::string& path,
                                   std::span<const domain::Appointment> appointments);

}  // namespace rebook::bench

#endif  // REBOOK_BENCH_STORAGE_RAW_RAW_INSERT_H_
