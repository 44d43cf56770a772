#include "storage/postgres/internal/errors.h"

#include <exception>
#include <stdexcept>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"

namespace rebook::storage::postgres_internal {
namespace {

std::string Message(std::string_view what, std::string_view detail) {
  std::string text(detail);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return absl::StrCat(std::string(what), ": ", text);
}

}  // namespace

absl::Status StatusFromSqlState(std::string_view sqlstate, std::string_view what,
                                std::string_view message) {
  const std::string text = Message(what, message);
  auto starts = [&](std::string_view prefix) {
    return absl::StartsWith(absl::string_view(sqlstate.data(), sqlstate.size()),
                            absl::string_view(prefix.data(), prefix.size()));
  };
  if (sqlstate == "23505") return absl::AlreadyExistsError(text);
  if (starts("23")) return absl::FailedPreconditionError(text);
  if (IsRetryableSqlState(sqlstate)) return absl::AbortedError(text);
  if (sqlstate == "55P03" || sqlstate == "57014") return absl::DeadlineExceededError(text);
  if (sqlstate == "25006") return absl::FailedPreconditionError(text);
  if (starts("08") || starts("53") || starts("57P")) return absl::UnavailableError(text);
  return absl::InternalError(absl::StrCat(text, " (SQLSTATE ", std::string(sqlstate), ")"));
}

absl::Status StatusFromCurrentException(std::string_view what, bool* retryable) {
  try {
    throw;
  } catch (const pqxx::sql_error& e) {
    if (IsRetryableSqlState(e.sqlstate()) || IsCursorCollision(e.sqlstate(), e.what())) {
      if (retryable != nullptr) *retryable = true;
      return StatusFromSqlState("40001", what, e.what());
    }
    return StatusFromSqlState(e.sqlstate(), what, e.what());
  } catch (const pqxx::serialization_failure& e) {
    // libpqxx 6 reports class 40 as exceptions without a SQLSTATE.
    if (retryable != nullptr) *retryable = true;
    return StatusFromSqlState("40001", what, e.what());
  } catch (const pqxx::deadlock_detected& e) {
    if (retryable != nullptr) *retryable = true;
    return StatusFromSqlState("40P01", what, e.what());
  } catch (const pqxx::statement_completion_unknown& e) {
    return absl::UnavailableError(
        Message(what, absl::StrCat("the statement's outcome is unknown: ", e.what())));
  } catch (const pqxx::transaction_rollback& e) {
    return absl::AbortedError(Message(what, e.what()));
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(Message(what, e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    return absl::UnavailableError(
        Message(what, absl::StrCat("the commit's outcome is unknown: ", e.what())));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(Message(what, "out of memory"));
  } catch (const std::exception& e) {
    return absl::InternalError(Message(what, e.what()));
  } catch (...) {
    return absl::InternalError(Message(what, "unknown exception"));
  }
}

bool IsCursorCollision(std::string_view sqlstate, std::string_view message) {
  return sqlstate == "23505" &&
         absl::StrContains(absl::string_view(message.data(), message.size()), "change_events_pkey");
}

bool IsRetryableSqlState(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

}  // namespace rebook::storage::postgres_internal
