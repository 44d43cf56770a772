#include "storage/sqlite/internal/connection_pool.h"

#include <algorithm>
#include <utility>

#include "services/common/status_macros.h"

namespace rebook::storage::sqlite_internal {

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::exchange(other.connection_, nullptr)) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(connection_);
}

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(const std::string& path,
                                                                     int readers,
                                                                     int checkpoint_pages,
                                                                     SteadyTime deadline) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool());
  REBOOK_ASSIGN_OR_RETURN(pool->writer_, Connection::Open(path, Connection::Role::kWriter,
                                                          /*create=*/false, deadline));
  pool->writer_->set_wait_counters(&pool->wait_counters_);
  if (checkpoint_pages > 0) {
    REBOOK_ASSIGN_OR_RETURN(pool->checkpointer_,
                            Checkpointer::Start(path, checkpoint_pages, deadline));
    pool->checkpointer_->Attach(*pool->writer_);
  }
  for (int i = 0; i < std::max(readers, 1); ++i) {
    REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                            Connection::Open(path, Connection::Role::kReader,
                                             /*create=*/false, deadline));
    reader->set_wait_counters(&pool->wait_counters_);
    pool->idle_readers_.push_back(reader.get());
    pool->readers_.push_back(std::move(reader));
  }
  return pool;
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::AcquireWriter(SteadyTime deadline) {
  std::unique_lock<std::mutex> lock(writer_mutex_);
  if (writer_busy_) {
    const auto start = std::chrono::steady_clock::now();
    const bool freed = writer_freed_.wait_until(lock, deadline, [&] { return !writer_busy_; });
    wait_counters_.writer_queue_waits.fetch_add(1, std::memory_order_relaxed);
    wait_counters_.writer_queue_wait_ns.fetch_add(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                             start)
            .count(),
        std::memory_order_relaxed);
    if (!freed) {
      return absl::DeadlineExceededError(
          "timed out waiting for the write connection (another write transaction is running)");
    }
  }
  writer_busy_ = true;
  return Lease(this, writer_.get());
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::AcquireReader(SteadyTime deadline) {
  std::unique_lock<std::mutex> lock(readers_mutex_);
  if (!reader_freed_.wait_until(lock, deadline, [&] { return !idle_readers_.empty(); })) {
    return absl::DeadlineExceededError("timed out waiting for a free read connection");
  }
  Connection* connection = idle_readers_.back();
  idle_readers_.pop_back();
  return Lease(this, connection);
}

absl::Status ConnectionPool::ForEachConnection(SteadyTime deadline,
                                               const std::function<absl::Status(Connection&)>& fn) {
  std::vector<Lease> leases;
  REBOOK_ASSIGN_OR_RETURN(Lease writer, AcquireWriter(deadline));
  leases.push_back(std::move(writer));
  for (std::size_t i = 0; i < readers_.size(); ++i) {
    REBOOK_ASSIGN_OR_RETURN(Lease reader, AcquireReader(deadline));
    leases.push_back(std::move(reader));
  }
  for (const Lease& lease : leases) REBOOK_RETURN_IF_ERROR(fn(*lease));
  return absl::OkStatus();
}

std::int64_t ConnectionPool::background_checkpoints() const {
  return checkpointer_ ? checkpointer_->checkpoints() : 0;
}

void ConnectionPool::Release(Connection* connection) {
  if (connection == writer_.get()) {
    {
      std::lock_guard<std::mutex> lock(writer_mutex_);
      writer_busy_ = false;
    }
    writer_freed_.notify_one();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    idle_readers_.push_back(connection);
  }
  reader_freed_.notify_one();
}

}  // namespace rebook::storage::sqlite_internal
