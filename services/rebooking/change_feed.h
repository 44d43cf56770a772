// The change feed's use cases (docs/changes.md): reading it from a cursor, scoped to offices, and
// pruning it after its retention. The events themselves are written by the store in the
// transaction of every change (storage/change_feed_store.h); nothing here writes one.
//
//   REBOOK_ASSIGN_OR_RETURN(storage::ChangeFeedPage page,
//                           ReadChangeFeed(store, {.office_ids = offices, .after_cursor = 41},
//                           {}));
//   REBOOK_ASSIGN_OR_RETURN(std::int64_t pruned, PruneChangeFeed(store, clock.Now(), {}));
//
// Errors: OUT_OF_RANGE when `after_cursor` lies before the oldest retained event (events were
// pruned: the consumer must resynchronise) or after the newest cursor ever assigned (the
// database was restored from an older backup); the message says which. Store errors as is.
#ifndef REBOOK_SERVICES_REBOOKING_CHANGE_FEED_H_
#define REBOOK_SERVICES_REBOOKING_CHANGE_FEED_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "storage/store.h"

namespace rebook::rebooking {

inline constexpr int kDefaultChangeRetentionDays = 30;
inline constexpr int kMaxChangeRetentionDays = 3650;

struct ChangeFeedRead {
  // nullopt: every office; otherwise only events of appointments of these (original) offices.
  std::optional<std::vector<std::string>> office_ids;
  // 0: from the oldest retained event. Must not be negative.
  std::int64_t after_cursor = 0;
  int limit = 100;  // 1..1000
};

absl::StatusOr<storage::ChangeFeedPage> ReadChangeFeed(storage::Store& store,
                                                       const ChangeFeedRead& read,
                                                       const storage::TransactionOptions& options);

struct ChangeRetention {
  // Events older than this many days go. 0: the feed is kept for ever.
  int days = kDefaultChangeRetentionDays;
  // Events deleted per write transaction, so that writers wait at most for one batch.
  int batch = 5000;
};

// Deletes the events older than `retention.days` before `now`, batch by batch; returns how many.
absl::StatusOr<std::int64_t> PruneChangeFeed(storage::Store& store, Instant now,
                                             const ChangeRetention& retention);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_CHANGE_FEED_H_
