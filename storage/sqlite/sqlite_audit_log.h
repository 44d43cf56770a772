// SqliteAuditLog: the SQLite backend of storage::AuditLog, on the store's database file.
//
//   auto store = storage::SqliteStore::Open({.path = db});       // applies migration 5
//   auto audit = storage::SqliteAuditLog::Open({.path = db});    // the same file
//
// It keeps one connection of its own (WAL, synchronous=FULL) guarded by a mutex, so appends
// are serialised inside the process and, through SQLite's write lock, with the store's
// writers and other processes. The table `audit_entries` comes from the store's schema
// migration 5 (storage/sqlite/internal/audit_schema.h): open the store first.
// Errors: FAILED_PRECONDITION if the file has no audit table; otherwise as SqliteStore.
#ifndef REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_
#define REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

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

 private:
  SqliteAuditLog(SqliteAuditLogOptions options,
                 std::unique_ptr<sqlite_internal::Connection> connection);
  // Runs `fn` inside BEGIN IMMEDIATE (write) or BEGIN (read) on the connection, mapping
  // exceptions; commits when `fn` returns OK, else rolls back.
  absl::Status Run(bool write, const TransactionOptions& options,
                   absl::FunctionRef<absl::Status()> fn);

  SqliteAuditLogOptions options_;
  std::mutex mu_;
  std::unique_ptr<sqlite_internal::Connection> connection_;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_SQLITE_SQLITE_AUDIT_LOG_H_
