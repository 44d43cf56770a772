// The storage facet of the change feed (services/domain/change_event.h, docs/changes.md):
// reading the events a backend records for every state change of an appointment, of its offer
// or of its held or rebooked slot, and pruning old ones. `storage::Transaction` offers it; the
// transaction contract of storage/store.h holds here too.
//
// Contract for every backend (checked by storage/conformance/change_feed_conformance.cc):
// - The backend records the events itself, in the transaction that makes the change, so that no
//   code path can forget one: an appointment inserted (kAppointmentCreated), its booking data
//   changed (kAppointmentUpdated), its status or outage changed (kStatusChanged), a slot held
//   (kSlotHeld), a held or rebooked slot given up (kSlotReleased, `held_slot` is the slot freed),
//   a rebooked slot set (kSlotConfirmed), an appointment deleted or its personal data erased
//   (kAppointmentErased). An update that changes none of these (only the update time or the
//   status reason) records nothing. A change records one event carrying the state after it.
// - Cursors are 1, 2, 3, ... in commit order without gaps: a rolled-back transaction leaves none,
//   and a cursor is never used twice, pruning included. Every transaction that has seen cursor N
//   committed sees every event up to N.
// - `event_id` is unique across the database's life and across restores of its backups: it
//   holds a random epoch the database draws when it is created or restored.
#ifndef REBOOK_STORAGE_CHANGE_FEED_STORE_H_
#define REBOOK_STORAGE_CHANGE_FEED_STORE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/change_event.h"
#include "services/domain/model.h"

namespace rebook::storage {

struct ChangeFeedQuery {
  // nullopt: every office. Otherwise only events of appointments whose original office is one
  // of these (an empty list matches none).
  std::optional<std::vector<std::string>> office_ids;
  // Events with a larger cursor; 0 reads from the oldest retained event.
  std::int64_t after_cursor = 0;
  // At most this many events (at least 1).
  int limit = 100;
};

struct ChangeFeedPage {
  // In cursor order.
  std::vector<domain::ChangeEvent> events;
  // What the reader passes as `after_cursor` next: the last cursor this read looked at, visible
  // or not. A scoped reader thus moves past other offices' events. Equal to `after_cursor` if
  // nothing newer exists.
  std::int64_t next_cursor = 0;
  // The smallest cursor still stored; `last_cursor` + 1 if none is (all pruned, or none yet).
  std::int64_t oldest_cursor = 1;
  // The largest cursor ever assigned (0 if none), pruned events included.
  std::int64_t last_cursor = 0;
};

class ChangeFeedTables {
 public:
  virtual ~ChangeFeedTables() = default;

  // The events of `query` from one snapshot. `after_cursor` is not checked against the
  // retention: the caller compares it with `oldest_cursor`.
  virtual absl::StatusOr<ChangeFeedPage> ListChangeEvents(const ChangeFeedQuery& query) = 0;

  // Deletes up to `limit` of the oldest events whose change time is before `before`; returns
  // how many. Cursors of deleted events are never reused.
  virtual absl::StatusOr<std::int64_t> PruneChangeEvents(Instant before, int limit) = 0;
};

// `appointments` in the order a backend records one write call's events: (original_start, id,
// office_id), equal keys in the order given. Both backends sort an InsertAppointments call so
// (SQLite also for its indexes' sake; PostgreSQL's statement triggers number in that order,
// storage/postgres/internal/schema_feed_statements.h), and PostgreSQL its UpdateAppointments.
std::vector<const domain::Appointment*> InFeedOrder(
    std::span<const domain::Appointment> appointments);

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_CHANGE_FEED_STORE_H_
