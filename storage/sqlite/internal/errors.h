// The storage edge: SQLiteCpp and SQLite report errors as exceptions and result codes; callers
// of the store only ever see absl::Status. This file is the one place that maps them.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_ERRORS_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_ERRORS_H_

#include <exception>
#include <string>

#include "absl/status/status.h"

namespace rebook::storage::sqlite_internal {

// True for SQLITE_BUSY and SQLITE_LOCKED (any extended code): another connection holds a lock
// the statement needs. The transaction runner waits and retries these; they never reach callers.
bool IsBusyCode(int extended_code);

// Maps an SQLite (extended) result code to a status:
//   constraint UNIQUE / PRIMARYKEY  -> ALREADY_EXISTS
//   other constraints (FOREIGNKEY, CHECK, NOTNULL, ...) -> FAILED_PRECONDITION
//   IOERR, FULL, CANTOPEN, NOLFS, PROTOCOL -> UNAVAILABLE
//   BUSY / LOCKED -> UNAVAILABLE (only if a caller did not retry them)
//   anything else (CORRUPT, NOTADB, MISUSE, ...) -> INTERNAL
// `context` says what was being done, e.g. "insert appointment a-17". Constraint failures reach
// clients, so their message is `context` and a plain description, never SQLite's own text.
absl::Status StatusFromSqliteCode(int extended_code, const std::string& message,
                                  const std::string& context);

// Maps the exception currently being handled (call only inside a catch block). SQLite::Exception
// maps by code; std::bad_alloc to RESOURCE_EXHAUSTED; any other std::exception to INTERNAL.
absl::Status StatusFromCurrentException(const std::string& context);

// The extended SQLite code of the exception currently being handled, or -1 if it is not an
// SQLite::Exception.
int CurrentExceptionSqliteCode();

// A failed system call, from `errno`: UNAVAILABLE with `what` and the system's description
// (e.g. "fsync /var/lib/rebook/rebook.db: No space left on device").
absl::Status StatusFromErrno(const std::string& what);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_ERRORS_H_
