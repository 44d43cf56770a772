// CopyRows: rows sent to PostgreSQL with COPY ... FROM STDIN (text format), the server's fastest
// way in: no statement to parse or plan and no parameter arrays to bind, unnest and cast per row.
// An import's appointments, shifts and standing bookings take this path (appointment_insert_
// queries.cc, schedule_bulk_queries.cc); region ingest on the bench cluster: the server's CPU for
// the import fell from ~1.45x to ~1.1x that of `psql` COPYing the same rows
// (docs/deployment-postgres.md, "Measurements").
//
//   CopyRows copy(tx, "shifts", {"office_id", "id", "start_time"});
//   copy.Text(s.office_id).Text(s.id).Time(s.time.start).EndRow();
//   copy.Finish();   // throws as libpqxx does (pqxx::sql_error with the SQLSTATE)
//
// Rows are buffered and sent in blocks of about 1 MiB. While a CopyRows is open its transaction
// runs no other statement. A COPY that fails leaves the transaction aborted: callers run it
// through CopyOrRollBack (below), which rolls back to a savepoint of its own.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_COPY_ROWS_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_COPY_ROWS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "pqxx/pqxx"
#include "pqxx/tablewriter"
#include "storage/postgres/internal/sql.h"

namespace rebook::storage::postgres_internal {

class CopyRows {
 public:
  CopyRows(pqxx::dbtransaction& tx, const std::string& table,
           const std::vector<std::string>& columns);
  CopyRows(const CopyRows&) = delete;
  CopyRows& operator=(const CopyRows&) = delete;

  // One field each, in the columns' order.
  CopyRows& Text(std::string_view value);
  CopyRows& Null();
  CopyRows& Int(std::int64_t value);
  CopyRows& Time(Instant t);  // timestamptz, whole seconds, UTC
  CopyRows& Time(const std::optional<Instant>& t) { return t ? Time(*t) : Null(); }
  void EndRow();

  // Sends what is buffered and ends the COPY; the server checks the rows here at the latest.
  void Finish();

 private:
  void Separate();
  void Flush();

  // libpqxx 6.4 (Debian 12) lets only its deprecated tablewriter send lines of COPY text as
  // they are (stream_to escapes each field itself, one row per call); libpqxx 7 drops it for
  // stream_to::write_raw_line.
  std::unique_ptr<pqxx::tablewriter> writer_;
  std::string buffer_;
  bool row_open_ = false;
};

// Runs `copy` (a COPY through a CopyRows, finished) inside a savepoint of its own. True if the
// rows went in; false if the COPY violated a constraint (class 23: a duplicate key, an unknown
// office), after rolling back to the savepoint, so that the caller's statement path can write
// or name the row. Any other error propagates.
bool CopyOrRollBack(pqxx::dbtransaction& tx, absl::FunctionRef<void()> copy);

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_COPY_ROWS_H_
