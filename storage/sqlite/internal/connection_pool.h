// The store's connections: one writer and a fixed set of readers.
//
// SQLite allows one writer at a time per file, so in-process writers queue on the writer
// connection (a busy flag under a mutex, waited on until the transaction's deadline) rather than
// spinning on SQLITE_BUSY. Under WAL readers never block the writer or each other, so read
// transactions take any free reader connection. Thread-safe.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_CONNECTION_POOL_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_CONNECTION_POOL_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/sqlite/internal/checkpointer.h"
#include "storage/sqlite/internal/connection.h"

namespace rebook::storage::sqlite_internal {

class ConnectionPool {
 public:
  // A borrowed connection; destruction returns it.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, Connection* connection) : pool_(pool), connection_(connection) {}
    ConnectionPool* pool_;
    Connection* connection_;
  };

  // Opens one writer and `readers` (>= 1) reader connections to `path`. The file must exist
  // with its schema already applied. If `checkpoint_pages` > 0, a background Checkpointer
  // takes over the writer's WAL checkpoints at that many pages; otherwise SQLite's built-in
  // auto-checkpoint runs in the committing write.
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Open(const std::string& path, int readers,
                                                              int checkpoint_pages,
                                                              SteadyTime deadline);

  // DEADLINE_EXCEEDED if the connection is not free by `deadline`.
  absl::StatusOr<Lease> AcquireWriter(SteadyTime deadline);
  absl::StatusOr<Lease> AcquireReader(SteadyTime deadline);

  // Waits until every connection is free, then calls `fn` on each (the writer first), holding
  // them all. Stops at the first error. For inspection; not for transactions.
  absl::Status ForEachConnection(SteadyTime deadline,
                                 const std::function<absl::Status(Connection&)>& fn);

  // Lock waits of the pool's connections (and of AcquireWriter's queue).
  const LockWaitCounters& wait_counters() const { return wait_counters_; }

  // Background checkpoints completed (0 without a Checkpointer).
  std::int64_t background_checkpoints() const;

 private:
  ConnectionPool() = default;
  void Release(Connection* connection);

  LockWaitCounters wait_counters_;  // the connections point to it
  // Declared first so it is destroyed last: the writer's WAL hook points to it.
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<Connection> writer_;
  // Not a std::timed_mutex: its try_lock_until calls pthread_mutex_clocklock, which
  // ThreadSanitizer (GCC 12) does not intercept, so TSan saw every writer release as an unlock
  // of an unlocked mutex and no ordering between write transactions.
  std::mutex writer_mutex_;
  std::condition_variable writer_freed_;
  bool writer_busy_ = false;  // guarded by writer_mutex_

  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex readers_mutex_;
  std::condition_variable reader_freed_;
  std::vector<Connection*> idle_readers_;  // guarded by readers_mutex_
};

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_CONNECTION_POOL_H_
