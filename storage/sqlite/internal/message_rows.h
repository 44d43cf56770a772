// The row mapping of the outbox_messages table (see migrations.cc, step 2), shared by the
// message queries and the lease queries.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_MESSAGE_ROWS_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_MESSAGE_ROWS_H_

#include <span>
#include <string>

#include "SQLiteCpp/Statement.h"
#include "absl/status/statusor.h"
#include "services/domain/outreach.h"

namespace rebook::storage::sqlite_internal {

// The columns, the key (id) first, in bind order.
std::span<const char* const> MessageColumns();
// "SELECT <MessageColumns()> FROM outbox_messages".
const std::string& SelectMessageSql();
// "UPDATE outbox_messages SET <the delivery columns> WHERE id = ?1", with each column's
// parameter number from MessageColumns(), so BindMessage binds it.
const std::string& UpdateMessageDeliverySql();
// Leasing reads the due messages with DueOfStateAndChannelSql once per (retryable state,
// channel) and ExpiredLeasesSql once, and merges them by (next_attempt_time, id). One query
// with an OR of those branches made SQLite collect every due row (MULTI-INDEX OR) and sort them
// all for each lease: O(outbox) per lease, so 4 workers drained a 100,000-message outbox no
// faster than one. Per (state, channel), outbox_messages_due yields the rows in order, so the
// query stops after its LIMIT (lease_plan_test pins the plan). It reads only the keys
// (next_attempt_time, id), which that index covers: with messages in several channels, most
// candidates lose the merge, and only the winners' rows are read. Expired leases are LEASED rows,
// at most the batches the workers hold, so sorting them is cheap; a LEASED row without an
// expiry counts as expired, so it cannot stay stuck.
//   DueOfStateAndChannelSql: ?1 state, ?2 channel, ?3 now (unix s), ?4 limit; columns
//   next_attempt_time (unix s), id.
//   ExpiredLeasesSql: ?1 the LEASED state, ?2 channels as a JSON array, ?3 now, ?4 limit.
const std::string& DueOfStateAndChannelSql();
const std::string& ExpiredLeasesSql();
// Binds every column of MessageColumns() as ?base+1..?base+N (a multi-row INSERT binds row r
// at base N r). Text of `m` is bound without copying.
void BindMessage(SQLite::Statement& statement, const domain::OutboxMessage& m, int base = 0);
// Reads the row the statement is on, whose columns are MessageColumns().
absl::StatusOr<domain::OutboxMessage> ReadMessage(SQLite::Statement& statement);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_MESSAGE_ROWS_H_
