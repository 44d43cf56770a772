// AuditGroupCommit: the group commit of audit appends, shared by the backends of
// storage::AuditLog (SQLite and PostgreSQL).
//
//   AuditGroupCommit group([this](SteadyTime deadline, AuditGroupCommit::Body body) {
//     // The backend's write transaction: begin, take what serialises appends, read the tip,
//     // let `body` insert the entries, commit if it returned OK, else roll back.
//     return InTransaction(deadline, [&](Tx& tx) {
//       return body(ReadTip(tx), [&](const AuditRecord& r) { return Insert(tx, r); });
//     });
//   });
//   absl::Status s = group.Append(deadline, seal);  // from AuditLog::Append
//
// A caller that finds no append in progress leads: it appends its own entry and every entry
// queued meanwhile (up to `max_batch`) in one backend transaction, each sealed to the one
// before. Each caller returns once the transaction that holds its entry committed (or
// failed), so an entry is as durable as with one transaction each, the chain's order is the
// commit order, and concurrent callers share one commit (one fsync) instead of queueing for
// one each. A seal that refuses its entry (or numbers it wrongly) fails its caller alone and
// appends nothing. Any other failure (an insert, the commit) rolls the whole batch back, and
// each of its entries is appended again alone in a transaction of its own, so one entry's
// error never changes another's outcome; `seal` may therefore run more than once and must
// depend on the tip only (storage::AuditLog::Append says so too).
//
// `Transaction` must map its backend's exceptions to a status; an exception that `insert`
// throws passes through `body` unchanged. A batch runs with the latest deadline of its
// entries, so no entry fails for another caller's shorter one. Thread-safe; `Transaction` is
// called by one thread at a time.
#ifndef REBOOK_STORAGE_AUDIT_GROUP_COMMIT_H_
#define REBOOK_STORAGE_AUDIT_GROUP_COMMIT_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/audit_log.h"

namespace rebook::storage {

class AuditGroupCommit {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using Seal = absl::FunctionRef<absl::StatusOr<AuditRecord>(const AuditChainTip&)>;
  // Inserts one sealed record in the backend's open transaction.
  using Insert = absl::FunctionRef<absl::Status(const AuditRecord&)>;
  // Seals and inserts the batch's entries after `tip`; an error means "roll back".
  using Body = absl::FunctionRef<absl::Status(const AuditChainTip& tip, Insert insert)>;
  // One write transaction of the backend around `body` (see the file comment).
  using Transaction = std::function<absl::Status(SteadyTime deadline, Body body)>;

  explicit AuditGroupCommit(Transaction transaction, std::size_t max_batch = 64);

  // Appends the record `seal` returns for the tip it is given; returns once the transaction
  // holding it committed, or the error that kept it out.
  absl::Status Append(SteadyTime deadline, Seal seal);

  struct Stats {
    std::int64_t appends = 0;
    std::int64_t transactions = 0;  // shared commits, plus appends run again alone
    std::int64_t largest_batch = 0;
  };
  Stats stats() const;
  // Appends waiting for a transaction (for tests).
  int queued() const;

 private:
  struct Pending {
    Seal seal;
    SteadyTime deadline;
    absl::Status result;
    bool sealed_out = false;  // `seal` refused (or misnumbered) the entry: nothing appended
    bool done = false;
  };
  // Appends `batch` in one transaction; on failure, each entry alone. Sets each result.
  void Commit(const std::vector<Pending*>& batch);
  // Seals `p` after `tip` and inserts it; advances `tip` to the new entry.
  static absl::Status SealAndInsert(Pending& p, AuditChainTip& tip, Insert insert);

  const Transaction transaction_;
  const std::size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable appended_;
  std::deque<Pending*> queue_;
  bool leading_ = false;
  Stats stats_;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_AUDIT_GROUP_COMMIT_H_
