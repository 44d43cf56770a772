// RetentionJanitor: runs the retention purge (privacy_purge.h) and prunes the change feed
// (change_feed.h) on a background thread of rebookd at a fixed interval, as the store's
// Checkpointer runs WAL checkpoints.
//
//   RetentionJanitor janitor(&store, &clock, &ids, &outbox, {.interval = std::chrono::hours(1)});
//   ...  // destructor: stops and joins the thread (a purge in progress finishes its batch)
//
// Each run takes its `now` from the clock it is given (the simulated clock of a demo server
// too); the interval between runs is real time. Failures are logged (never personal data:
// only counts and the error) and retried at the next run. Thread-safe.
#ifndef REBOOK_SERVICES_REBOOKING_PRIVACY_JANITOR_H_
#define REBOOK_SERVICES_REBOOKING_PRIVACY_JANITOR_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/rebooking/change_feed.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/privacy_purge.h"
#include "storage/store.h"

namespace rebook::rebooking {

class RetentionJanitor {
 public:
  struct Options {
    // Real time between runs; the first run starts one interval after construction. Must be
    // positive.
    std::chrono::milliseconds interval{std::chrono::hours(1)};
    RetentionPolicy policy;
    // How long the change feed keeps its events (rebookd --change_retention_days).
    ChangeRetention change_feed;
  };

  // All pointers must outlive the janitor.
  RetentionJanitor(storage::Store* store, Clock* clock, IdGenerator* ids,
                   const OutboxPolicy* outbox, Options options);
  ~RetentionJanitor();
  RetentionJanitor(const RetentionJanitor&) = delete;
  RetentionJanitor& operator=(const RetentionJanitor&) = delete;

  // Runs completed so far (successful or not), for tests and diagnostics.
  std::int64_t runs() const;

 private:
  void Run();

  storage::Store& store_;
  Clock& clock_;
  IdGenerator& ids_;
  const OutboxPolicy& outbox_;
  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;      // guarded by mutex_
  std::int64_t runs_ = 0;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_PRIVACY_JANITOR_H_
