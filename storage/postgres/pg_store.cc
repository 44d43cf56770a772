// PgStore: opening (migrations, connection pool) and the transaction runner.
#include "storage/postgres/pg_store.h"

#include <exception>
#include <random>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/postgres/internal/connection_pool.h"
#include "storage/postgres/internal/errors.h"
#include "storage/postgres/internal/pg_transaction.h"
#include "storage/postgres/internal/statistics_keeper.h"
#include "storage/postgres/migrations.h"

namespace rebook::storage {
namespace {

using postgres_internal::ConnectionPool;
using postgres_internal::PgTransaction;
using postgres_internal::StatisticsKeeper;
using postgres_internal::SteadyTime;

absl::Status PastDeadline() {
  return absl::DeadlineExceededError(
      "the transaction did not complete before its deadline (PostgreSQL busy or conflicting "
      "writes)");
}

// Milliseconds left until `deadline`, at least 1 (0 would disable PostgreSQL's timeouts).
std::int64_t MillisLeft(SteadyTime deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return std::max<std::int64_t>(1, left.count());
}

// A randomised pause before running a transaction again (attempt 1, 2, ...), at most 50 ms.
void Backoff(int attempt, SteadyTime deadline) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int cap = std::min(50, 1 << std::min(attempt, 5));
  const auto pause = std::chrono::milliseconds(std::uniform_int_distribution<int>(0, cap)(random));
  std::this_thread::sleep_until(std::min(deadline, std::chrono::steady_clock::now() + pause));
}

// Holds the session advisory lock `key` (kWriteLockKey or kOutboxLockKey; taken outside the
// transaction so that the snapshot is taken after it) until destroyed. Acquire throws like
// libpqxx; 55P03 after `timeout_ms`.
class WriteLock {
 public:
  WriteLock(pqxx::connection& connection, std::int64_t key) : connection_(connection), key_(key) {}
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  ~WriteLock() { Release(); }
  void Release() {
    if (!held_) return;
    held_ = false;
    try {
      pqxx::nontransaction(connection_).exec(absl::StrCat("SELECT pg_advisory_unlock(", key_, ")"));
    } catch (...) {
      // A broken connection: the server ends the session and releases its locks.
    }
  }
  void Acquire(std::int64_t timeout_ms) {
    std::exception_ptr failure;
    {
      pqxx::nontransaction session(connection_);
      session.exec(absl::StrCat("SET lock_timeout = ", timeout_ms));
      try {
        session.exec(absl::StrCat("SELECT pg_advisory_lock(", key_, ")"));
      } catch (...) {
        failure = std::current_exception();
      }
    }
    if (failure) {
      ReleaseAfterFailedWait();
      std::rethrow_exception(failure);
    }
    held_ = true;
    pqxx::nontransaction(connection_).exec("SET lock_timeout = 0");
  }

 private:
  // PostgreSQL may grant the lock in the instant the wait times out (the releasing backend
  // hands it over as the timeout fires): the statement fails, yet the session holds the lock,
  // and a session lock outlives the error. The pooled connection would then keep it forever and
  // every writer of every replica wait for it in vain (seen in ServerTest.
  // StorageWaitEndsAtTheDeadlineWithoutLeakingBusy on PostgreSQL: the next write waited 30 s).
  // So a failed wait always unlocks (false, and no warning, if the lock was not granted); if
  // even that fails the connection is closed, which ends the session and its locks.
  void ReleaseAfterFailedWait() {
    try {
      pqxx::nontransaction(connection_)
          .exec(absl::StrCat("SET lock_timeout = 0; SET client_min_messages = error; ",
                             "SELECT pg_advisory_unlock(", key_, "); RESET client_min_messages"));
    } catch (...) {
      connection_.disconnect();
    }
  }

  pqxx::connection& connection_;
  const std::int64_t key_;
  bool held_ = false;
};

// The session advisory locks of one write attempt of the default scope, released in reverse
// order: kWriteLockKey, as every write before outbox scopes existed; it runs beside outbox
// transactions. After a serialization failure its next attempts take kOutboxLockKey too,
// exclusively (after kWriteLockKey; outbox transactions take no other advisory lock, and take
// theirs before any row lock, so waits form no cycle): a long plan commit that a stream of
// leases and reports aborted once waits for the running ones and keeps new ones out until it
// commits, so it cannot be aborted by them again. Outbox-scoped writes take no session lock:
// they hold kOutboxLockKey shared, as a transaction lock (PgStore::Run).
class WriteLocks {
 public:
  explicit WriteLocks(pqxx::connection& connection)
      : write_(connection, kWriteLockKey), outbox_(connection, kOutboxLockKey) {}
  void Acquire(bool after_conflict, std::int64_t timeout_ms) {
    write_.Acquire(timeout_ms);
    if (after_conflict) outbox_.Acquire(timeout_ms);
  }
  void Release() {
    outbox_.Release();
    write_.Release();
  }

 private:
  WriteLock write_;
  WriteLock outbox_;
};

}  // namespace

PgStore::PgStore(PgStoreOptions options, std::unique_ptr<ConnectionPool> pool,
                 std::unique_ptr<StatisticsKeeper> statistics)
    : options_(std::move(options)), pool_(std::move(pool)), statistics_(std::move(statistics)) {}

PgStore::~PgStore() = default;

absl::StatusOr<std::unique_ptr<PgStore>> PgStore::Open(const PgStoreOptions& options) {
  if (options.url.empty()) return absl::InvalidArgumentError("PgStore needs a connection url");
  if (options.connections < 1) {
    return absl::InvalidArgumentError("PgStore needs at least one connection");
  }
  REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> bootstrap,
                          postgres_internal::Connect(options.url));
  absl::StatusOr<int> version = postgres::ApplyMigrations(*bootstrap, postgres::SchemaMigrations());
  if (!version.ok()) return version.status();
  return std::unique_ptr<PgStore>(new PgStore(
      options, std::make_unique<ConnectionPool>(options.url, options.connections),
      options.refresh_statistics ? std::make_unique<StatisticsKeeper>(options.url) : nullptr));
}

absl::Status PgStore::Read(const TransactionOptions& options,
                           absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return Run(/*write=*/false, options, fn);
}

absl::Status PgStore::Write(const TransactionOptions& options,
                            absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return Run(/*write=*/true, options, fn);
}

absl::Status PgStore::Run(bool write, const TransactionOptions& options,
                          absl::FunctionRef<absl::Status(Transaction&)> fn) {
  const SteadyTime deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  bool conflicted = false;  // an earlier attempt met a serialization failure or deadlock
  for (int attempt = 1;; ++attempt) {
    // The deadline bounds waiting, as on SQLite: a first attempt runs even past it when nothing
    // blocks it (a long import's deadline, counted from the start of its stream, may pass while
    // the stream is read); only a retry gives up.
    if (attempt > 1 && std::chrono::steady_clock::now() >= deadline) return PastDeadline();
    REBOOK_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->Acquire(deadline));
    WriteLocks write_lock(lease.connection());
    // An outbox-scoped write runs at READ COMMITTED with row locks (see pg_store.h).
    const bool outbox = write && options.scope == WriteScope::kOutbox;
    std::unique_ptr<pqxx::dbtransaction> tx;
    bool retry = false;
    absl::Status status;
    try {
      pqxx::connection& connection = lease.connection();
      if (outbox) {
        tx =
            std::make_unique<pqxx::transaction<pqxx::read_committed, pqxx::read_write>>(connection);
      } else if (write) {
        if (options_.serialize_writes) write_lock.Acquire(conflicted, MillisLeft(deadline));
        tx = std::make_unique<pqxx::transaction<pqxx::serializable, pqxx::read_write>>(connection);
      } else {
        tx =
            std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(connection);
      }
      // Lock waits end at the deadline; statements themselves do not (no statement_timeout):
      // the deadline is how long to wait for a busy database, not how long the work may take.
      tx->exec(absl::StrCat(
          "SET LOCAL lock_timeout = ", MillisLeft(deadline),
          write && options.durability == Durability::kProcessCrash
              ? "; SET LOCAL synchronous_commit = off"
              : "",
          outbox && options_.serialize_writes
              ? absl::StrCat("; SELECT pg_advisory_xact_lock_shared(", kOutboxLockKey, ")")
              : ""));
    } catch (...) {
      status = postgres_internal::StatusFromCurrentException("begin transaction", &retry);
      tx.reset();
      write_lock.Release();
      if (!absl::IsUnavailable(status)) return status;
      lease.Discard();
      // A pooled connection the server closed (a restart, a failover) fails here once; the
      // next attempt opens a fresh one.
      if (attempt == 1 && absl::IsUnavailable(status)) continue;
      return status;
    }
    const PgTransaction::Mode mode =
        write ? PgTransaction::Mode::kWrite : PgTransaction::Mode::kRead;
    PgTransaction t(*tx, mode, write ? options.scope : WriteScope::kAll);
    // An exception from `fn` propagates; the pqxx transaction's destructor rolls back.
    status = fn(t);
    if (t.needs_retry()) {
      tx.reset();
      write_lock.Release();
      pool_->retries.fetch_add(1, std::memory_order_relaxed);
      conflicted = true;
      Backoff(attempt, deadline);
      continue;
    }
    if (!t.broken().ok() || !status.ok()) {
      tx.reset();  // rolls back
      write_lock.Release();
      if (absl::IsUnavailable(t.broken())) lease.Discard();
      return t.broken().ok() ? status : t.broken();
    }
    if (write && options.commit_deadline &&
        std::chrono::steady_clock::now() > *options.commit_deadline) {
      tx.reset();
      return absl::DeadlineExceededError(
          "the write finished after its commit deadline and was rolled back");
    }
    try {
      tx->commit();
      if (statistics_ != nullptr && !t.written().empty()) statistics_->Note(t.written());
      return absl::OkStatus();
    } catch (...) {
      status = postgres_internal::StatusFromCurrentException("commit", &retry);
    }
    tx.reset();
    write_lock.Release();
    if (!retry) {
      if (absl::IsUnavailable(status)) lease.Discard();
      return status;
    }
    pool_->retries.fetch_add(1, std::memory_order_relaxed);
    conflicted = true;
    Backoff(attempt, deadline);
  }
}

absl::Status PgStore::FlushErasures(const TransactionOptions& options) {
  const SteadyTime deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  REBOOK_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->Acquire(deadline));
  try {
    // VACUUM cannot run inside a transaction block.
    pqxx::nontransaction session(lease.connection());
    session.exec(absl::StrCat("SET statement_timeout = ", MillisLeft(deadline)));
    session.exec("VACUUM appointments, outbox_messages, outbox_message_events, offers, requests");
    session.exec("SET statement_timeout = 0");
    return absl::OkStatus();
  } catch (...) {
    absl::Status s = postgres_internal::StatusFromCurrentException("flush erasures");
    lease.Discard();
    return s;
  }
}

absl::StatusOr<BackupResult> PgStore::Backup(const std::string& path, const BackupOptions&) {
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot back up a PostgreSQL store to ", path,
      ": use PostgreSQL's own backups (pg_dump, pg_basebackup with WAL archiving); see "
      "docs/deployment-postgres.md"));
}

absl::StatusOr<OperationalCounts> PgStore::CountByState(const TransactionOptions& options) {
  OperationalCounts counts;
  // The queries are aggregates over indexes; they run in one read transaction (one snapshot).
  REBOOK_RETURN_IF_ERROR(Run(false, options, [&](Transaction& t) -> absl::Status {
    counts = {};
    return static_cast<PgTransaction&>(t).CountByState(counts);
  }));
  return counts;
}

LockWaitTotals PgStore::lock_waits() const {
  return {.writer_queue_waits = pool_->pool_waits.load(),
          .writer_queue_wait_seconds = static_cast<double>(pool_->pool_wait_micros.load()) / 1e6};
}

std::int64_t PgStore::serialization_retries() const { return pool_->retries.load(); }

std::int64_t PgStore::tables_analyzed() const {
  return statistics_ == nullptr ? 0 : statistics_->counts().analyzed;
}

std::int64_t PgStore::failed_analyses() const {
  return statistics_ == nullptr ? 0 : statistics_->counts().failed;
}

void PgStore::WaitForStatistics() {
  if (statistics_ != nullptr) statistics_->WaitIdle();
}

}  // namespace rebook::storage
