// Outbox messages (keyed by id, UNIQUE idempotency key, listed in (create_time, id) order),
// leasing and the messages' event histories.
//
// Leasing is one statement (lease_sql.h): the due rows are chosen with FOR NO KEY UPDATE SKIP
// LOCKED, so workers of any number of replicas leasing at once each take rows nobody else
// holds, without waiting for each other, and the UPDATE marks them LEASED before the lock is
// released at commit. Outbox-scoped writes run at READ COMMITTED (pg_store.h); the row locks
// they take are described in pg_transaction.h.
#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "storage/postgres/internal/lease_sql.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

constexpr const char* kMessageColumns =
    "id, idempotency_key, office_id, outage_id, appointment_id, offer_version, kind, channel, "
    "language, state, attempts, next_attempt_time, lease_expire_time, lease_token, leased_by, "
    "last_error, provider_message_id, fallback_from, explanation, create_time, update_time";

// The columns of kMessageColumns as read back, with table alias `m`.
std::string MessageOutput(const char* m) {
  auto c = [&](const char* column) { return absl::StrCat(m, ".", column); };
  return absl::StrCat(
      c("id"), ", ", c("idempotency_key"), ", ", c("office_id"), ", ", c("outage_id"), ", ",
      c("appointment_id"), ", ", c("offer_version"), ", ", c("kind"), ", ", c("channel"), ", ",
      c("language"), ", ", c("state"), ", ", c("attempts"), ", ", Ts(c("next_attempt_time")), ", ",
      Ts(c("lease_expire_time")), ", ", c("lease_token"), ", ", c("leased_by"), ", ",
      c("last_error"), ", ", c("provider_message_id"), ", ", c("fallback_from"), ", ",
      c("explanation"), ", ", Ts(c("create_time")), ", ", Ts(c("update_time")));
}

const std::string kMessageSelect =
    absl::StrCat("SELECT ", MessageOutput("m"), " FROM outbox_messages m");

std::string MessageValues(Params& p, const domain::OutboxMessage& m) {
  return absl::StrCat(
      "(", p.Add(m.id), ", ", p.Add(m.idempotency_key), ", ", p.Add(m.office_id), ", ",
      p.Add(m.outage_id), ", ", p.Add(m.appointment_id), ", ", p.Add(std::int64_t{m.offer_version}),
      "::integer, ",
      absl::StrCat(p.Add(std::string(domain::ToString(m.kind))), ", ", p.Add(m.channel), ", ",
                   p.Add(m.language), ", ", p.Add(std::string(domain::ToString(m.state))), ", ",
                   p.Add(std::int64_t{m.attempts}), "::integer, "),
      p.AddInstant(m.next_attempt_time), ", ", p.AddInstant(m.lease_expire_time), ", ",
      p.Add(m.lease_token), ", ", p.Add(m.leased_by), ", ", p.Add(m.last_error), ", ",
      p.Add(m.provider_message_id), ", ", p.Add(m.fallback_from), ", ", p.Add(m.explanation), ", ",
      p.AddInstant(m.create_time), ", ", p.AddInstant(m.update_time), ")");
}

absl::StatusOr<domain::OutboxMessage> ReadMessage(const pqxx::row& r) {
  domain::OutboxMessage m;
  m.id = Str(r[0]);
  m.idempotency_key = Str(r[1]);
  m.office_id = Str(r[2]);
  m.outage_id = Str(r[3]);
  m.appointment_id = Str(r[4]);
  m.offer_version = static_cast<int>(Int(r[5]));
  REBOOK_ASSIGN_OR_RETURN(m.kind,
                          Decode(domain::ParseMessageKind(Str(r[6])), "message kind", r[6]));
  m.channel = Str(r[7]);
  m.language = Str(r[8]);
  REBOOK_ASSIGN_OR_RETURN(m.state,
                          Decode(domain::ParseMessageState(Str(r[9])), "message state", r[9]));
  m.attempts = static_cast<int>(Int(r[10]));
  m.next_attempt_time = Time(r[11]);
  m.lease_expire_time = OptTime(r[12]);
  m.lease_token = Str(r[13]);
  m.leased_by = Str(r[14]);
  m.last_error = Str(r[15]);
  m.provider_message_id = Str(r[16]);
  m.fallback_from = Str(r[17]);
  m.explanation = Str(r[18]);
  m.create_time = Time(r[19]);
  m.update_time = Time(r[20]);
  return m;
}

std::string Name(domain::MessageState state) { return std::string(domain::ToString(state)); }

constexpr std::size_t kMessageInsertBatch = 2000;  // 21 parameters per message

}  // namespace

Filter PgTransaction::MessageFilterSql(const MessageFilter& filter) {
  Filter where;
  if (filter.office_ids) where.AddIn("m.office_id", *filter.office_ids);
  if (filter.outage_id) {
    where.Add(absl::StrCat("m.outage_id = ", where.params.Add(*filter.outage_id)));
  }
  if (filter.appointment) {
    where.Add(absl::StrCat("m.appointment_id = ", where.params.Add(filter.appointment->id),
                           " AND m.office_id = ", where.params.Add(filter.appointment->office_id)));
  }
  if (!filter.states.empty()) {
    std::vector<std::string> names;
    for (domain::MessageState s : filter.states) names.push_back(Name(s));
    where.AddIn("m.state", names);
  }
  if (filter.channel) where.Add(absl::StrCat("m.channel = ", where.params.Add(*filter.channel)));
  return where;
}

absl::Status PgTransaction::InsertMessages(std::span<const domain::OutboxMessage> messages) {
  CountNextWrite("outbox_messages", messages.size());
  return WriteAtomically("insert messages", [&](pqxx::dbtransaction& tx) -> absl::Status {
    for (std::size_t begin = 0; begin < messages.size(); begin += kMessageInsertBatch) {
      const std::size_t end = std::min(messages.size(), begin + kMessageInsertBatch);
      Params p;
      std::string sql = absl::StrCat("INSERT INTO outbox_messages (", kMessageColumns, ") VALUES ");
      for (std::size_t i = begin; i < end; ++i) {
        absl::StrAppend(&sql, i > begin ? ", " : "", MessageValues(p, messages[i]));
      }
      p.Exec(tx, sql);  // a repeated id or idempotency key: unique_violation, ALREADY_EXISTS
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<domain::OutboxMessage> PgTransaction::GetMessage(const std::string& id) {
  return Guard("get message",
               [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::OutboxMessage> {
                 const pqxx::result r =
                     tx.exec_params(absl::StrCat(kMessageSelect, " WHERE m.id = $1",
                                                 outbox_scoped() ? " FOR NO KEY UPDATE" : ""),
                                    id);
                 if (r.empty()) return absl::NotFoundError(absl::StrCat("no message ", id));
                 return ReadMessage(r[0]);
               });
}

absl::StatusOr<std::vector<domain::OutboxMessage>> PgTransaction::GetMessages(
    std::span<const std::string> ids) {
  return Guard("get messages",
               [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::vector<domain::OutboxMessage>> {
                 std::vector<domain::OutboxMessage> found;
                 if (ids.empty()) return found;
                 Params p;
                 // Locked in id order, so two batches sharing messages cannot deadlock.
                 const std::string sql = absl::StrCat(
                     kMessageSelect, " WHERE m.id = ANY(", p.AddTextArray({ids.begin(), ids.end()}),
                     ")", outbox_scoped() ? " ORDER BY m.id FOR NO KEY UPDATE" : "");
                 for (const pqxx::row& row : p.Exec(tx, sql)) {
                   REBOOK_ASSIGN_OR_RETURN(found.emplace_back(), ReadMessage(row));
                 }
                 return found;
               });
}

absl::Status PgTransaction::UpdateMessagesDelivery(
    std::span<const domain::OutboxMessage> messages) {
  REBOOK_RETURN_IF_ERROR(CheckMessageIdsDistinct(messages));
  constexpr std::size_t kRows = 500;
  return WriteAtomically("update messages delivery", [&](pqxx::dbtransaction& tx) -> absl::Status {
    for (std::size_t begin = 0; begin < messages.size(); begin += kRows) {
      const std::size_t end = std::min(messages.size(), begin + kRows);
      Params p;
      std::string sql =
          "UPDATE outbox_messages AS m SET state = v.state, attempts = v.attempts, "
          "next_attempt_time = v.next_attempt_time, lease_expire_time = v.lease_expire_time, "
          "lease_token = v.lease_token, leased_by = v.leased_by, last_error = v.last_error, "
          "provider_message_id = v.provider_message_id, update_time = v.update_time FROM (VALUES ";
      for (std::size_t i = begin; i < end; ++i) {
        const domain::OutboxMessage& m = messages[i];
        absl::StrAppend(&sql, i > begin ? ", (" : "(", p.Add(m.id), "::text, ",
                        p.Add(Name(m.state)), "::text, ", p.Add(std::int64_t{m.attempts}),
                        "::integer, ", p.AddInstant(m.next_attempt_time), ", ",
                        p.AddInstant(m.lease_expire_time), ", ");
        absl::StrAppend(&sql, p.Add(m.lease_token), "::text, ", p.Add(m.leased_by), "::text, ",
                        p.Add(m.last_error), "::text, ", p.Add(m.provider_message_id), "::text, ",
                        p.AddInstant(m.update_time), ")");
      }
      absl::StrAppend(&sql,
                      ") AS v(id, state, attempts, next_attempt_time, lease_expire_time, "
                      "lease_token, leased_by, last_error, provider_message_id, update_time) "
                      "WHERE m.id = v.id RETURNING m.id");
      const pqxx::result updated = p.Exec(tx, sql);
      if (updated.size() != end - begin) {
        std::set<std::string> seen;
        for (const pqxx::row& row : updated) seen.insert(Str(row[0]));
        for (std::size_t i = begin; i < end; ++i) {
          if (!seen.contains(messages[i].id)) {
            return absl::NotFoundError(
                absl::StrCat("update messages delivery: no record ", messages[i].id));
          }
        }
      }
    }
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::UpdateMessage(const domain::OutboxMessage& message) {
  Params p;
  const std::string values = MessageValues(p, message);
  const std::string id = p.Add(message.id);
  const std::string sql = absl::StrCat("UPDATE outbox_messages SET (", kMessageColumns,
                                       ") = ", values, " WHERE id = ", id);
  return ExecExpectingRow("update message", message.id, sql, p);
}

absl::Status PgTransaction::UpdateMessageDelivery(const domain::OutboxMessage& m) {
  Params p;
  const std::string sql =
      absl::StrCat("UPDATE outbox_messages SET state = ", p.Add(Name(m.state)),
                   ", attempts = ", p.Add(std::int64_t{m.attempts}),
                   "::integer, next_attempt_time = ", p.AddInstant(m.next_attempt_time),
                   ", lease_expire_time = ", p.AddInstant(m.lease_expire_time),
                   ", lease_token = ", p.Add(m.lease_token), ", leased_by = ", p.Add(m.leased_by),
                   ", last_error = ", p.Add(m.last_error),
                   ", provider_message_id = ", p.Add(m.provider_message_id),
                   ", update_time = ", p.AddInstant(m.update_time), " WHERE id = ", p.Add(m.id));
  return ExecExpectingRow("update message delivery", m.id, sql, p);
}

absl::StatusOr<Page<domain::OutboxMessage>> PgTransaction::ListMessages(const MessageFilter& filter,
                                                                        const PageRequest& page) {
  return Guard("list messages", [&](pqxx::dbtransaction& tx) {
    static const PagedQuery* query =
        new PagedQuery{"outbox_messages",
                       kMessageSelect,
                       {{"m.create_time", KeyType::kInstant}, {"m.id", KeyType::kText}}};
    return ReadPage<domain::OutboxMessage>(
        tx, *query, MessageFilterSql(filter), page, ReadMessage,
        [](const domain::OutboxMessage& m) {
          return PageKey{absl::StrCat(UnixSeconds(m.create_time)), m.id};
        });
  });
}

absl::Status PgTransaction::ScanMessages(
    const MessageFilter& filter, const std::function<void(const domain::OutboxMessage&)>& fn) {
  return Guard("scan messages", [&](pqxx::dbtransaction& tx) -> absl::Status {
    Filter where = MessageFilterSql(filter);
    std::string select = kMessageSelect;
    if (mode_ == Mode::kWrite && !outbox_scoped() && filter.appointment) {
      // All of the appointment's messages are locked, whatever the rest of the filter
      // (pg_transaction.h): the rows come from a CTE with the lock, which is materialised and
      // read to its end, the filter applied after it.
      select = absl::StrCat(
          "WITH locked AS MATERIALIZED (SELECT * FROM outbox_messages WHERE appointment_id = ",
          where.params.Add(filter.appointment->id),
          " AND office_id = ", where.params.Add(filter.appointment->office_id),
          " FOR SHARE) SELECT ", MessageOutput("m"), " FROM locked m");
    }
    const pqxx::result rows =
        where.params.Exec(tx, absl::StrCat(select, where.Where(), " ORDER BY m.create_time, m.id"));
    for (const pqxx::row& row : rows) {
      REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage m, ReadMessage(row));
      fn(m);
    }
    return absl::OkStatus();
  });
}

std::string LeaseSql(Params& p, const LeaseRequest& lease) {
  // The states as literals, so that the planner can match the partial index's predicate.
  auto literal = [](domain::MessageState s) { return absl::StrCat("'", Name(s), "'"); };
  const std::string now = p.AddInstant(lease.now);
  const std::string channels = p.AddTextArray(lease.channels);
  const std::string take = absl::StrCat(" ORDER BY next_attempt_time, id LIMIT ",
                                        lease.max_messages, " FOR NO KEY UPDATE SKIP LOCKED");
  const std::string leased = literal(domain::MessageState::kLeased);
  const std::string token = p.Add(lease.lease_token);
  const std::string until = p.AddInstant(lease.lease_until);
  const std::string worker = p.Add(lease.worker);
  return absl::StrCat(
      "WITH expired AS (SELECT id, state, next_attempt_time FROM outbox_messages WHERE state = ",
      leased, " AND channel = ANY(", channels, ") AND (lease_expire_time IS NULL OR ",
      "lease_expire_time <= ", now, ")", take,
      "), ready AS (SELECT id, state, next_attempt_time FROM outbox_messages WHERE state IN (",
      literal(domain::MessageState::kPending), ", ", literal(domain::MessageState::kFailed),
      ") AND next_attempt_time <= ", now, " AND channel = ANY(", channels, ")", take,
      // The batch as two arrays, unnested: the UPDATE then finds its rows by primary key
      // (a join with the CTE itself was planned as a hash join over the whole table).
      "), due AS (SELECT array_agg(id) AS ids, array_agg(state) AS states FROM (SELECT * FROM "
      "expired UNION ALL SELECT * FROM ready ORDER BY next_attempt_time, id LIMIT ",
      lease.max_messages, ") c) UPDATE outbox_messages m SET state = ", leased,
      ", lease_token = ", token, ", lease_expire_time = ", until, ", leased_by = ", worker,
      ", update_time = ", now,
      " FROM due, unnest(due.ids, due.states) AS d(id, previous_state) WHERE m.id = d.id "
      "COLLATE \"C\" RETURNING ",
      MessageOutput("m"), ", d.previous_state");
}

absl::StatusOr<std::vector<LeasedMessage>> PgTransaction::LeaseMessages(const LeaseRequest& lease) {
  std::vector<LeasedMessage> leased;
  REBOOK_RETURN_IF_ERROR(
      WriteAtomically("lease messages", [&](pqxx::dbtransaction& tx) -> absl::Status {
        leased.clear();
        if (lease.channels.empty() || lease.max_messages < 1) return absl::OkStatus();
        Params p;
        const std::string sql = LeaseSql(p, lease);
        for (const pqxx::row& row : p.Exec(tx, sql)) {
          REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage m, ReadMessage(row));
          REBOOK_ASSIGN_OR_RETURN(
              domain::MessageState previous,
              Decode(domain::ParseMessageState(Str(row[21])), "message state", row[21]));
          leased.push_back({std::move(m), previous});
        }
        // RETURNING has no order; callers get the due order.
        std::sort(leased.begin(), leased.end(), [](const LeasedMessage& a, const LeasedMessage& b) {
          return std::tie(a.message.next_attempt_time, a.message.id) <
                 std::tie(b.message.next_attempt_time, b.message.id);
        });
        return absl::OkStatus();
      }));
  return leased;
}

absl::Status PgTransaction::AddMessageEvents(std::span<const domain::MessageEvent> events) {
  CountNextWrite("outbox_message_events", events.size());
  return WriteAtomically("add message events", [&](pqxx::dbtransaction& tx) -> absl::Status {
    if (events.empty()) return absl::OkStatus();
    for (std::size_t begin = 0; begin < events.size(); begin += kMessageInsertBatch) {
      const std::size_t end = std::min(events.size(), begin + kMessageInsertBatch);
      Params p;
      std::string sql =
          "INSERT INTO outbox_message_events (message_id, time, from_state, to_state, reason, "
          "worker) VALUES ";
      for (std::size_t i = begin; i < end; ++i) {
        const domain::MessageEvent& e = events[i];
        absl::StrAppend(&sql, i > begin ? ", " : "", "(", p.Add(e.message_id), ", ",
                        p.AddInstant(e.time), ", ", p.Add(Name(e.from)), ", ", p.Add(Name(e.to)),
                        ", ", p.Add(e.reason), ", ", p.Add(e.worker), ")");
      }
      p.Exec(tx, sql);  // identity values follow the VALUES order
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<domain::MessageEvent>> PgTransaction::ListMessageEvents(
    const std::string& message_id) {
  return Guard("list message events",
               [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::vector<domain::MessageEvent>> {
                 std::vector<domain::MessageEvent> events;
                 const pqxx::result rows = tx.exec_params(
                     absl::StrCat("SELECT ", Ts("time"),
                                  ", from_state, to_state, reason, worker FROM "
                                  "outbox_message_events WHERE message_id = $1 ORDER BY time, seq"),
                     message_id);
                 for (const pqxx::row& r : rows) {
                   domain::MessageEvent& e = events.emplace_back();
                   e.message_id = message_id;
                   e.time = Time(r[0]);
                   REBOOK_ASSIGN_OR_RETURN(
                       e.from, Decode(domain::ParseMessageState(Str(r[1])), "message state", r[1]));
                   REBOOK_ASSIGN_OR_RETURN(
                       e.to, Decode(domain::ParseMessageState(Str(r[2])), "message state", r[2]));
                   e.reason = Str(r[3]);
                   e.worker = Str(r[4]);
                 }
                 return events;
               });
}

}  // namespace rebook::storage::postgres_internal
