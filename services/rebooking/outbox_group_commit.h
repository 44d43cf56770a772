// GroupCommit: runs small write functions from many threads in shared transactions, so that a
// burst of delivery reports costs one commit (and one fsync) per batch instead of one each.
//
//   GroupCommit reports(&store);
//   absl::Status s = reports.Run(tx_options, [&](storage::Transaction& tx) {
//     return ReportDelivery(tx, policy, report, now, ids).status();
//   });
//
// A caller that finds no transaction in progress becomes the leader: it takes the queued
// functions (its own and those that arrived meanwhile, up to `max_batch`), runs them one after
// another in one write transaction and commits. Callers that arrive while it commits wait and
// form the next batch. Each caller gets its own function's status.
//
// If any function of a batch fails, or the commit fails, the batch is rolled back and every
// function of it is run again alone, in its own transaction, so one caller's error never
// changes another's outcome. Functions must therefore, like any Store::Write function, have
// no effects outside the transaction (they may run more than once).
//
// Worth it when commits dominate (synchronous=FULL on a real disk); with one caller at a time
// it behaves like Store::Write. Thread-safe. `store` must outlive the object.
#ifndef REBOOK_SERVICES_REBOOKING_OUTBOX_GROUP_COMMIT_H_
#define REBOOK_SERVICES_REBOOKING_OUTBOX_GROUP_COMMIT_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "storage/store.h"

namespace rebook::rebooking {

class GroupCommit {
 public:
  explicit GroupCommit(storage::Store* store, int max_batch = 64)
      : store_(*store), max_batch_(max_batch) {}

  // Runs `fn` in a write transaction, possibly shared with other callers' functions, and
  // returns its status once its transaction committed (or rolled back). The batch uses the
  // leader's transaction options.
  absl::Status Run(const storage::TransactionOptions& options,
                   absl::FunctionRef<absl::Status(storage::Transaction&)> fn);

  struct Stats {
    std::int64_t calls = 0;
    std::int64_t transactions = 0;  // shared commits, plus reruns alone after a failure
    std::int64_t largest_batch = 0;
  };
  Stats stats();
  // Callers waiting for a transaction (for tests).
  int queued();

 private:
  struct Pending {
    absl::FunctionRef<absl::Status(storage::Transaction&)> fn;
    absl::Status result;
    bool done = false;
  };
  void Commit(const storage::TransactionOptions& options, const std::deque<Pending*>& batch);

  storage::Store& store_;
  const int max_batch_;
  std::mutex mu_;
  std::condition_variable done_;
  std::deque<Pending*> queue_;
  bool leading_ = false;
  Stats stats_;
};

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OUTBOX_GROUP_COMMIT_H_
