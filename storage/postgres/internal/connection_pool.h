// A fixed set of PostgreSQL connections, each lent to one transaction at a time.
//
// A lease returns its connection when destroyed; Discard() drops a connection whose session
// is broken, and the next Acquire opens a fresh one in its place. Thread-safe.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_CONNECTION_POOL_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_CONNECTION_POOL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pqxx/pqxx"

namespace rebook::storage::postgres_internal {

using SteadyTime = std::chrono::steady_clock::time_point;

// A libpq connection; UNAVAILABLE (with libpq's reason) if it cannot be made.
absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect(const std::string& url);

class ConnectionPool {
 public:
  ConnectionPool(std::string url, int size);

  class Lease {
   public:
    Lease(ConnectionPool* pool, int slot) : pool_(pool), slot_(slot) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), slot_(other.slot_) {
      other.pool_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& connection() const;
    // The connection is closed instead of returned (its session state is unknown).
    void Discard();

   private:
    ConnectionPool* pool_;
    int slot_;
  };

  // A free connection (opened if need be); DEADLINE_EXCEEDED if none frees up in time,
  // UNAVAILABLE if the server cannot be reached.
  absl::StatusOr<Lease> Acquire(SteadyTime deadline);

  std::atomic<std::int64_t> retries{0};
  std::atomic<std::int64_t> pool_waits{0};
  std::atomic<std::int64_t> pool_wait_micros{0};

 private:
  void Release(int slot);

  const std::string url_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<pqxx::connection>> connections_;
  std::vector<bool> busy_;
};

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_CONNECTION_POOL_H_
