#include "tools/rebook_notifier/report_batcher.h"

#include <algorithm>
#include <utility>

namespace rebook::notifier {

ReportBatcher::ReportBatcher(SendFn send, Options options)
    : send_(std::move(send)), options_(options) {}

grpc::Status ReportBatcher::Report(const rebook::v1::ReportDeliveryRequest& report) {
  Pending me{&report};
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&me);
  if (flushing_) flusher_.notify_one();  // a lingering flusher may have enough now
  while (!me.done) {
    if (flushing_) {
      me.wake.wait(lock);  // until this report is answered or this caller is to flush next
      continue;
    }
    Flush(lock);
  }
  return me.status;
}

void ReportBatcher::Flush(std::unique_lock<std::mutex>& lock) {
  flushing_ = true;
  flusher_.wait_for(lock, options_.linger, [&] { return queue_.size() >= Enough(); });
  std::vector<Pending*> batch;
  while (!queue_.empty() && static_cast<int>(batch.size()) < std::max(1, options_.max_batch)) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  std::vector<const rebook::v1::ReportDeliveryRequest*> reports;
  reports.reserve(batch.size());
  for (const Pending* p : batch) reports.push_back(p->report);
  lock.unlock();
  std::vector<grpc::Status> results = send_(reports);
  lock.lock();
  // Each caller is woken by name, under the lock: a woken caller returns (and its Pending goes)
  // only after it has the lock again, so none is notified after it is gone.
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i]->status = i < results.size()
                           ? results[i]
                           : grpc::Status(grpc::StatusCode::INTERNAL, "no result for the report");
    batch[i]->done = true;
    batch[i]->wake.notify_one();
  }
  stats_.reports += static_cast<std::int64_t>(batch.size());
  ++stats_.calls;
  stats_.largest_batch = std::max<std::int64_t>(stats_.largest_batch, batch.size());
  flushing_ = false;
  // Reports that queued meanwhile: their first caller flushes next.
  if (!queue_.empty()) queue_.front()->wake.notify_one();
}

std::size_t ReportBatcher::Enough() const {
  const int wanted = senders_ > 0 ? senders_ : options_.flush_count;
  return static_cast<std::size_t>(std::clamp(wanted, 1, std::max(1, options_.max_batch)));
}

void ReportBatcher::AddSender() {
  std::lock_guard<std::mutex> lock(mu_);
  ++senders_;
}

void ReportBatcher::RemoveSender() {
  std::lock_guard<std::mutex> lock(mu_);
  --senders_;
  flusher_.notify_one();  // a flusher waiting for this sender's report need not wait
}

ReportBatcher::Stats ReportBatcher::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace rebook::notifier
