#include "storage/postgres/internal/connection_pool.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/postgres/internal/errors.h"

namespace rebook::storage::postgres_internal {

absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect(const std::string& url) {
  try {
    auto connection = std::make_unique<pqxx::connection>(url);
    // Instants are written and read as unix seconds; UTC keeps any text output unambiguous.
    pqxx::nontransaction setup(*connection);
    setup.exec("SET TIME ZONE 'UTC'");
    setup.commit();
    return connection;
  } catch (...) {
    absl::Status s = StatusFromCurrentException("connect to PostgreSQL");
    return absl::UnavailableError(s.message());
  }
}

ConnectionPool::ConnectionPool(std::string url, int size)
    : url_(std::move(url)),
      connections_(static_cast<std::size_t>(size)),
      busy_(static_cast<std::size_t>(size), false) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(slot_);
}

pqxx::connection& ConnectionPool::Lease::connection() const {
  return *pool_->connections_[static_cast<std::size_t>(slot_)];
}

void ConnectionPool::Lease::Discard() {
  pool_->connections_[static_cast<std::size_t>(slot_)].reset();
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(SteadyTime deadline) {
  int slot = -1;
  {
    std::unique_lock<std::mutex> lock(mu_);
    const auto find = [&] {
      for (std::size_t i = 0; i < busy_.size(); ++i) {
        if (!busy_[i]) return static_cast<int>(i);
      }
      return -1;
    };
    slot = find();
    if (slot < 0) {
      const SteadyTime start = std::chrono::steady_clock::now();
      pool_waits.fetch_add(1, std::memory_order_relaxed);
      freed_.wait_until(lock, deadline, [&] { return (slot = find()) >= 0; });
      pool_wait_micros.fetch_add(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count(),
                                 std::memory_order_relaxed);
      if (slot < 0) {
        return absl::DeadlineExceededError(
            "no PostgreSQL connection became free before the transaction deadline");
      }
    }
    busy_[static_cast<std::size_t>(slot)] = true;
  }
  Lease lease(this, slot);
  std::unique_ptr<pqxx::connection>& connection = connections_[static_cast<std::size_t>(slot)];
  if (connection == nullptr || !connection->is_open()) {
    absl::StatusOr<std::unique_ptr<pqxx::connection>> fresh = Connect(url_);
    if (!fresh.ok()) return fresh.status();  // the lease frees the slot
    connection = *std::move(fresh);
  }
  return lease;
}

void ConnectionPool::Release(int slot) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    busy_[static_cast<std::size_t>(slot)] = false;
  }
  freed_.notify_one();
}

}  // namespace rebook::storage::postgres_internal
