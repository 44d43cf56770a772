// PgStore: the PostgreSQL backend of storage::Store, for several rebookd processes on one
// database (docs/deployment-postgres.md).
//
//   REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<storage::PgStore> store,
//                           storage::PgStore::Open({.url = "postgresql://rebook@db/rebook"}));
//   absl::Status s = store->Write({}, [&](storage::Transaction& tx) {
//     return tx.PutOffice(office);
//   });
//
// Opening connects, applies the schema migrations the database lacks (migrations.h; replicas
// starting at once migrate exactly once) and refuses a database written by a newer binary.
//
// Transactions: writes run at SERIALIZABLE, so the store.h promise "write transactions are
// serialisable" holds across every process on the database; reads run at REPEATABLE READ READ
// ONLY (one snapshot). With `serialize_writes` (the default) a write first takes the session
// advisory lock kWriteLockKey, before its snapshot, so writes of all replicas run one at a time
// in the order they got the lock and each sees every write committed before it started, as
// with SQLite's single writer (the conformance suite's writer tests hold every backend to
// that); readers never wait for it. A write with WriteScope::kOutbox (leases, delivery
// reports) takes neither: it runs at READ COMMITTED, holding kOutboxLockKey shared (a
// transaction lock) and row locks on what it changes (internal/pg_transaction.h), so leases and
// reports of all replicas run side by side, with each other and with the other writes. Each of
// its statements sees what was committed when it began (not one snapshot). A write of the
// default scope that a conflict aborted takes kOutboxLockKey exclusively as well on its next
// attempts (pg_store.cc, WriteLocks). docs/deployment-postgres.md says why that keeps every
// outbox guarantee. A serialization failure or
// deadlock (SQLSTATE 40001/40P01) rolls back and runs the caller's function again after a short
// randomised backoff, until the deadline; lock waits are bounded by the deadline too (lock_timeout,
// set per transaction), so a busy database ends in DEADLINE_EXCEEDED. As on SQLite the deadline
// bounds waiting, not work: statements have no timeout, and a first attempt runs even when its
// deadline has passed if nothing blocks it (a region's import stream can outlast the deadline).
// Durability::kProcessCrash commits with synchronous_commit = off for that transaction only.
// Errors map as in internal/errors.h. Thread-safe: `connections` connections, each used by
// one transaction at a time; a transaction waits for a free one until its deadline.
#ifndef REBOOK_STORAGE_POSTGRES_PG_STORE_H_
#define REBOOK_STORAGE_POSTGRES_PG_STORE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "storage/store.h"
#include "storage/store_maintenance.h"

namespace rebook::storage {

namespace postgres_internal {
class ConnectionPool;
class StatisticsKeeper;
}  // namespace postgres_internal

struct PgStoreOptions {
  // A libpq connection URI ("postgresql://user@host:port/db?sslmode=...") or keyword string.
  // Required. Passwords belong in ~/.pgpass or PGPASSWORD, not in flags.
  std::string url;
  // Connections to the server: at most this many transactions run at once. Default: 8.
  int connections = 8;
  // How long a transaction may take (waiting included) when its TransactionOptions carry no
  // deadline. Default: 30 s.
  std::chrono::milliseconds default_timeout{30'000};
  // Writes of every process on the database run one at a time (see above). false: writes run
  // concurrently under SERIALIZABLE alone; still serialisable (conflicts are retried), but a
  // write may be ordered before one that committed while it ran. Default: true.
  bool serialize_writes = true;
  // Analyze a table right after a write that changed a large share of it, instead of waiting
  // for autovacuum's next round (internal/statistics_keeper.h). Default: true.
  bool refresh_statistics = true;
};

// The session advisory lock that serialises writes ("rebookw" in ASCII).
inline constexpr std::int64_t kWriteLockKey = 0x7265626F6F6B77;
// The advisory lock of WriteScope::kOutbox writes ("rebooko" in ASCII): held shared by each of
// them, exclusively by a default-scope write after a conflict; see pg_store.cc WriteLocks and
// docs/deployment-postgres.md.
inline constexpr std::int64_t kOutboxLockKey = 0x7265626F6F6B6F;

class PgStore final : public Store, public StoreMaintenance {
 public:
  // Errors: INVALID_ARGUMENT for an empty url or connections < 1; UNAVAILABLE if the server
  // cannot be reached; FAILED_PRECONDITION for a database with a newer schema.
  static absl::StatusOr<std::unique_ptr<PgStore>> Open(const PgStoreOptions& options);

  ~PgStore() override;

  absl::Status Read(const TransactionOptions& options,
                    absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  absl::Status Write(const TransactionOptions& options,
                     absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  // VACUUMs the tables that hold personal data, so erased rows' space is marked free and
  // reused. PostgreSQL keeps old row versions in its WAL, WAL archive and base backups until
  // they are recycled: their retention is the operator's (docs/privacy.md).
  absl::Status FlushErasures(const TransactionOptions& options) override;

  // StoreMaintenance. Backups of a PostgreSQL database are PostgreSQL's (pg_dump,
  // pg_basebackup, WAL archiving): Backup is FAILED_PRECONDITION saying so.
  absl::StatusOr<BackupResult> Backup(const std::string& path,
                                      const BackupOptions& options) override;
  absl::StatusOr<OperationalCounts> CountByState(const TransactionOptions& options) override;
  LockWaitTotals lock_waits() const override;

  const PgStoreOptions& options() const { return options_; }
  // Transactions run again after a serialization failure or deadlock, since Open.
  std::int64_t serialization_retries() const;
  // Tables analyzed after bulk writes since Open (refresh_statistics), and failed analyses.
  std::int64_t tables_analyzed() const;
  std::int64_t failed_analyses() const;
  // Blocks until the analyses that writes committed so far call for have run (tests).
  void WaitForStatistics();

 private:
  PgStore(PgStoreOptions options, std::unique_ptr<postgres_internal::ConnectionPool> pool,
          std::unique_ptr<postgres_internal::StatisticsKeeper> statistics);
  absl::Status Run(bool write, const TransactionOptions& options,
                   absl::FunctionRef<absl::Status(Transaction&)> fn);

  PgStoreOptions options_;
  std::unique_ptr<postgres_internal::ConnectionPool> pool_;
  std::unique_ptr<postgres_internal::StatisticsKeeper> statistics_;  // null: refresh off
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_POSTGRES_PG_STORE_H_
