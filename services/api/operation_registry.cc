#include "services/api/operation_registry.h"

#include <algorithm>
#include <vector>

namespace rebook::api {

Operation::Operation(const Clock* clock, std::string request_id, std::string method)
    : clock_(clock) {
  s_.request_id = std::move(request_id);
  s_.method = std::move(method);
  s_.stage = "running";
  s_.start_time = s_.update_time = clock->Now();
}

void Operation::Report(std::string_view stage, std::int64_t done, std::int64_t total) {
  absl::MutexLock lock(&mu_);
  if (s_.finished) return;
  if (s_.stage != stage) {
    s_.stage = std::string(stage);
    s_.done = done;
  } else {
    s_.done = std::max(s_.done, done);
  }
  s_.total = total;
  s_.update_time = clock_->Now();
}

void Operation::Finish(const absl::Status& status) {
  absl::MutexLock lock(&mu_);
  if (s_.finished) return;
  s_.finished = true;
  s_.status = status;
  if (status.ok()) {
    s_.stage = "done";
    if (s_.total > 0) s_.done = s_.total;
  }
  s_.update_time = clock_->Now();
}

OperationSnapshot Operation::Snapshot() const {
  absl::MutexLock lock(&mu_);
  return s_;
}

std::shared_ptr<Operation> OperationRegistry::Start(const std::string& owner,
                                                    const std::string& request_id,
                                                    const std::string& method) {
  auto op = std::make_shared<Operation>(clock_, request_id, method);
  absl::MutexLock lock(&mu_);
  ForgetOldLocked();
  ops_[{owner, request_id}] = op;
  return op;
}

std::optional<OperationSnapshot> OperationRegistry::Get(const std::string& owner,
                                                        const std::string& request_id) const {
  std::shared_ptr<Operation> op;
  {
    absl::MutexLock lock(&mu_);
    auto found = ops_.find({owner, request_id});
    if (found == ops_.end()) return std::nullopt;
    op = found->second;
  }
  OperationSnapshot s = op->Snapshot();
  if (s.finished && clock_->Now() - s.update_time > options_.keep_finished) return std::nullopt;
  return s;
}

void OperationRegistry::Attach(const void* call, std::shared_ptr<Operation> op) {
  absl::MutexLock lock(&mu_);
  calls_[call] = std::move(op);
}

void OperationRegistry::Detach(const void* call) {
  absl::MutexLock lock(&mu_);
  calls_.erase(call);
}

std::shared_ptr<Operation> OperationRegistry::ForCall(const void* call) const {
  absl::MutexLock lock(&mu_);
  auto found = calls_.find(call);
  return found == calls_.end() ? nullptr : found->second;
}

void OperationRegistry::ForgetOldLocked() {
  const Instant now = clock_->Now();
  // A sweep reads every entry: at most once per clock second, unless the map grew far past
  // its bound (many short writes per second, e.g. delivery reports).
  if (now == last_sweep_ && ops_.size() < 2 * options_.max_finished + 64) return;
  last_sweep_ = now;
  struct Finished {
    Instant update_time;
    std::pair<std::string, std::string> key;
  };
  std::vector<Finished> finished;
  for (auto it = ops_.begin(); it != ops_.end();) {
    OperationSnapshot s = it->second->Snapshot();
    if (s.finished && now - s.update_time > options_.keep_finished) {
      it = ops_.erase(it);
      continue;
    }
    if (s.finished) finished.push_back({s.update_time, it->first});
    ++it;
  }
  // Room for one more finished operation: the one being started will finish some day.
  if (finished.size() < options_.max_finished) return;
  std::sort(finished.begin(), finished.end(),
            [](const Finished& a, const Finished& b) { return a.update_time < b.update_time; });
  const std::size_t excess = finished.size() - options_.max_finished + 1;
  for (std::size_t i = 0; i < excess; ++i) ops_.erase(finished[i].key);
}

}  // namespace rebook::api
