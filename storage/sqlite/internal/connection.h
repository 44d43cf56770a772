// One SQLite connection of the store, with its pragmas, a deadline-aware busy handler and a
// cache of prepared statements.
//
// Not thread-safe: a connection is used by one transaction at a time (see ConnectionPool).
// Methods throw SQLite::Exception like SQLiteCpp itself; the transaction layer maps them.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_CONNECTION_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_CONNECTION_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/status/statusor.h"

namespace rebook::storage::sqlite_internal {

using SteadyTime = std::chrono::steady_clock::time_point;

// The page cache of the write connection, in KiB: 256 MiB for bulk writes (imports, plan
// commits), 8 MiB for small ones (leases, delivery reports, audit entries). SQLite 3.40 walks
// every page in the cache at the commit of a transaction whose B-tree rebalancing renumbered a
// page (balance_nonroot passes the pages through the number after the pending-byte page,
// 262145, so the cache's end-of-file truncation scans its whole hash table): about every small
// write. With the cache warm (the audit log shares the writer) that walk cost ~15 % of
// rebookd in a delivery drain at 64 MiB; the small writes' working set (the B-trees' upper
// levels) fits in 8 MiB. Shrinking evicts the least recently used pages. At 64 MiB a region
// plan commit (~100,000 offers) spilled dirty pages to the WAL halfway and wrote them again at
// its end: 256 MiB saved it ~0.2 s of 5 (docs/pipeline.md, "A commit on two threads").
inline constexpr int kWriterCacheKib = 262144;
inline constexpr int kSmallWriteCacheKib = 8192;
// kWriterCacheKib as a statement, for the raw-insert baselines (bench/storage_raw).
inline constexpr const char* kWriterCacheSizePragma = "PRAGMA cache_size=-262144";

class Connection;

// Time connections spent waiting for locks (storage::LockWaitTotals), shared by a pool's
// connections. Nanoseconds.
struct LockWaitCounters {
  std::atomic<std::int64_t> busy_waits{0};
  std::atomic<std::int64_t> busy_wait_ns{0};
  std::atomic<std::int64_t> writer_queue_waits{0};
  std::atomic<std::int64_t> writer_queue_wait_ns{0};
};

// A prepared statement borrowed from a connection's cache. Returning it resets the statement so
// its next user starts fresh; bindings are not cleared (every user binds all parameters).
class StatementLease {
 public:
  StatementLease(StatementLease&& other) noexcept;
  StatementLease& operator=(StatementLease&&) = delete;
  ~StatementLease();

  SQLite::Statement& operator*() const { return *statement_; }
  SQLite::Statement* operator->() const { return statement_; }

 private:
  friend class Connection;
  StatementLease(SQLite::Statement* statement, bool* in_use, std::unique_ptr<SQLite::Statement> own)
      : statement_(statement), in_use_(in_use), owned_(std::move(own)) {}

  SQLite::Statement* statement_;
  bool* in_use_;  // the cache slot's flag; null for an uncached statement
  std::unique_ptr<SQLite::Statement> owned_;
};

class Connection {
 public:
  enum class Role {
    kWriter,        // runs BEGIN IMMEDIATE transactions
    kReader,        // runs deferred read transactions; PRAGMA query_only keeps it from writing
    kCheckpointer,  // only runs WAL checkpoints (see checkpointer.h)
  };

  // Opens (creating if missing, when `create` is true) the file and applies the per-connection
  // pragmas: WAL, synchronous=FULL, foreign_keys=ON. Waits for locks until `deadline`.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path, Role role,
                                                          bool create, SteadyTime deadline);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Role role() const { return role_; }
  SQLite::Database& db() { return db_; }

  // Until `deadline`, a statement that meets a lock held by another connection sleeps and
  // retries (with backoff) instead of failing with SQLITE_BUSY.
  void set_busy_deadline(SteadyTime deadline) { busy_deadline_ = deadline; }
  // Where the busy handler adds its waits; null (the default): nowhere. Must outlive this.
  void set_wait_counters(LockWaitCounters* counters) { wait_counters_ = counters; }

  // The cached statement for `sql`, prepared on first use. The cache is unbounded: the store's
  // SQL comes from a fixed set of shapes (filters bind values, never splice them into text). If
  // that statement is already leased (a scan whose callback re-enters the transaction), a fresh
  // uncached one is prepared.
  StatementLease Prepare(const std::string& sql);

  // Sets PRAGMA synchronous (1 NORMAL, 2 FULL) unless it already has that value. Outside a
  // transaction only.
  void SetSynchronous(int level);

  // Sets the page cache's size in KiB (PRAGMA cache_size=-kib) unless it already has it.
  void SetCacheSize(int kib);

  // Number of statements in the cache (for tests).
  std::size_t cached_statements() const { return cache_.size(); }

 private:
  struct CacheSlot {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };

  Connection(const std::string& path, Role role, bool create);
  static int BusyHandler(void* self, int attempt);

  Role role_;
  SQLite::Database db_;
  SteadyTime busy_deadline_;
  LockWaitCounters* wait_counters_ = nullptr;
  int synchronous_ = 2;  // as Open sets it
  int cache_kib_ = 0;    // 0: SQLite's default
  std::unordered_map<std::string, CacheSlot> cache_;
};

// Sleeps for the `attempt`-th step of the busy backoff (1 ms growing to 50 ms), but not past
// `deadline`. Returns false without sleeping if the deadline has passed.
bool BackoffUntil(SteadyTime deadline, int attempt);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_CONNECTION_H_
