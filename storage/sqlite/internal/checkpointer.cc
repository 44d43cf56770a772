#include "storage/sqlite/internal/checkpointer.h"

#include <utility>

#include "services/common/status_macros.h"

namespace rebook::storage::sqlite_internal {

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path,
                                                                  int wal_pages,
                                                                  SteadyTime deadline) {
  REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                          Connection::Open(path, Connection::Role::kCheckpointer,
                                           /*create=*/false, deadline));
  std::unique_ptr<Checkpointer> checkpointer(new Checkpointer(std::move(connection), wal_pages));
  checkpointer->thread_ = std::thread([c = checkpointer.get()] { c->Run(); });
  return checkpointer;
}

Checkpointer::Checkpointer(std::unique_ptr<Connection> connection, int wal_pages)
    : connection_(std::move(connection)), wal_pages_(wal_pages) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::Attach(Connection& writer) {
  sqlite3_wal_hook(writer.db().getHandle(), &Checkpointer::WalHook, this);
}

int Checkpointer::WalHook(void* self, sqlite3* /*db*/, const char* /*schema*/, int pages) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  if (pages >= checkpointer->wal_pages_) {
    {
      std::lock_guard<std::mutex> lock(checkpointer->mutex_);
      checkpointer->pending_ = true;
    }
    checkpointer->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return pending_ || stop_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    // PASSIVE copies what no reader still needs and never waits for locks. A failure only
    // leaves the WAL longer; the next request (or closing the store) checkpoints again.
    // Counted only when every frame of the WAL is now in the database file.
    int wal_frames = 0;
    int copied_frames = 0;
    if (sqlite3_wal_checkpoint_v2(connection_->db().getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                  &wal_frames, &copied_frames) == SQLITE_OK &&
        wal_frames > 0 && copied_frames == wal_frames) {
      checkpoints_.fetch_add(1);
    }
    lock.lock();
  }
}

}  // namespace rebook::storage::sqlite_internal
