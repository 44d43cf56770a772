#include "storage/sqlite/internal/message_rows.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/column_io.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/statement_text.h"

namespace rebook::storage::sqlite_internal {
namespace {

constexpr std::array<const char*, 21> kMessageColumns = {"id",
                                                         "idempotency_key",
                                                         "office_id",
                                                         "outage_id",
                                                         "appointment_id",
                                                         "offer_version",
                                                         "kind",
                                                         "channel",
                                                         "language",
                                                         "state",
                                                         "attempts",
                                                         "next_attempt_time",
                                                         "lease_expire_time",
                                                         "lease_token",
                                                         "leased_by",
                                                         "last_error",
                                                         "provider_message_id",
                                                         "fallback_from",
                                                         "explanation",
                                                         "create_time",
                                                         "update_time"};

// What a delivery attempt changes (OutboxTables::UpdateMessageDelivery).
constexpr std::array<const char*, 9> kDeliveryColumns = {
    "state",     "attempts",   "next_attempt_time",   "lease_expire_time", "lease_token",
    "leased_by", "last_error", "provider_message_id", "update_time"};

}  // namespace

std::span<const char* const> MessageColumns() { return kMessageColumns; }

const std::string& UpdateMessageDeliverySql() {
  static const std::string* sql = [] {
    std::string set;
    for (const char* column : kDeliveryColumns) {
      const auto at = std::find_if(kMessageColumns.begin(), kMessageColumns.end(),
                                   [&](const char* c) { return std::string_view(c) == column; });
      absl::StrAppend(&set, set.empty() ? "" : ", ", column, " = ?",
                      at - kMessageColumns.begin() + 1);
    }
    return new std::string(absl::StrCat("UPDATE outbox_messages SET ", set, " WHERE id = ?1"));
  }();
  return *sql;
}

const std::string& SelectMessageSql() {
  static const std::string* sql = new std::string(
      absl::StrCat("SELECT ", ColumnList(kMessageColumns), " FROM outbox_messages"));
  return *sql;
}

const std::string& DueOfStateAndChannelSql() {
  static const std::string* sql = new std::string(
      "SELECT next_attempt_time, id FROM outbox_messages WHERE state = ?1 AND "
      "channel = ?2 AND next_attempt_time <= ?3 ORDER BY next_attempt_time, id "
      "LIMIT ?4");
  return *sql;
}

const std::string& ExpiredLeasesSql() {
  static const std::string* sql = new std::string(
      absl::StrCat(SelectMessageSql(),
                   " WHERE state = ?1 AND channel IN (SELECT value FROM json_each(?2)) AND "
                   "(lease_expire_time <= ?3 OR lease_expire_time IS NULL) "
                   "ORDER BY next_attempt_time, id LIMIT ?4"));
  return *sql;
}

void BindMessage(SQLite::Statement& s, const domain::OutboxMessage& m, int base) {
  s.bindNoCopy(base + 1, m.id);
  s.bindNoCopy(base + 2, m.idempotency_key);
  s.bindNoCopy(base + 3, m.office_id);
  s.bindNoCopy(base + 4, m.outage_id);
  s.bindNoCopy(base + 5, m.appointment_id);
  s.bind(base + 6, m.offer_version);
  BindName(s, base + 7, domain::ToString(m.kind));
  s.bindNoCopy(base + 8, m.channel);
  s.bindNoCopy(base + 9, m.language);
  BindName(s, base + 10, domain::ToString(m.state));
  s.bind(base + 11, m.attempts);
  s.bind(base + 12, ToUnixSeconds(m.next_attempt_time));
  BindNullable(s, base + 13, m.lease_expire_time);
  s.bindNoCopy(base + 14, m.lease_token);
  s.bindNoCopy(base + 15, m.leased_by);
  s.bindNoCopy(base + 16, m.last_error);
  s.bindNoCopy(base + 17, m.provider_message_id);
  s.bindNoCopy(base + 18, m.fallback_from);
  s.bindNoCopy(base + 19, m.explanation);
  s.bind(base + 20, ToUnixSeconds(m.create_time));
  s.bind(base + 21, ToUnixSeconds(m.update_time));
}

absl::StatusOr<domain::OutboxMessage> ReadMessage(SQLite::Statement& s) {
  domain::OutboxMessage m;
  m.id = s.getColumn(0).getString();
  m.idempotency_key = s.getColumn(1).getString();
  m.office_id = s.getColumn(2).getString();
  m.outage_id = s.getColumn(3).getString();
  m.appointment_id = s.getColumn(4).getString();
  m.offer_version = s.getColumn(5).getInt();
  REBOOK_ASSIGN_OR_RETURN(m.kind, DecodeMessageKind(s.getColumn(6).getText()));
  m.channel = s.getColumn(7).getString();
  m.language = s.getColumn(8).getString();
  REBOOK_ASSIGN_OR_RETURN(m.state, DecodeMessageState(s.getColumn(9).getText()));
  m.attempts = s.getColumn(10).getInt();
  m.next_attempt_time = FromUnixSeconds(s.getColumn(11).getInt64());
  m.lease_expire_time = NullableInstant(s.getColumn(12));
  m.lease_token = s.getColumn(13).getString();
  m.leased_by = s.getColumn(14).getString();
  m.last_error = s.getColumn(15).getString();
  m.provider_message_id = s.getColumn(16).getString();
  m.fallback_from = s.getColumn(17).getString();
  m.explanation = s.getColumn(18).getString();
  m.create_time = FromUnixSeconds(s.getColumn(19).getInt64());
  m.update_time = FromUnixSeconds(s.getColumn(20).getInt64());
  return m;
}

}  // namespace rebook::storage::sqlite_internal
