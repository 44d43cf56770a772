// The change feed's events of appointment UPDATEs (storage/change_feed_store.h), written by the
// store's UPDATE paths instead of a per-row trigger (schema step 12 dropped the trigger of step
// 9: firing it cost each updated row a statement journal and its OLD and NEW rows, half of a
// bulk update's time; bench/pipeline/update_cost.py).
//
// Every statement that updates appointments (appointment_queries.cc: UpdateAppointment,
// UpdateAppointments, SetAppointmentStatus) runs the INSERT built here first, in the same
// savepoint and for the same rows, so that it sees each row before the change. The statement
// is the old trigger's body with NEW.x replaced by the value the UPDATE is about to store, so
// the events are the same: their kinds, contents, and one per changed row in the order the
// rows are written. The insert and delete triggers of step 9 stay.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_FEED_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_FEED_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "SQLiteCpp/Statement.h"
#include "storage/sqlite/internal/statement_text.h"

namespace rebook::storage::sqlite_internal {

// INSERT INTO change_events ... SELECT over `appointments o` `where` (a WHERE clause over the
// row's unqualified or `o.` columns, with a leading " WHERE"), one event per row whose feed
// columns change, in `order` (" ORDER BY ...", or empty). `new_value(column)` is the SQL
// expression of the column's value after the update: a parameter, `o.column` for a column the
// update keeps, or NULL. Expressions come before `where` in the text, so numbered parameters
// (?1..?N) in them leave the `where`'s anonymous `?` numbered from N+1.
std::string AppointmentUpdateEventsSql(
    const std::function<std::string(std::string_view column)>& new_value, std::string_view where,
    std::string_view order);

// SELECT of the events AppointmentUpdateEventsSql inserts: the 22 columns of
// kChangeEventColumns, in order.
std::string AppointmentUpdateEventsSelect(
    const std::function<std::string(std::string_view column)>& new_value, std::string_view where,
    std::string_view order);

// The columns of change_events a statement above writes, in order.
extern const char* const kChangeEventColumns;
inline constexpr int kChangeEventColumnCount = 22;

// The statement for one row updated with the 32 parameters of BindAppointment (the UPDATE's
// own, appointment_rows.h), keyed by ?2 (office) and ?1 (id).
const std::string& AppointmentRowUpdateEventSql();
// Its SELECT alone (read-only: no statement journal), for a bulk update that buffers the
// events and writes them in multi-row INSERTs (ChangeEventBuffer).
const std::string& AppointmentRowUpdateEventSelect();

// Events read with a SELECT above, kept in order until written with Shape()'s statements.
class ChangeEventBuffer {
 public:
  // Appends the event of the row `select` is on.
  void Add(SQLite::Statement& select);
  std::size_t size() const { return cells_.size() / kChangeEventColumnCount; }
  void clear() { cells_.clear(); }
  // Binds event `event` at parameters base+1..base+22 without copying: the buffer must
  // outlive the statement's next step.
  void Bind(SQLite::Statement& insert, std::size_t event, int base) const;
  // The multi-row INSERT of events (statement_text.h).
  static const MultiRowInsert& Shape();

 private:
  struct Cell {
    int type = 0;  // SQLITE_INTEGER, SQLITE_TEXT or SQLITE_NULL
    std::int64_t integer = 0;
    std::string text;
  };
  std::vector<Cell> cells_;  // kChangeEventColumnCount per event
};

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_FEED_H_
