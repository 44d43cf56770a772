// PendingChanges: the events read from the feed but not yet handed to the sinks, and the cursor
// to save once a batch of them is handed over. Pure bookkeeping, no I/O.
//
//   PendingChanges pending(saved_cursor);
//   pending.Add(events, response.next_cursor());
//   PendingChanges::Batch batch = pending.Take(500);
//   ... sink.Write(batch.events) ... cursor_file.Save(batch.cursor_after) ...
//
// The cursor after a batch is the last event's cursor, or, when the batch empties the queue,
// the feed's `next_cursor` (which may be past the last visible event: a reader scoped to some
// offices skips the others' events and must not read them again). So a crash after a sink
// write and before the save repeats exactly that batch, and never skips an event.
#ifndef REBOOK_TOOLS_REBOOK_SYNC_PENDING_CHANGES_H_
#define REBOOK_TOOLS_REBOOK_SYNC_PENDING_CHANGES_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "services/domain/change_event.h"

namespace rebook::sync_worker {

class PendingChanges {
 public:
  explicit PendingChanges(std::int64_t saved_cursor) : end_cursor_(saved_cursor) {}

  // Appends `events` (in cursor order); `next_cursor` is the feed's cursor after them. Events at
  // or before the end cursor are repeats of what was added already (the feed is at-least-once)
  // and are dropped; returns how many. The end cursor never moves back.
  std::size_t Add(std::vector<domain::ChangeEvent> events, std::int64_t next_cursor);

  struct Batch {
    std::vector<domain::ChangeEvent> events;  // at most `max`, in cursor order
    std::int64_t cursor_after = 0;            // save this once the sinks have `events`
  };
  // The oldest `max` (>= 1) pending events. Empty events with the end cursor when nothing is
  // pending (the cursor may still have moved past invisible events).
  Batch Take(std::size_t max);

  std::size_t size() const { return events_.size(); }
  bool empty() const { return events_.empty(); }
  std::int64_t end_cursor() const { return end_cursor_; }

 private:
  std::deque<domain::ChangeEvent> events_;
  std::int64_t end_cursor_;
};

}  // namespace rebook::sync_worker

#endif  // REBOOK_TOOLS_REBOOK_SYNC_PENDING_CHANGES_H_
