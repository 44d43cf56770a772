// The change feed (storage/change_feed_store.h): reading and pruning the events the triggers of
// schema step 3 (schema_slots_feed.h) write, the way storage/sqlite reads its own.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

// A read looks at most this many cursors past `after_cursor` (and at least 20 per event asked
// for), so that a reader scoped to a quiet office pays a bounded scan per page and moves on.
constexpr std::int64_t kMinScanWindow = 5000;

const std::string kEventSelect = absl::StrCat(
    "SELECT e.cursor, e.epoch, ", Ts("e.change_time"),
    ", e.office_id, e.appointment_id, e.outage_id, e.kind, e.status, e.service_id, e.cases, ",
    Ts("e.original_start"), ", e.rebooked_office_id, e.rebooked_clerk_id, ", Ts("e.rebooked_start"),
    ", ", Ts("e.rebooked_end"), ", e.confirmed_via, ", Ts("e.confirm_time"),
    ", e.held_office_id, e.held_clerk_id, ", Ts("e.held_start"), ", ", Ts("e.held_end"),
    ", e.offer_version, e.offer_state, COALESCE(z.time_zone, '') FROM change_events e "
    "LEFT JOIN offices z ON z.id = COALESCE(e.rebooked_office_id, e.held_office_id)");

absl::StatusOr<domain::ChangeEvent> ReadEvent(const pqxx::row& r) {
  domain::ChangeEvent e;
  e.cursor = Int(r[0]);
  e.event_id = absl::StrCat(Str(r[1]), "-", e.cursor);
  e.change_time = Time(r[2]);
  e.appointment = {.office_id = Str(r[3]), .id = Str(r[4])};
  e.outage_id = Str(r[5]);
  REBOOK_ASSIGN_OR_RETURN(e.kind, Decode(domain::ParseChangeKind(Str(r[6])), "change kind", r[6]));
  REBOOK_ASSIGN_OR_RETURN(
      e.status, Decode(domain::ParseAppointmentStatus(Str(r[7])), "appointment status", r[7]));
  e.service_id = Str(r[8]);
  e.cases = static_cast<int>(Int(r[9]));
  e.original_start = Time(r[10]);
  if (!r[11].is_null()) {
    domain::RebookedSlot slot;
    slot.slot = {
        .office_id = Str(r[11]), .clerk_id = Str(r[12]), .time = {Time(r[13]), Time(r[14])}};
    REBOOK_ASSIGN_OR_RETURN(slot.confirmed_via, Decode(domain::ParseConfirmationChannel(Str(r[15])),
                                                       "confirmed_via", r[15]));
    slot.confirm_time = Time(r[16]);
    e.rebooked_slot = std::move(slot);
  }
  if (!r[17].is_null()) {
    e.held_slot = domain::ScheduledSlot{
        .office_id = Str(r[17]), .clerk_id = Str(r[18]), .time = {Time(r[19]), Time(r[20])}};
  }
  e.offer_version = static_cast<int>(Int(r[21]));
  if (!r[22].is_null()) {
    REBOOK_ASSIGN_OR_RETURN(e.offer_state,
                            Decode(domain::ParseOfferState(Str(r[22])), "offer state", r[22]));
  }
  if (e.rebooked_slot || e.held_slot) e.slot_time_zone = Str(r[23]);
  return e;
}

}  // namespace

absl::StatusOr<ChangeFeedPage> PgTransaction::ListChangeEvents(const ChangeFeedQuery& query) {
  return Guard(
      "list change events", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<ChangeFeedPage> {
        ChangeFeedPage page;
        // The last cursor ever assigned: the newest event, or what pruning removed.
        const pqxx::result bounds = tx.exec(
            "SELECT COALESCE((SELECT max(cursor) FROM change_events), s.pruned_through), "
            "(SELECT min(cursor) FROM change_events) FROM change_feed_state s");
        page.last_cursor = Int(bounds[0][0]);
        page.oldest_cursor = bounds[0][1].is_null() ? page.last_cursor + 1 : Int(bounds[0][1]);
        const std::int64_t after = std::max<std::int64_t>(query.after_cursor, 0);
        const int limit = std::max(query.limit, 1);
        page.next_cursor = after;
        if (after >= page.last_cursor) return page;
        // Pruned cursors need no scan.
        const std::int64_t from = std::max(after, page.oldest_cursor - 1);
        const std::int64_t window =
            std::max<std::int64_t>(kMinScanWindow, std::int64_t{limit} * 20);
        const std::int64_t upper = std::min(page.last_cursor, from + window);
        Filter where;
        where.Add(absl::StrCat("e.cursor > ", where.params.Add(from), "::bigint"));
        where.Add(absl::StrCat("e.cursor <= ", where.params.Add(upper), "::bigint"));
        if (query.office_ids) {
          if (query.office_ids->empty()) {
            page.next_cursor = upper;
            return page;
          }
          where.AddIn("e.office_id", *query.office_ids);
        }
        const std::string sql =
            absl::StrCat(kEventSelect, where.Where(), " ORDER BY e.cursor LIMIT ",
                         where.params.Add(std::int64_t{limit}), "::bigint");
        for (const pqxx::row& row : where.params.Exec(tx, sql)) {
          REBOOK_ASSIGN_OR_RETURN(domain::ChangeEvent e, ReadEvent(row));
          page.events.push_back(std::move(e));
        }
        // A full page ends at its last event; a short one has looked up to `upper`.
        page.next_cursor =
            static_cast<int>(page.events.size()) == limit ? page.events.back().cursor : upper;
        return page;
      });
}

absl::StatusOr<std::int64_t> PgTransaction::PruneChangeEvents(Instant before, int limit) {
  std::int64_t deleted = 0;
  REBOOK_RETURN_IF_ERROR(
      WriteAtomically("prune change events", [&](pqxx::dbtransaction& tx) -> absl::Status {
        if (limit < 1) return absl::OkStatus();
        // Only a prefix goes: the feed stays one unbroken run of cursors from oldest_cursor
        // on, even where change times are out of order (a simulated clock set back). The
        // floor remembers the last cursor deleted, so numbering goes on after it.
        Params p;
        const std::string sql = absl::StrCat(
            "WITH gone AS (DELETE FROM change_events WHERE cursor < LEAST("
            "COALESCE((SELECT cursor FROM change_events WHERE change_time >= ",
            p.AddInstant(before),
            " ORDER BY cursor LIMIT 1), 9223372036854775807), "
            "COALESCE((SELECT min(cursor) FROM change_events), 0) + ",
            p.Add(std::int64_t{limit}),
            "::bigint) RETURNING cursor), "
            "raised AS (UPDATE change_feed_state SET pruned_through = "
            "GREATEST(pruned_through, (SELECT max(cursor) FROM gone)) "
            "WHERE EXISTS (SELECT 1 FROM gone) RETURNING 1) "
            "SELECT count(*) FROM gone");
        deleted = Int(p.Exec(tx, sql)[0][0]);
        return absl::OkStatus();
      }));
  return deleted;
}

}  // namespace rebook::storage::postgres_internal
