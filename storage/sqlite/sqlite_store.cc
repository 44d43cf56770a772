// SqliteStore: opening (migrations, connection pool) and the transaction runner.
#include "storage/sqlite/sqlite_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/connection.h"
#include "storage/sqlite/internal/connection_pool.h"
#include "storage/sqlite/internal/errors.h"
#include "storage/sqlite/internal/sqlite_transaction.h"
#include "storage/sqlite/migrations.h"

namespace rebook::storage {
namespace {

using sqlite_internal::Connection;
using sqlite_internal::kSmallWriteCacheKib;
using sqlite_internal::kWriterCacheKib;
using sqlite_internal::SqliteTransaction;
using sqlite_internal::SteadyTime;

// Runs a transaction-control statement. On failure `busy` says whether it met a lock.
absl::Status ExecControl(Connection& connection, const char* sql, bool& busy) {
  busy = false;
  try {
    connection.db().exec(sql);
    return absl::OkStatus();
  } catch (...) {
    const int code = sqlite_internal::CurrentExceptionSqliteCode();
    busy = code != -1 && sqlite_internal::IsBusyCode(code);
    return sqlite_internal::StatusFromCurrentException(sql);
  }
}

// Ends the connection's transaction, if one is open, discarding its changes. SQLite may have
// rolled back already (after some I/O or busy errors), hence the autocommit check.
void RollbackQuietly(Connection& connection) {
  if (sqlite3_get_autocommit(connection.db().getHandle()) != 0) return;
  bool busy = false;
  (void)ExecControl(connection, "ROLLBACK", busy);
}

// Rolls back unless dismissed, also when the caller's function throws.
class RollbackGuard {
 public:
  explicit RollbackGuard(Connection& connection) : connection_(connection) {}
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;
  ~RollbackGuard() {
    if (armed_) RollbackQuietly(connection_);
  }
  void Dismiss() { armed_ = false; }

 private:
  Connection& connection_;
  bool armed_ = true;
};

absl::Status BusyPastDeadline() {
  return absl::DeadlineExceededError(
      "the database stayed locked by another writer until the transaction deadline");
}

}  // namespace

SqliteStore::SqliteStore(SqliteStoreOptions options,
                         std::shared_ptr<sqlite_internal::ConnectionPool> pool)
    : options_(std::move(options)), pool_(std::move(pool)) {}

SqliteStore::~SqliteStore() = default;

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteStoreOptions& options) {
  if (options.path.empty() || options.path == ":memory:" ||
      options.path.rfind("file::memory:", 0) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("SqliteStore needs a database file path, got '", options.path, "'"));
  }
  const SteadyTime deadline = std::chrono::steady_clock::now() + options.open_timeout;
  auto past_deadline = [&](absl::Status s) {
    if (absl::IsUnavailable(s) && std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("opening ", options.path, ": locked by another process: ", s.message()));
    }
    return s;
  };
  {
    absl::StatusOr<std::unique_ptr<Connection>> bootstrap = Connection::Open(
        options.path, Connection::Role::kWriter, options.create_if_missing, deadline);
    if (!bootstrap.ok()) return past_deadline(bootstrap.status());
    absl::StatusOr<int> version =
        sqlite::ApplyMigrations((*bootstrap)->db(), sqlite::SchemaMigrations());
    if (!version.ok()) {
      return past_deadline(absl::Status(
          version.status().code(), absl::StrCat(options.path, ": ", version.status().message())));
    }
  }
  absl::StatusOr<std::unique_ptr<sqlite_internal::ConnectionPool>> pool =
      sqlite_internal::ConnectionPool::Open(options.path, options.read_connections,
                                            options.checkpoint_pages, deadline);
  if (!pool.ok()) return past_deadline(pool.status());
  return std::unique_ptr<SqliteStore>(new SqliteStore(options, *std::move(pool)));
}

absl::StatusOr<std::vector<SqliteStore::ConnectionSettings>> SqliteStore::InspectConnections(
    const TransactionOptions& options) {
  const SteadyTime deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  std::vector<ConnectionSettings> all;
  REBOOK_RETURN_IF_ERROR(
      pool_->ForEachConnection(deadline, [&](Connection& connection) -> absl::Status {
        try {
          ConnectionSettings settings;
          settings.writer = connection.role() == Connection::Role::kWriter;
          settings.journal_mode = connection.db().execAndGet("PRAGMA journal_mode").getString();
          settings.synchronous = connection.db().execAndGet("PRAGMA synchronous").getInt();
          settings.foreign_keys = connection.db().execAndGet("PRAGMA foreign_keys").getInt() != 0;
          settings.query_only = connection.db().execAndGet("PRAGMA query_only").getInt() != 0;
          all.push_back(std::move(settings));
          return absl::OkStatus();
        } catch (...) {
          return sqlite_internal::StatusFromCurrentException("inspect connection");
        }
      }));
  return all;
}

std::int64_t SqliteStore::background_checkpoints() const { return pool_->background_checkpoints(); }

absl::Status SqliteStore::Read(const TransactionOptions& options,
                               absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return Run(/*write=*/false, options, fn);
}

absl::Status SqliteStore::Write(const TransactionOptions& options,
                                absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return Run(/*write=*/true, options, fn);
}

absl::Status SqliteStore::Run(bool write, const TransactionOptions& options,
                              absl::FunctionRef<absl::Status(Transaction&)> fn) {
  const SteadyTime deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  REBOOK_ASSIGN_OR_RETURN(sqlite_internal::ConnectionPool::Lease lease,
                          write ? pool_->AcquireWriter(deadline) : pool_->AcquireReader(deadline));
  Connection& connection = *lease;
  connection.set_busy_deadline(deadline);
  const auto mode = write ? SqliteTransaction::Mode::kWrite : SqliteTransaction::Mode::kRead;
  if (write) {
    // WAL with synchronous=NORMAL appends the commit to the log without an fsync; the log is
    // still written in order, so a later FULL commit's fsync covers it (see Durability).
    try {
      connection.SetSynchronous(options.durability == Durability::kProcessCrash ? 1 : 2);
      // Outbox-scoped writes (leases, delivery reports) are small: see kSmallWriteCacheKib.
      connection.SetCacheSize(options.scope == WriteScope::kOutbox ? kSmallWriteCacheKib
                                                                   : kWriterCacheKib);
    } catch (...) {
      return sqlite_internal::StatusFromCurrentException("PRAGMA synchronous, cache_size");
    }
  }

  // Each pass runs `fn` once. A pass that meets a lock held by another process (the busy
  // handler gave up, or SQLite reported BUSY without waiting) rolls back and starts over.
  for (int attempt = 0;; ++attempt) {
    bool busy = false;
    absl::Status begun = ExecControl(connection, write ? "BEGIN IMMEDIATE" : "BEGIN", busy);
    if (busy) {
      if (!sqlite_internal::BackoffUntil(deadline, attempt)) return BusyPastDeadline();
      continue;
    }
    if (!begun.ok()) return begun;

    RollbackGuard guard(connection);
    SqliteTransaction tx(connection, mode, deadline, write ? options.scope : WriteScope::kAll);
    absl::Status result = fn(tx);
    if (tx.needs_retry()) {
      RollbackQuietly(connection);
      if (!sqlite_internal::BackoffUntil(deadline, attempt)) return BusyPastDeadline();
      continue;
    }
    if (!tx.broken().ok()) return tx.broken();
    if (!result.ok() || !write) return result;  // the guard rolls back
    if (options.commit_deadline && std::chrono::steady_clock::now() >= *options.commit_deadline) {
      return absl::DeadlineExceededError(  // the guard rolls back
          "the call's deadline passed before its changes were committed; nothing was changed");
    }

    absl::Status committed = ExecControl(connection, "COMMIT", busy);
    if (committed.ok()) {
      guard.Dismiss();
      return absl::OkStatus();
    }
    if (!busy) return committed;
    RollbackQuietly(connection);
    if (!sqlite_internal::BackoffUntil(deadline, attempt)) return BusyPastDeadline();
  }
}

}  // namespace rebook::storage
