// Outbox messages: one row each, keyed by id with a UNIQUE idempotency key, listed in
// (create_time, id) order. Leasing and message events are in lease_queries.cc.
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/message_rows.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"
#include "storage/sqlite/internal/statement_text.h"

namespace rebook::storage::sqlite_internal {

SqlFilter SqliteTransaction::MessageSqlFilter(const MessageFilter& filter) {
  SqlFilter where;
  if (filter.office_ids) where.AddIn("office_id", *filter.office_ids);
  if (filter.outage_id) where.Add("outage_id = ?", {*filter.outage_id});
  if (filter.appointment) {
    where.Add("appointment_id = ? AND office_id = ?",
              {filter.appointment->id, filter.appointment->office_id});
  }
  if (!filter.states.empty()) {
    std::vector<std::string> names;
    for (domain::MessageState s : filter.states) names.emplace_back(domain::ToString(s));
    where.AddIn("state", names);
  }
  if (filter.channel) where.Add("channel = ?", {*filter.channel});
  return where;
}

absl::Status SqliteTransaction::InsertMessages(std::span<const domain::OutboxMessage> messages) {
  static const MultiRowInsert* shape = new MultiRowInsert(
      absl::StrCat("INSERT INTO outbox_messages (", ColumnList(MessageColumns()), ") VALUES "),
      MessageColumns().size(), "");
  return WriteInChunks(
      "insert messages", messages.size(), [&](std::size_t begin, std::size_t end) -> absl::Status {
        return InsertRows(
            *shape, begin, end,
            [&](SQLite::Statement& q, std::size_t i, int base) {
              BindMessage(q, messages[i], base);
            },
            [&](const SQLite::Exception& e, std::size_t i) -> absl::Status {
              const domain::OutboxMessage& m = messages[i];
              const int code = e.getExtendedErrorCode();
              if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
                return absl::AlreadyExistsError(absl::StrCat("message ", m.id,
                                                             " or its idempotency key ",
                                                             m.idempotency_key, " already exists"));
              }
              throw;
            });
      });
}

absl::StatusOr<domain::OutboxMessage> SqliteTransaction::GetMessage(const std::string& id) {
  return Guard("get message", [&]() -> absl::StatusOr<domain::OutboxMessage> {
    StatementLease q = Prepare(absl::StrCat(SelectMessageSql(), " WHERE id = ?"));
    q->bindNoCopy(1, id);
    if (!q->executeStep()) return absl::NotFoundError(absl::StrCat("no message ", id));
    return ReadMessage(*q);
  });
}

absl::StatusOr<std::vector<domain::OutboxMessage>> SqliteTransaction::GetMessages(
    std::span<const std::string> ids) {
  return Guard("get messages", [&]() -> absl::StatusOr<std::vector<domain::OutboxMessage>> {
    StatementLease q = Prepare(absl::StrCat(SelectMessageSql(), " WHERE id = ?"));
    std::vector<domain::OutboxMessage> found;
    for (const std::string& id : ids) {
      q->bindNoCopy(1, id);
      if (q->executeStep()) {
        REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage m, ReadMessage(*q));
        found.push_back(std::move(m));
      }
      q->reset();
    }
    return found;
  });
}

absl::Status SqliteTransaction::UpdateMessagesDelivery(
    std::span<const domain::OutboxMessage> messages) {
  REBOOK_RETURN_IF_ERROR(CheckMessageIdsDistinct(messages));
  return WriteAtomically("update messages delivery", [&]() -> absl::Status {
    StatementLease q = Prepare(UpdateMessageDeliverySql());
    for (const domain::OutboxMessage& m : messages) {
      BindMessage(*q, m);
      if (q->exec() == 0) {
        return absl::NotFoundError(absl::StrCat("update messages delivery: no record ", m.id));
      }
      q->reset();
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::UpdateMessage(const domain::OutboxMessage& message) {
  static const std::string* sql =
      new std::string(UpdateSql("outbox_messages", MessageColumns(), 1));
  return ExecExpectingRow("update message", message.id, sql->c_str(),
                          [&](SQLite::Statement& q) { BindMessage(q, message); });
}

absl::Status SqliteTransaction::UpdateMessageDelivery(const domain::OutboxMessage& message) {
  return ExecExpectingRow("update message delivery", message.id, UpdateMessageDeliverySql().c_str(),
                          [&](SQLite::Statement& q) { BindMessage(q, message); });
}

absl::StatusOr<Page<domain::OutboxMessage>> SqliteTransaction::ListMessages(
    const MessageFilter& filter, const PageRequest& page) {
  return Guard("list messages", [&]() -> absl::StatusOr<Page<domain::OutboxMessage>> {
    SqlFilter where = MessageSqlFilter(filter);
    static const PagedQuery* query =
        new PagedQuery{.listing = "outbox_messages",
                       .select = SelectMessageSql(),
                       .key = {{"create_time", KeyType::kInteger}, {"id", KeyType::kText}}};
    return ReadPage<domain::OutboxMessage>(connection_, *query, std::move(where), page, ReadMessage,
                                           [](const domain::OutboxMessage& m) {
                                             return PageKey{ToUnixSeconds(m.create_time), m.id};
                                           });
  });
}

absl::Status SqliteTransaction::ScanMessages(
    const MessageFilter& filter, const std::function<void(const domain::OutboxMessage&)>& fn) {
  return Guard("scan messages", [&]() -> absl::Status {
    const SqlFilter where = MessageSqlFilter(filter);
    StatementLease q =
        Prepare(absl::StrCat(SelectMessageSql(), where.Where(), " ORDER BY create_time, id"));
    where.Bind(*q);
    while (q->executeStep()) {
      REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage m, ReadMessage(*q));
      fn(m);
    }
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::sqlite_internal
