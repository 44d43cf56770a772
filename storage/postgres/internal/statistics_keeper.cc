#include "storage/postgres/internal/statistics_keeper.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/postgres/internal/connection_pool.h"

namespace rebook::storage::postgres_internal {

StatisticsKeeper::StatisticsKeeper(std::string url)
    : url_(std::move(url)), thread_([this] { Loop(); }) {}

StatisticsKeeper::~StatisticsKeeper() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void StatisticsKeeper::Note(const WrittenRows& rows) {
  bool added = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [table, count] : rows) {
      if (count <= 0) continue;
      pending_[table] += count;
      added = true;
    }
    if (added) dirty_ = true;
  }
  if (added) wake_.notify_one();
}

void StatisticsKeeper::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return stop_ || (!dirty_ && !busy_); });
}

StatisticsKeeper::Counts StatisticsKeeper::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

void StatisticsKeeper::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || dirty_; });
    if (stop_) break;
    dirty_ = false;
    busy_ = true;
    const WrittenRows rows = pending_;
    lock.unlock();
    const WrittenRows done = Round(rows);
    lock.lock();
    for (const auto& [table, count] : done) {
      auto it = pending_.find(table);
      if (it == pending_.end()) continue;
      it->second -= count;
      if (it->second <= 0) pending_.erase(it);
    }
    busy_ = false;
    idle_.notify_all();
  }
  busy_ = false;
  idle_.notify_all();
}

WrittenRows StatisticsKeeper::Round(const WrittenRows& rows) {
  WrittenRows due;
  try {
    if (connection_ == nullptr || !connection_->is_open()) {
      absl::StatusOr<std::unique_ptr<pqxx::connection>> fresh = Connect(url_);
      if (!fresh.ok()) throw std::runtime_error(std::string(fresh.status().message()));
      connection_ = *std::move(fresh);
    }
    // Autocommit: each statement is its own transaction, so ANALYZE holds its lock only while
    // it runs.
    pqxx::nontransaction session(*connection_);
    std::vector<std::string> names;
    for (const auto& [table, count] : rows) {
      // reltuples: the table's size at its last analysis or vacuum; -1 (or none) if never.
      const pqxx::result size = session.exec(absl::StrCat(
          "SELECT reltuples FROM pg_class WHERE oid = to_regclass(", session.quote(table), ")"));
      if (size.empty()) {
        due.emplace(table, count);  // not a table of this schema: drop its rows
        continue;
      }
      const double reltuples = std::max(0.0, size[0][0].as<double>());
      if (static_cast<double>(count) <
          std::max(static_cast<double>(kMinRows), kShare * reltuples)) {
        continue;
      }
      due.emplace(table, count);
      names.push_back(session.quote_name(table));
    }
    if (!names.empty()) {
      session.exec(absl::StrCat("ANALYZE (SKIP_LOCKED) ", absl::StrJoin(names, ", ")));
      std::lock_guard<std::mutex> lock(mu_);
      counts_.analyzed += static_cast<std::int64_t>(names.size());
    }
    return due;
  } catch (const std::exception&) {
    connection_.reset();
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_.failed;
    return rows;
  }
}

}  // namespace rebook::storage::postgres_internal
