// Moves WAL checkpoints off the committing thread.
//
// SQLite's built-in auto-checkpoint runs inside the COMMIT that takes the WAL past 1000 pages,
// so that one write (typically a bulk import) also copies the whole WAL into the database file
// and waits for a second fsync, while still holding the write lock. Instead the write
// connection's WAL hook wakes this thread, which runs a PASSIVE checkpoint on its own
// connection; passive checkpoints run alongside readers and the next writer. Thread-safe.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_CHECKPOINTER_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_CHECKPOINTER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/connection.h"

namespace rebook::storage::sqlite_internal {

class Checkpointer {
 public:
  // Opens its own connection to `path` and starts the thread. A checkpoint is requested when a
  // commit leaves at least `wal_pages` pages in the WAL (> 0).
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(const std::string& path, int wal_pages,
                                                             SteadyTime deadline);
  // Stops and joins the thread. Must outlive every connection it is attached to.
  ~Checkpointer();

  // Replaces `writer`'s auto-checkpoint with a request to this thread.
  void Attach(Connection& writer);

  // Checkpoints so far that left the whole WAL in the database file, for tests and diagnostics
  // (a passive checkpoint that a reader held back returns OK having copied less).
  std::int64_t checkpoints() const { return checkpoints_.load(); }

 private:
  Checkpointer(std::unique_ptr<Connection> connection, int wal_pages);
  static int WalHook(void* self, sqlite3* db, const char* schema, int pages);
  void Run();

  std::unique_ptr<Connection> connection_;
  const int wal_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;  // guarded by mutex_
  bool stop_ = false;     // guarded by mutex_
  std::atomic<std::int64_t> checkpoints_{0};
  std::thread thread_;
};

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_CHECKPOINTER_H_
