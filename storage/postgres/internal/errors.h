// Mapping libpqxx exceptions to absl::Status at the store's edge (no exception leaves the
// store). By SQLSTATE class:
//   23505 unique_violation                    -> ALREADY_EXISTS
//   23503 foreign_key_violation, other 23xxx  -> FAILED_PRECONDITION
//   40001 serialization_failure, 40P01 deadlock_detected -> ABORTED (the runner retries these)
//   23505 on change_events_pkey: two concurrent writers drew the same change-feed cursor
//         (schema_slots_feed.h)               -> ABORTED, retried like a serialization failure
//   55P03 lock_not_available, 57014 query_canceled (lock/statement timeouts set from the
//         transaction's deadline)             -> DEADLINE_EXCEEDED
//   25006 read_only_sql_transaction           -> FAILED_PRECONDITION
//   08xxx, 53xxx (connection, resources such as a full disk), 57P0x (shutdown), a broken
//         connection or a commit in doubt     -> UNAVAILABLE
//   anything else                             -> INTERNAL
// Messages name the operation (`what`) and carry PostgreSQL's message.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_ERRORS_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_ERRORS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace rebook::storage::postgres_internal {

// The status of the exception being handled; call only inside a catch block. Sets
// `*retryable` (if given) for serialization failures and deadlocks, after which the whole
// transaction must be rolled back and run again.
absl::Status StatusFromCurrentException(std::string_view what, bool* retryable = nullptr);

// The status for a SQLSTATE and message.
absl::Status StatusFromSqlState(std::string_view sqlstate, std::string_view what,
                                std::string_view message);

// True for a unique violation on the change feed's cursor: the later writer must run again.
bool IsCursorCollision(std::string_view sqlstate, std::string_view message);

// True for the SQLSTATEs of serialization failures and deadlocks.
bool IsRetryableSqlState(std::string_view sqlstate);

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_ERRORS_H_
