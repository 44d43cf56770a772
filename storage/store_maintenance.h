// StoreMaintenance: operations on a store as a whole, for operators rather than requests:
// an online backup, cheap aggregate counts for the metrics endpoint, and lock-wait totals.
//
//   storage::StoreMaintenance& m = *sqlite_store;  // SqliteStore implements it
//   REBOOK_ASSIGN_OR_RETURN(storage::BackupResult r, m.Backup("/var/lib/rebook/b.tmp", {}));
//   REBOOK_ASSIGN_OR_RETURN(storage::OperationalCounts c, m.CountByState({}));
//
// Contract: thread-safe, and every method runs while requests go on. Backup writes a copy of
// one consistent snapshot of the whole store (every transaction committed before it started,
// and none that committed after) without holding the write lock between its steps, so writers
// wait at most for one step. Errors are absl::Status; nothing throws.
#ifndef REBOOK_STORAGE_STORE_MAINTENANCE_H_
#define REBOOK_STORAGE_STORE_MAINTENANCE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/outreach.h"
#include "storage/store.h"

namespace rebook::storage {

// Rows by state: outbox messages per (channel, state), offers per state, open outages.
struct OperationalCounts {
  struct Messages {
    std::string channel;
    domain::MessageState state = domain::MessageState::kPending;
    std::int64_t count = 0;
  };
  std::vector<Messages> messages;
  // Creation time of the oldest message still waiting to be sent (pending or leased).
  std::optional<Instant> oldest_unsent_create_time;
  std::vector<std::pair<domain::OfferState, std::int64_t>> offers;
  std::int64_t open_outages = 0;
};

// Time spent waiting for locks since the store was opened.
struct LockWaitTotals {
  // Waits for a lock held by another connection or process (SQLite's busy handler).
  std::int64_t busy_waits = 0;
  double busy_wait_seconds = 0;
  // Write transactions that queued behind another write transaction of this process.
  std::int64_t writer_queue_waits = 0;
  double writer_queue_wait_seconds = 0;
};

struct BackupOptions {
  // Database pages (4 KiB) copied per step; the read snapshot is held throughout, while other
  // connections keep reading and writing. Default 1024 (4 MiB).
  int pages_per_step = 1024;
  // Pause between steps, leaving the disk to requests. Default 0.
  std::chrono::milliseconds pause{0};
  // Give up (DEADLINE_EXCEEDED) after this. Default: none.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct BackupResult {
  std::int64_t bytes = 0;
  std::int64_t pages = 0;
  int steps = 0;
  int schema_version = 0;
};

class StoreMaintenance {
 public:
  virtual ~StoreMaintenance() = default;

  // Writes a consistent copy of the store to `path`, which must not exist (ALREADY_EXISTS);
  // the file is created with mode 0600. On error the partial file is removed.
  virtual absl::StatusOr<BackupResult> Backup(const std::string& path,
                                              const BackupOptions& options) = 0;

  // One snapshot's counts, from aggregate queries (no rows are read into memory).
  virtual absl::StatusOr<OperationalCounts> CountByState(const TransactionOptions& options) = 0;

  virtual LockWaitTotals lock_waits() const = 0;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_STORE_MAINTENANCE_H_
