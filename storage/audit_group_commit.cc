#include "storage/audit_group_commit.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace rebook::storage {

AuditGroupCommit::AuditGroupCommit(Transaction transaction, std::size_t max_batch)
    : transaction_(std::move(transaction)), max_batch_(std::max<std::size_t>(max_batch, 1)) {}

absl::Status AuditGroupCommit::Append(SteadyTime deadline, Seal seal) {
  Pending me{.seal = seal, .deadline = deadline};
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&me);
  while (!me.done) {
    if (leading_) {
      appended_.wait(lock);
      continue;
    }
    // Lead: append what is queued (our own entry among it, unless more than a batch is ahead).
    leading_ = true;
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    Commit(batch);
    lock.lock();
    for (Pending* p : batch) p->done = true;
    stats_.appends += static_cast<std::int64_t>(batch.size());
    stats_.largest_batch = std::max<std::int64_t>(stats_.largest_batch, batch.size());
    leading_ = false;
    appended_.notify_all();
  }
  return me.result;
}

void AuditGroupCommit::Commit(const std::vector<Pending*>& batch) {
  SteadyTime deadline = batch.front()->deadline;
  for (const Pending* p : batch) deadline = std::max(deadline, p->deadline);
  absl::Status shared =
      transaction_(deadline, [&](const AuditChainTip& first, Insert insert) -> absl::Status {
        AuditChainTip tip = first;
        for (Pending* p : batch) {
          p->sealed_out = false;
          p->result = SealAndInsert(*p, tip, insert);
          // A refused seal appended nothing and concerns only its caller; any other error
          // leaves the transaction in doubt, so the batch is rolled back and run again alone.
          if (!p->result.ok() && !p->sealed_out) return p->result;
        }
        return absl::OkStatus();
      });
  std::int64_t transactions = 1;
  if (!shared.ok()) {
    if (batch.size() == 1) {
      batch.front()->result = shared;
    } else {
      for (Pending* p : batch) {
        p->result = transaction_(p->deadline, [&](const AuditChainTip& first, Insert insert) {
          AuditChainTip tip = first;
          p->sealed_out = false;
          return SealAndInsert(*p, tip, insert);
        });
        ++transactions;
      }
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  stats_.transactions += transactions;
}

absl::Status AuditGroupCommit::SealAndInsert(Pending& p, AuditChainTip& tip, Insert insert) {
  absl::StatusOr<AuditRecord> sealed = p.seal(tip);
  if (!sealed.ok()) {
    p.sealed_out = true;
    return sealed.status();
  }
  if (sealed->seq != tip.seq + 1) {
    p.sealed_out = true;
    return absl::InternalError(
        absl::StrCat("audit entry ", sealed->seq, " does not follow ", tip.seq));
  }
  const absl::Status inserted = insert(*sealed);
  if (!inserted.ok()) return inserted;
  tip = AuditChainTip{.seq = sealed->seq, .hash = sealed->hash};
  return absl::OkStatus();
}

AuditGroupCommit::Stats AuditGroupCommit::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

int AuditGroupCommit::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(queue_.size());
}

}  // namespace rebook::storage
