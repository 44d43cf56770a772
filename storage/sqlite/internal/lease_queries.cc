// Leasing outbox messages to workers, and the messages' event histories.
//
// LeaseMessages runs in the write transaction's savepoint: it selects the due rows and marks
// them LEASED before any other writer can look, so two workers never hold one message.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/message_rows.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {
namespace {

std::string Name(domain::MessageState state) { return std::string(domain::ToString(state)); }

}  // namespace

absl::StatusOr<std::vector<LeasedMessage>> SqliteTransaction::LeaseMessages(
    const LeaseRequest& lease) {
  std::vector<LeasedMessage> leased;
  absl::Status s = WriteAtomically("lease messages", [&]() -> absl::Status {
    leased.clear();  // a retried body starts over
    if (lease.channels.empty() || lease.max_messages < 1) return absl::OkStatus();
    const std::int64_t now = ToUnixSeconds(lease.now);
    // Candidates: the due keys of each (state, channel) and the expired leases' whole rows.
    // Only the rows that win the merge are read in full.
    struct Candidate {
      std::int64_t next_attempt_time;
      std::string id;
      domain::MessageState state;
      std::optional<domain::OutboxMessage> row;  // set for expired leases
    };
    std::vector<Candidate> candidates;
    const std::set<std::string> channels(lease.channels.begin(), lease.channels.end());
    {
      StatementLease q = Prepare(DueOfStateAndChannelSql());
      for (domain::MessageState state :
           {domain::MessageState::kPending, domain::MessageState::kFailed}) {
        const std::string name = Name(state);
        for (const std::string& channel : channels) {
          q->bindNoCopy(1, name);
          q->bindNoCopy(2, channel);
          q->bind(3, now);
          q->bind(4, lease.max_messages);
          while (q->executeStep()) {
            candidates.push_back(
                {q->getColumn(0).getInt64(), q->getColumn(1).getString(), state, std::nullopt});
          }
          q->reset();
        }
      }
    }
    {
      StatementLease q = Prepare(ExpiredLeasesSql());
      q->bind(1, Name(domain::MessageState::kLeased));
      q->bind(2, JsonStringArray(lease.channels));
      q->bind(3, now);
      q->bind(4, lease.max_messages);
      while (q->executeStep()) {
        REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage m, ReadMessage(*q));
        candidates.push_back({ToUnixSeconds(m.next_attempt_time), m.id, m.state, std::move(m)});
      }
      q->reset();
    }
    // Due first; SQLite's BINARY collation compares ids bytewise, like std::string.
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return std::tie(a.next_attempt_time, a.id) < std::tie(b.next_attempt_time, b.id);
    });
    if (candidates.size() > static_cast<std::size_t>(lease.max_messages)) {
      candidates.resize(static_cast<std::size_t>(lease.max_messages));
    }
    StatementLease by_id = Prepare(absl::StrCat(SelectMessageSql(), " WHERE id = ?"));
    for (Candidate& c : candidates) {
      if (!c.row.has_value()) {
        by_id->bindNoCopy(1, c.id);
        if (!by_id->executeStep()) {
          return absl::InternalError(absl::StrCat("due message ", c.id, " vanished"));
        }
        REBOOK_ASSIGN_OR_RETURN(c.row, ReadMessage(*by_id));
        by_id->reset();
      }
      leased.push_back({std::move(*c.row), c.state});
    }
    StatementLease update = Prepare(
        "UPDATE outbox_messages SET state = ?, lease_token = ?, lease_expire_time = ?, "
        "leased_by = ?, update_time = ? WHERE id = ?");
    const std::string state = Name(domain::MessageState::kLeased);
    for (LeasedMessage& l : leased) {
      domain::OutboxMessage& m = l.message;
      m.state = domain::MessageState::kLeased;
      m.lease_token = lease.lease_token;
      m.lease_expire_time = lease.lease_until;
      m.leased_by = lease.worker;
      m.update_time = lease.now;
      update->bindNoCopy(1, state);
      update->bindNoCopy(2, m.lease_token);
      update->bind(3, ToUnixSeconds(*m.lease_expire_time));
      update->bindNoCopy(4, m.leased_by);
      update->bind(5, ToUnixSeconds(m.update_time));
      update->bindNoCopy(6, m.id);
      update->exec();
      update->reset();
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return leased;
}

absl::Status SqliteTransaction::AddMessageEvents(std::span<const domain::MessageEvent> events) {
  // One statement per event: each one's seq reads the events before it, those of the same call
  // included (a multi-row INSERT would read the table before its first row).
  return WriteInChunks(
      "add message events", events.size(), [&](std::size_t begin, std::size_t end) -> absl::Status {
        StatementLease q = Prepare(
            "INSERT INTO outbox_message_events (message_id, seq, time, from_state, to_state, "
            "reason, "
            "worker) VALUES (?1, (SELECT IFNULL(MAX(seq), 0) + 1 FROM outbox_message_events WHERE "
            "message_id = ?1), ?2, ?3, ?4, ?5, ?6)");
        for (const domain::MessageEvent& e : events.subspan(begin, end - begin)) {
          q->bindNoCopy(1, e.message_id);
          q->bind(2, ToUnixSeconds(e.time));
          q->bindNoCopy(3, domain::ToString(e.from).data());  // string literals (see outreach.cc)
          q->bindNoCopy(4, domain::ToString(e.to).data());
          q->bindNoCopy(5, e.reason);
          q->bindNoCopy(6, e.worker);
          q->exec();
          q->reset();
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<std::vector<domain::MessageEvent>> SqliteTransaction::ListMessageEvents(
    const std::string& message_id) {
  return Guard("list message events", [&]() -> absl::StatusOr<std::vector<domain::MessageEvent>> {
    StatementLease q = Prepare(
        "SELECT time, from_state, to_state, reason, worker FROM outbox_message_events "
        "WHERE message_id = ? ORDER BY time, seq");
    q->bindNoCopy(1, message_id);
    std::vector<domain::MessageEvent> events;
    while (q->executeStep()) {
      domain::MessageEvent& e = events.emplace_back();
      e.message_id = message_id;
      e.time = FromUnixSeconds(q->getColumn(0).getInt64());
      REBOOK_ASSIGN_OR_RETURN(e.from, DecodeMessageState(q->getColumn(1).getText()));
      REBOOK_ASSIGN_OR_RETURN(e.to, DecodeMessageState(q->getColumn(2).getText()));
      e.reason = q->getColumn(3).getString();
      e.worker = q->getColumn(4).getString();
    }
    return events;
  });
}

}  // namespace rebook::storage::sqlite_internal
