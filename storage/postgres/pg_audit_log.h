// PgAuditLog: the audit log (storage/audit_log.h) in the PostgreSQL store's database.
//
//   auto store = storage::PgStore::Open({.url = url});      // migrates, creates audit_entries
//   auto audit = storage::PgAuditLog::Open({.url = url});   // the same database
//
// Appends of every replica are serialised by a transaction advisory lock (kAuditLockKey) taken
// before the chain's tip is read, so the hash chain stays one chain across processes; the
// primary key on seq refuses a second entry with the same number in any case. A trigger
// refuses UPDATE, DELETE and TRUNCATE (schema step 1). One connection of its own, guarded by a
// mutex.
//
// Appends commit in groups (storage/audit_group_commit.h), as in the SQLite log: concurrent
// callers of this process share one transaction (one advisory lock, one tip read, one commit)
// of up to 64 entries, each sealed to the one before, and each returns once the transaction
// holding its entry committed; a failed shared transaction is retried entry by entry, so
// `seal` must be pure. Before, each entry was a transaction of its own under the advisory
// lock, and concurrent calls of a delivery drain queued for it one by one.
// Errors: as PgStore; FAILED_PRECONDITION if the database has no audit table.
#ifndef REBOOK_STORAGE_POSTGRES_PG_AUDIT_LOG_H_
#define REBOOK_STORAGE_POSTGRES_PG_AUDIT_LOG_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "pqxx/pqxx"
#include "storage/audit_group_commit.h"
#include "storage/audit_log.h"

namespace rebook::storage {

struct PgAuditLogOptions {
  std::string url;  // as PgStoreOptions::url
  // Deadline of calls whose TransactionOptions carry none. Default: 30 s.
  std::chrono::milliseconds default_timeout{30'000};
};

// The advisory lock of appends ("rebooka" in ASCII).
inline constexpr std::int64_t kAuditLockKey = 0x7265626F6F6B61;

class PgAuditLog final : public AuditLog {
 public:
  static absl::StatusOr<std::unique_ptr<PgAuditLog>> Open(const PgAuditLogOptions& options);
  ~PgAuditLog() override;

  absl::Status Append(
      const TransactionOptions& options,
      absl::FunctionRef<absl::StatusOr<AuditRecord>(const AuditChainTip&)> seal) override;
  absl::StatusOr<Page<AuditRecord>> List(const TransactionOptions& options,
                                         const AuditFilter& filter,
                                         const PageRequest& page) override;
  absl::Status Scan(const TransactionOptions& options,
                    const std::function<absl::Status(const AuditRecord&)>& fn) override;

  using Stats = AuditGroupCommit::Stats;
  Stats stats() const { return group_.stats(); }
  // Appends waiting for a transaction (for tests).
  int queued() const { return group_.queued(); }

 private:
  PgAuditLog(PgAuditLogOptions options, std::unique_ptr<pqxx::connection> connection);
  // Runs `body` with the connection (reconnecting if it broke), mapping exceptions.
  absl::Status Run(const TransactionOptions& options, const char* what,
                   const std::function<absl::Status(pqxx::connection&, std::int64_t)>& body);
  // One append transaction (AuditGroupCommit::Transaction).
  absl::Status AppendTransaction(AuditGroupCommit::SteadyTime deadline,
                                 AuditGroupCommit::Body body);

  PgAuditLogOptions options_;
  std::mutex mu_;
  std::unique_ptr<pqxx::connection> connection_;
  AuditGroupCommit group_;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_POSTGRES_PG_AUDIT_LOG_H_
