#include "tools/rebook_sync/pending_changes.h"

#include <algorithm>

namespace rebook::sync_worker {

std::size_t PendingChanges::Add(std::vector<domain::ChangeEvent> events, std::int64_t next_cursor) {
  std::size_t repeats = 0;
  for (domain::ChangeEvent& e : events) {
    if (e.cursor <= end_cursor_) {
      ++repeats;
      continue;
    }
    end_cursor_ = e.cursor;
    events_.push_back(std::move(e));
  }
  end_cursor_ = std::max(end_cursor_, next_cursor);
  return repeats;
}

PendingChanges::Batch PendingChanges::Take(std::size_t max) {
  Batch batch;
  const std::size_t n = std::min(std::max<std::size_t>(max, 1), events_.size());
  batch.events.assign(std::make_move_iterator(events_.begin()),
                      std::make_move_iterator(events_.begin() + static_cast<std::ptrdiff_t>(n)));
  events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
  batch.cursor_after = events_.empty() ? end_cursor_ : batch.events.back().cursor;
  return batch;
}

}  // namespace rebook::sync_worker
