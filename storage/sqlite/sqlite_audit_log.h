// SqliteAuditLog: the SQLite backend of storage::AuditLog, on the store's database file.
//
//   auto store = storage::SqliteStore::Open({.path = db});       // applies migration 5
//   auto audit = storage::SqliteAuditLog::Open(**store);         // rebookd: the store's writer
//   auto audit = storage::SqliteAuditLog::Open({.path = db});    // or connections of its own
//
// Opened on a SqliteStore, the log appends through the store's one write connection (queued
// with the store's write transactions) and reads on its reader connections. That is what
// rebookd does: SQLite empties a connection's whole page cache when another connection has
// written to the file, so a log with a connection of its own made the store's writer read its
// B-trees again after every audited call (`pread`, 8-12 % of rebookd in a delivery drain).
// Opened on a path, it keeps a writer and a reader of its own, serialised with other writers
// through SQLite's write lock. Either way an append is its own transaction with
// synchronous=FULL (an fsync), whatever the durability of the store's transactions before it.
//
// Appends commit in groups (storage/audit_group_commit.h): concurrent callers share one
// transaction of up to 64 entries, each sealed to the one before; each returns once the
// transaction holding its entry committed; a failed shared transaction is retried entry by
// entry, so `seal` must be pure. The table `audit_entries` comes from the store's schema
// migration 5 (storage/sqlite/internal/audit_schema.h): open the store first.
// Thread-safe. Errors: FAILED_PRECONDITION if the file has no audit table; a database busy
// past the deadline is DEADLINE_EXCEEDED; otherwise as SqliteStore.
#ifndef REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_
#define REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "storage/audit_group_commit.h"
#include "storage/audit_log.h"

namespace rebook::storage {

class SqliteStore;

namespace sqlite_internal {
class Connection;
class ConnectionPool;
}  // namespace sqlite_internal

struct SqliteAuditLogOptions {
  std::string path;  // the store's database file; must exist (ignored by Open(SqliteStore&))
  // Wait for a busy database when a call's options carry no deadline. Default: 30 s.
  std::chrono::milliseconds default_timeout{30'000};
};

class SqliteAuditLog final : public AuditLog {
 public:
  // A log with connections of its own to `options.path`.
  static absl::StatusOr<std::unique_ptr<SqliteAuditLog>> Open(const SqliteAuditLogOptions& options);
  // A log on `store`'s connections. It shares them (they stay open while either is).
  static absl::StatusOr<std::unique_ptr<SqliteAuditLog>> Open(
      SqliteStore& store, const SqliteAuditLogOptions& options = {});
  ~SqliteAuditLog() override;

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
  SqliteAuditLog(SqliteAuditLogOptions options,
                 std::shared_ptr<sqlite_internal::ConnectionPool> pool);
  static absl::StatusOr<std::unique_ptr<SqliteAuditLog>> OpenOn(
      SqliteAuditLogOptions options, std::shared_ptr<sqlite_internal::ConnectionPool> pool);
  // One append transaction on the write connection (AuditGroupCommit::Transaction).
  absl::Status AppendTransaction(AuditGroupCommit::SteadyTime deadline,
                                 AuditGroupCommit::Body body);
  // Runs `fn` in a read transaction on a reader connection, mapping exceptions.
  absl::Status Read(const TransactionOptions& options,
                    absl::FunctionRef<absl::Status(sqlite_internal::Connection&)> fn);

  SqliteAuditLogOptions options_;
  std::shared_ptr<sqlite_internal::ConnectionPool> pool_;
  AuditGroupCommit group_;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_
