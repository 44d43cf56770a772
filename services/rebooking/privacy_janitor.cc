#include "services/rebooking/privacy_janitor.h"

#include <string>

#include "services/common/log.h"

namespace rebook::rebooking {

RetentionJanitor::RetentionJanitor(storage::Store* store, Clock* clock, IdGenerator* ids,
                                   const OutboxPolicy* outbox, Options options)
    : store_(*store), clock_(*clock), ids_(*ids), outbox_(*outbox), options_(std::move(options)) {
  thread_ = std::thread([this] { Run(); });
}

RetentionJanitor::~RetentionJanitor() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::int64_t RetentionJanitor::runs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return runs_;
}

void RetentionJanitor::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, options_.interval, [this] { return stop_; })) {
    lock.unlock();
    const ErasureContext ctx{.now = clock_.Now(), .ids = &ids_, .outbox = &outbox_};
    absl::StatusOr<PurgeResult> r = RunPurge(store_, std::nullopt, options_.policy, ctx);
    if (r.ok()) {
      if (r->erased.appointments > 0 || !r->complete) {
        Log(LogLevel::kInfo, "retention_purge",
            {{"appointments", r->erased.appointments},
             {"offers", r->erased.offers},
             {"messages", r->erased.messages},
             {"stored_responses", r->erased.stored_responses},
             {"complete", r->complete ? "yes" : "no"}});
      }
    } else {
      Log(LogLevel::kWarning, "retention_purge_failed",
          {{"error", std::string(r.status().message())}});
    }
    absl::StatusOr<std::int64_t> pruned = PruneChangeFeed(store_, ctx.now, options_.change_feed);
    if (!pruned.ok()) {
      Log(LogLevel::kWarning, "change_feed_prune_failed",
          {{"error", std::string(pruned.status().message())}});
    } else if (*pruned > 0) {
      Log(LogLevel::kInfo, "change_feed_pruned", {{"events", *pruned}});
    }
    lock.lock();
    ++runs_;
  }
}

}  // namespace rebook::rebooking
