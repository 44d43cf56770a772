// The change feed (storage/change_feed_store.h): reading and pruning the events that the
// triggers of schema step 9 (schema_step9.h) write.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/column_io.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {
namespace {

// A read looks at most this many cursors past `after_cursor` (and at least 20 per event asked
// for), so that a reader scoped to a quiet office pays a bounded scan per page and moves on.
constexpr std::int64_t kMinScanWindow = 5000;

constexpr const char* kEventColumns =
    "e.cursor, e.epoch, e.change_time, e.office_id, e.appointment_id, e.outage_id, e.kind, "
    "e.status, e.service_id, e.cases, e.original_start, e.rebooked_office_id, "
    "e.rebooked_clerk_id, e.rebooked_start, e.rebooked_end, e.confirmed_via, e.confirm_time, "
    "e.held_office_id, e.held_clerk_id, e.held_start, e.held_end, e.offer_version, "
    "e.offer_state, IFNULL(z.time_zone, '')";

absl::StatusOr<domain::ChangeEvent> ReadEvent(SQLite::Statement& q) {
  domain::ChangeEvent e;
  e.cursor = q.getColumn(0).getInt64();
  e.event_id = absl::StrCat(q.getColumn(1).getString(), "-", e.cursor);
  e.change_time = FromUnixSeconds(q.getColumn(2).getInt64());
  e.appointment = {.office_id = q.getColumn(3).getString(), .id = q.getColumn(4).getString()};
  e.outage_id = q.getColumn(5).getString();
  const std::string kind = q.getColumn(6).getString();
  std::optional<domain::ChangeKind> parsed = domain::ParseChangeKind(kind);
  if (!parsed) return absl::InternalError(absl::StrCat("unknown change kind '", kind, "'"));
  e.kind = *parsed;
  REBOOK_ASSIGN_OR_RETURN(e.status, DecodeAppointmentStatus(q.getColumn(7).getString()));
  e.service_id = q.getColumn(8).getString();
  e.cases = q.getColumn(9).getInt();
  e.original_start = FromUnixSeconds(q.getColumn(10).getInt64());
  if (!q.getColumn(11).isNull()) {
    domain::RebookedSlot r;
    r.slot = {.office_id = q.getColumn(11).getString(),
              .clerk_id = q.getColumn(12).getString(),
              .time = {FromUnixSeconds(q.getColumn(13).getInt64()),
                       FromUnixSeconds(q.getColumn(14).getInt64())}};
    const std::string via = q.getColumn(15).getString();
    std::optional<domain::ConfirmationChannel> channel = domain::ParseConfirmationChannel(via);
    if (!channel) return absl::InternalError(absl::StrCat("unknown confirmation '", via, "'"));
    r.confirmed_via = *channel;
    r.confirm_time = FromUnixSeconds(q.getColumn(16).getInt64());
    e.rebooked_slot = std::move(r);
  }
  if (!q.getColumn(17).isNull()) {
    e.held_slot = domain::ScheduledSlot{.office_id = q.getColumn(17).getString(),
                                        .clerk_id = q.getColumn(18).getString(),
                                        .time = {FromUnixSeconds(q.getColumn(19).getInt64()),
                                                 FromUnixSeconds(q.getColumn(20).getInt64())}};
  }
  e.offer_version = q.getColumn(21).getInt();
  if (!q.getColumn(22).isNull()) {
    REBOOK_ASSIGN_OR_RETURN(e.offer_state, DecodeOfferState(q.getColumn(22).getString()));
  }
  if (e.rebooked_slot || e.held_slot) e.slot_time_zone = q.getColumn(23).getString();
  return e;
}

}  // namespace

absl::StatusOr<ChangeFeedPage> SqliteTransaction::ListChangeEvents(const ChangeFeedQuery& query) {
  return Guard("list change events", [&]() -> absl::StatusOr<ChangeFeedPage> {
    ChangeFeedPage page;
    {
      StatementLease q = Prepare(
          "SELECT IFNULL((SELECT seq FROM sqlite_sequence WHERE name = 'change_events'), 0), "
          "(SELECT MIN(cursor) FROM change_events)");
      q->executeStep();
      page.last_cursor = q->getColumn(0).getInt64();
      page.oldest_cursor =
          q->getColumn(1).isNull() ? page.last_cursor + 1 : q->getColumn(1).getInt64();
    }
    const std::int64_t after = std::max<std::int64_t>(query.after_cursor, 0);
    const int limit = std::max(query.limit, 1);
    page.next_cursor = after;
    if (after >= page.last_cursor) return page;
    // Pruned cursors need no scan.
    const std::int64_t from = std::max(after, page.oldest_cursor - 1);
    const std::int64_t window = std::max<std::int64_t>(kMinScanWindow, std::int64_t{limit} * 20);
    const std::int64_t upper = std::min(page.last_cursor, from + window);
    std::string sql = absl::StrCat("SELECT ", kEventColumns,
                                   " FROM change_events e LEFT JOIN offices z ON z.id = "
                                   "IFNULL(e.rebooked_office_id, e.held_office_id) "
                                   "WHERE e.cursor > ?1 AND e.cursor <= ?2");
    if (query.office_ids) {
      if (query.office_ids->empty()) {
        page.next_cursor = upper;
        return page;
      }
      absl::StrAppend(&sql, " AND e.office_id IN (");
      for (std::size_t i = 0; i < query.office_ids->size(); ++i) {
        absl::StrAppend(&sql, i == 0 ? "" : ", ", "?", i + 4);
      }
      absl::StrAppend(&sql, ")");
    }
    absl::StrAppend(&sql, " ORDER BY e.cursor LIMIT ?3");
    StatementLease q = Prepare(sql);
    q->bind(1, static_cast<std::int64_t>(from));
    q->bind(2, static_cast<std::int64_t>(upper));
    q->bind(3, limit);
    if (query.office_ids) {
      for (std::size_t i = 0; i < query.office_ids->size(); ++i) {
        q->bindNoCopy(static_cast<int>(i) + 4, (*query.office_ids)[i]);
      }
    }
    while (q->executeStep()) {
      REBOOK_ASSIGN_OR_RETURN(domain::ChangeEvent e, ReadEvent(*q));
      page.events.push_back(std::move(e));
    }
    // A full page ends at its last event; a short one has looked at everything up to `upper`.
    page.next_cursor =
        static_cast<int>(page.events.size()) == limit ? page.events.back().cursor : upper;
    return page;
  });
}

absl::StatusOr<std::int64_t> SqliteTransaction::PruneChangeEvents(Instant before, int limit) {
  std::int64_t deleted = 0;
  REBOOK_RETURN_IF_ERROR(WriteAtomically("prune change events", [&]() -> absl::Status {
    if (limit < 1) return absl::OkStatus();
    // Only a prefix goes: the feed stays one unbroken run of cursors from oldest_cursor on,
    // even where change times are out of order (a simulated clock set back).
    StatementLease q = Prepare(
        "DELETE FROM change_events WHERE cursor < MIN("
        "IFNULL((SELECT cursor FROM change_events WHERE change_time >= ?1 ORDER BY cursor "
        "LIMIT 1), 9223372036854775807), "
        "IFNULL((SELECT MIN(cursor) FROM change_events), 0) + ?2)");
    q->bind(1, ToUnixSeconds(before));
    q->bind(2, limit);
    deleted = q->exec();
    return absl::OkStatus();
  }));
  return deleted;
}

}  // namespace rebook::storage::sqlite_internal
