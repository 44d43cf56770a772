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

#include <functional>
#include <string>
#include <string_view>

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

// The statement for one row updated with the 32 parameters of BindAppointment (the UPDATE's
// own, appointment_rows.h), keyed by ?2 (office) and ?1 (id).
const std::string& AppointmentRowUpdateEventSql();

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_FEED_H_
