#include "services/rebooking/change_feed.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace rebook::rebooking {
namespace {

// Batches a single prune run deletes at most, so that a long-neglected feed is worked off over
// several runs instead of holding one run for minutes.
constexpr int kMaxBatchesPerRun = 200;

}  // namespace

absl::StatusOr<storage::ChangeFeedPage> ReadChangeFeed(storage::Store& store,
                                                       const ChangeFeedRead& read,
                                                       const storage::TransactionOptions& options) {
  if (read.after_cursor < 0) return absl::InvalidArgumentError("after_cursor is negative");
  storage::ChangeFeedPage page;
  REBOOK_RETURN_IF_ERROR(store.Read(options, [&](storage::Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(page, tx.ListChangeEvents({.office_ids = read.office_ids,
                                                       .after_cursor = read.after_cursor,
                                                       .limit = std::clamp(read.limit, 1, 1000)}));
    return absl::OkStatus();
  }));
  if (read.after_cursor != 0 && read.after_cursor + 1 < page.oldest_cursor) {
    return absl::OutOfRangeError(
        absl::StrCat("the change feed no longer holds the events after cursor ", read.after_cursor,
                     ": the oldest retained cursor is ", page.oldest_cursor,
                     "; resynchronise from an export and continue from the newest cursor"));
  }
  if (read.after_cursor > page.last_cursor) {
    return absl::OutOfRangeError(absl::StrCat(
        "cursor ", read.after_cursor, " is ahead of the change feed, whose newest cursor is ",
        page.last_cursor, ": the database was restored from a backup; resynchronise"));
  }
  return page;
}

absl::StatusOr<std::int64_t> PruneChangeFeed(storage::Store& store, Instant now,
                                             const ChangeRetention& retention) {
  if (retention.days <= 0) return 0;
  const Instant before = now - std::chrono::hours(24) * retention.days;
  const int batch = std::max(retention.batch, 1);
  std::int64_t total = 0;
  for (int i = 0; i < kMaxBatchesPerRun; ++i) {
    std::int64_t deleted = 0;
    REBOOK_RETURN_IF_ERROR(store.Write({}, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(deleted, tx.PruneChangeEvents(before, batch));
      return absl::OkStatus();
    }));
    total += deleted;
    if (deleted < batch) break;
  }
  return total;
}

}  // namespace rebook::rebooking
