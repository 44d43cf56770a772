#include "services/rebooking/outbox_group_commit.h"

#include <algorithm>

namespace rebook::rebooking {

absl::Status GroupCommit::Run(const storage::TransactionOptions& options,
                              absl::FunctionRef<absl::Status(storage::Transaction&)> fn) {
  Pending me{fn};
  std::unique_lock<std::mutex> lock(mu_);
  ++stats_.calls;
  queue_.push_back(&me);
  while (!me.done) {
    if (leading_) {
      done_.wait(lock);
      continue;
    }
    // Lead one batch; if `me` did not fit into it, the loop leads (or waits for) the next.
    leading_ = true;
    std::deque<Pending*> batch;
    while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    Commit(options, batch);
    lock.lock();
    for (Pending* p : batch) p->done = true;
    leading_ = false;
    done_.notify_all();
  }
  return me.result;
}

void GroupCommit::Commit(const storage::TransactionOptions& options,
                         const std::deque<Pending*>& batch) {
  std::int64_t transactions = 1;
  absl::Status shared = store_.Write(options, [&](storage::Transaction& tx) -> absl::Status {
    for (Pending* p : batch) {
      p->result = p->fn(tx);
      if (!p->result.ok()) return absl::AbortedError("a function of the batch failed");
    }
    return absl::OkStatus();
  });
  if (!shared.ok()) {
    // Nothing of the batch was written: give every function its own transaction.
    for (Pending* p : batch) {
      p->result = store_.Write(options, p->fn);
      ++transactions;
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats_.transactions += transactions;
  stats_.largest_batch = std::max<std::int64_t>(stats_.largest_batch, batch.size());
}

GroupCommit::Stats GroupCommit::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

int GroupCommit::queued() {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(queue_.size());
}

}  // namespace rebook::rebooking
