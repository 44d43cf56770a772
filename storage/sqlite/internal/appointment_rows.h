// The appointments table's row mapping, shared by the store and the benchmark-only raw insert
// (bench/storage_raw) so both write exactly the same column encoding.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_ROWS_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_ROWS_H_

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Statement.h"
#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::storage::sqlite_internal {

// The 22 columns in SELECT order (read by ReadAppointment) and bind order (?1 is the id).
extern const char* const kAppointmentColumns;
// INSERT of one appointment, parameters bound by BindAppointment.
extern const char* const kInsertAppointmentSql;
// UPDATE of every column but the key, WHERE office_id = ?2 AND id = ?1; parameters bound by
// BindAppointment.
extern const char* const kUpdateAppointmentSql;

// Binds all 22 parameters. Text is bound without copying: `a` must outlive the statement's
// next step. Throws SQLite::Exception.
void BindAppointment(SQLite::Statement& statement, const domain::Appointment& a);

// Reads the row the statement is on, whose first 22 columns are kAppointmentColumns.
absl::StatusOr<domain::Appointment> ReadAppointment(SQLite::Statement& statement);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_APPOINTMENT_ROWS_H_
