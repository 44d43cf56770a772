// SqliteStore: the embedded SQLite backend of storage::Store.
//
//   REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<storage::SqliteStore> store,
//                           storage::SqliteStore::Open({.path = "/var/lib/rebook/rebook.db"}));
//   absl::Status s = store->Write({}, [&](storage::Transaction& tx) {
//     return tx.PutOffice(office);
//   });
//
// The file is opened in WAL mode with synchronous=FULL (a committed transaction survives a
// power cut) and foreign_keys=ON. Opening applies the schema migrations the file lacks (see
// migrations.h) and refuses a file written by a newer binary.
//
// Concurrency: one writer connection and `read_connections` reader connections. Write
// transactions (BEGIN IMMEDIATE) run one at a time; read transactions (deferred BEGIN) run
// concurrently with each other and with the writer, each on its own snapshot. Lock contention,
// inside this process or with another process on the same file, makes a call wait and retry
// with backoff until its deadline, then fail with DEADLINE_EXCEEDED: SQLITE_BUSY never reaches a
// caller. WAL checkpoints run on a background thread (see `checkpoint_pages`). Thread-safe; see
// storage/store.h for the full contract.
#ifndef REBOOK_STORAGE_SQLITE_SQLITE_STORE_H_
#define REBOOK_STORAGE_SQLITE_SQLITE_STORE_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/store.h"
#include "storage/store_maintenance.h"

namespace rebook::storage {

namespace sqlite_internal {
class ConnectionPool;
}  // namespace sqlite_internal

struct SqliteStoreOptions {
  // The database file. Required; ":memory:" is not supported (each connection would see its
  // own empty database).
  std::string path;
  // Create the file if it does not exist. Default: true. If false, a missing file is
  // UNAVAILABLE.
  bool create_if_missing = true;
  // Connections for read transactions: at most this many run at once. Default: 4.
  int read_connections = 4;
  // How long a transaction waits for a busy database when its TransactionOptions carry no
  // deadline. Default: 30 s.
  std::chrono::milliseconds default_timeout{30'000};
  // How long Open waits for another process holding the file's write lock. Default: 30 s.
  std::chrono::milliseconds open_timeout{30'000};
  // Checkpoint the WAL into the database file on a background thread once a commit leaves
  // this many pages (4 KiB each) in it. 0: SQLite's built-in auto-checkpoint, which runs
  // inside the committing write. Default: 40000 (a WAL of up to about 160 MiB between
  // checkpoints), not SQLite's 1000: many small writes (leases, delivery reports) rewrite the
  // same upper B-tree pages, and a checkpoint copies only each page's newest frame and syncs
  // the file once, so fewer checkpoints write and sync much less (a region delivery drain:
  // 60 % fewer bytes to the disk, 13 % less rebookd CPU; docs/notifications.md).
  int checkpoint_pages = 40000;
};

class SqliteStore final : public Store, public StoreMaintenance {
 public:
  // Opens (or creates) the store. Errors: INVALID_ARGUMENT for an empty or ":memory:" path;
  // FAILED_PRECONDITION for a file with a newer schema; UNAVAILABLE if the file cannot be
  // opened; DEADLINE_EXCEEDED if another process keeps it locked past `open_timeout`.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const SqliteStoreOptions& options);

  ~SqliteStore() override;

  absl::Status Read(const TransactionOptions& options,
                    absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  absl::Status Write(const TransactionOptions& options,
                     absl::FunctionRef<absl::Status(Transaction&)> fn) override;

  // Checkpoints the whole WAL into the database file and truncates the WAL to zero bytes
  // (wal_checkpoint(TRUNCATE)), retrying while readers hold old snapshots. With secure_delete
  // on every connection, erased rows then survive neither in the file's free space nor in the
  // WAL (the -shm file holds only the WAL index). See docs/privacy.md.
  absl::Status FlushErasures(const TransactionOptions& options) override;

  // StoreMaintenance (sqlite_store_maintenance.cc). Backup uses SQLite's online backup API
  // from a connection of its own that holds one read transaction for the whole copy, so the
  // copy is that snapshot and writers never restart it.
  absl::StatusOr<BackupResult> Backup(const std::string& path,
                                      const BackupOptions& options) override;
  absl::StatusOr<OperationalCounts> CountByState(const TransactionOptions& options) override;
  LockWaitTotals lock_waits() const override;

  const SqliteStoreOptions& options() const { return options_; }

  // What one open connection reports through its pragmas.
  struct ConnectionSettings {
    bool writer = false;       // the write connection (else a reader)
    std::string journal_mode;  // "wal"
    int synchronous = -1;      // 2 = FULL
    bool foreign_keys = false;
    bool query_only = false;  // true for readers
  };
  // The effective settings of every connection (the writer first), for health checks and
  // tests. Waits until all connections are idle or the deadline passes (DEADLINE_EXCEEDED).
  absl::StatusOr<std::vector<ConnectionSettings>> InspectConnections(
      const TransactionOptions& options = {});
  // Background WAL checkpoints completed so far (see `checkpoint_pages`).
  std::int64_t background_checkpoints() const;

 private:
  // The audit log on the store's file shares its connections (SqliteAuditLog::Open(store)).
  friend class SqliteAuditLog;

  SqliteStore(SqliteStoreOptions options, std::shared_ptr<sqlite_internal::ConnectionPool> pool);
  absl::Status Run(bool write, const TransactionOptions& options,
                   absl::FunctionRef<absl::Status(Transaction&)> fn);

  SqliteStoreOptions options_;
  std::shared_ptr<sqlite_internal::ConnectionPool> pool_;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_SQLITE_SQLITE_STORE_H_
