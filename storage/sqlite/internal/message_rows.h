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
// Binds every column of MessageColumns() as ?1..?N. Text of `m` is bound without copying.
void BindMessage(SQLite::Statement& statement, const domain::OutboxMessage& m);
// Reads the row the statement is on, whose columns are MessageColumns().
absl::StatusOr<domain::OutboxMessage> ReadMessage(SQLite::Statement& statement);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_MESSAGE_ROWS_H_
