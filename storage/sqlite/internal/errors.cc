#include "storage/sqlite/internal/errors.h"

#include <cerrno>
#include <cstring>
#include <new>

#include "SQLiteCpp/Exception.h"
#include "absl/strings/str_cat.h"
#include "sqlite3.h"

namespace rebook::storage::sqlite_internal {

bool IsBusyCode(int extended_code) {
  int primary = extended_code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

absl::Status StatusFromSqliteCode(int extended_code, const std::string& message,
                                  const std::string& context) {
  std::string text = absl::StrCat(context, ": ", message, " (sqlite code ", extended_code, ")");
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      // These reach clients: say what is wrong in the store's terms, not in SQLite's.
      if (extended_code == SQLITE_CONSTRAINT_UNIQUE ||
          extended_code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(absl::StrCat(context, ": the record exists"));
      }
      if (extended_code == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return absl::FailedPreconditionError(absl::StrCat(
            context, ": other records refer to it, or it refers to a record that does not exist"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat(context, ": a value breaks a rule of the stored data"));
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(text);
    default:
      return absl::InternalError(text);
  }
}

absl::Status StatusFromCurrentException(const std::string& context) {
  try {
    throw;
  } catch (const SQLite::Exception& e) {
    return StatusFromSqliteCode(e.getExtendedErrorCode(), e.what(), context);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(absl::StrCat(context, ": out of memory"));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat(context, ": ", e.what()));
  } catch (...) {
    return absl::InternalError(absl::StrCat(context, ": unknown exception"));
  }
}

int CurrentExceptionSqliteCode() {
  try {
    throw;
  } catch (const SQLite::Exception& e) {
    return e.getExtendedErrorCode();
  } catch (...) {
    return -1;
  }
}

absl::Status StatusFromErrno(const std::string& what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace rebook::storage::sqlite_internal
