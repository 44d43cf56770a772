// The appointments table's row mapping, shared by the store and the benchmark-only raw insert
// (bench/storage_raw) so both write exactly the same column encoding.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_ROWS_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_ROWS_H_

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Statement.h"
#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::storage::sqlite_internal {

// The 32 columns (22 of the record, 10 of its slots) in SELECT order (read by ReadAppointment) and
// bind order (?1 is the id).
extern const char* const kAppointmentColumns;
// INSERT of one appointment, parameters bound by BindAppointment.
extern const char* const kInsertAppointmentSql;
// INSERT of the 22 columns schema versions 1 to 7 have (no slots), for tests that write old
// files; BindAppointment binds only what the statement has.
extern const char* const kInsertAppointmentCoreSql;
// UPDATE of every column but the key, WHERE office_id = ?2 AND id = ?1; parameters bound by
// BindAppointment.
extern const char* const kUpdateAppointmentSql;
// The same UPDATE limited to the lifecycle columns (status, reason, update time, slots), for a
// row whose other columns already hold the bound values (it changes no row otherwise). SQLite
// rewrites only the indexes over the columns an UPDATE sets, so this one touches 4 of the 8
// indexes of appointments instead of all of them.
extern const char* const kUpdateAppointmentLifecycleSql;

// Binds all 32 parameters (22 if the statement has no more: kInsertAppointmentCoreSql), as
// ?base+1..?base+32 (a multi-row INSERT binds row r at base 32 r). A slot that does not match
// the status binds as NULL (store.h). Text is bound without copying: `a` must outlive the
// statement's next step. Throws SQLite::Exception.
void BindAppointment(SQLite::Statement& statement, const domain::Appointment& a, int base = 0);

// Reads the row the statement is on, whose first 32 columns are kAppointmentColumns.
absl::StatusOr<domain::Appointment> ReadAppointment(SQLite::Statement& statement);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_ROWS_H_
