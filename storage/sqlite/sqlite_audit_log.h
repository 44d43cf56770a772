// SqliteAuditLog: the SQLite backend of storage::AuditLog, on the store's database file.
//
//   auto store = storage::SqliteStore::Open({.path = db});       // applies migration 5
//   auto audit = storage::SqliteAuditLog::Open({.path = db});    // the same file
//
// It keeps one connection of its own (WAL, synchronous=FULL) guarded by a mutex, so appends
// are serialised inside the process and, through SQLite's write lock, with the store's
// writers and other processes. Appends commit in groups: a caller that finds no append in
// progress leads, and appends its own entry and every entry queued meanwhile (up to 64) in one
// transaction, each sealed to the one before; each caller returns once the transaction that
// holds its entry committed, so an entry is as durable as before, but concurrent calls share
// one fsync instead of queueing for one each (with 4 notification workers, an fsync per
// delivery-report call was the wall limit of the drain). If the shared transaction fails, each
// entry is appended again alone, so one entry's error never changes another's outcome; `seal`
// must therefore be pure (it may run more than once). The table `audit_entries` comes from the
// store's schema migration 5 (storage/sqlite/internal/audit_schema.h): open the store first.
// Errors: FAILED_PRECONDITION if the file has no audit table; otherwise as SqliteStore.
#ifndef REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_
#define REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/audit_log.h"

namespace rebook::storage {

namespace sqlite_internal {
class Connection;
}  // namespace sqlite_internal

struct SqliteAuditLogOptions {
  std::string path;  // the store's database file; must exist
  // Wait for a busy database when a call's options carry no deadline. Default: 30 s.
  std::chrono::milliseconds default_timeout{30'000};
};

class SqliteAuditLog final : public AuditLog {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteAuditLog>> Open(const SqliteAuditLogOptions& options);
  ~SqliteAuditLog() override;

  absl::Status Append(
      const TransactionOptions& options,
      absl::FunctionRef<absl::StatusOr<AuditRecord>(const AuditChainTip&)> seal) override;
  absl::StatusOr<Page<AuditRecord>> List(const TransactionOptions& options,
                                         const AuditFilter& filter,
                                         const PageRequest& page) override;
  absl::Status Scan(const TransactionOptions& options,
                    const std::function<absl::Status(const AuditRecord&)>& fn) override;

  struct Stats {
    std::int64_t appends = 0;
    std::int64_t transactions = 0;  // shared commits, plus appends run again alone
    std::int64_t largest_batch = 0;
  };
  Stats stats();
  // Appends waiting for a transaction (for tests).
  int queued();

 private:
  struct PendingAppend {
    absl::FunctionRef<absl::StatusOr<AuditRecord>(const AuditChainTip&)> seal;
    std::chrono::steady_clock::time_point deadline;
    absl::Status result;
    bool sealed_out = false;  // `seal` refused (or misnumbered) the entry: nothing appended
    bool done = false;
  };
  static constexpr std::size_t kMaxBatch = 64;
  // Appends `batch` in one transaction; on failure, each entry alone. Sets each result.
  void AppendBatch(const std::vector<PendingAppend*>& batch);
  // Seals and inserts `p` after `tip` (advanced to the new entry), inside a transaction.
  absl::Status AppendOne(PendingAppend& p, AuditChainTip& tip);
  absl::Status ReadTip(AuditChainTip& tip);

  SqliteAuditLog(SqliteAuditLogOptions options,
                 std::unique_ptr<sqlite_internal::Connection> connection);
  // Runs `fn` inside BEGIN IMMEDIATE (write) or BEGIN (read) on the connection, mapping
  // exceptions; commits when `fn` returns OK, else rolls back.
  absl::Status Run(bool write, const TransactionOptions& options,
                   absl::FunctionRef<absl::Status()> fn);

  SqliteAuditLogOptions options_;
  std::mutex mu_;  // the connection
  std::unique_ptr<sqlite_internal::Connection> connection_;
  std::mutex queue_mu_;  // what follows
  std::condition_variable appended_;
  std::deque<PendingAppend*> queue_;
  bool leading_ = false;
  Stats stats_;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_
