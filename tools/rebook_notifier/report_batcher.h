// ReportBatcher: gathers the delivery reports of one worker's senders into shared calls
// (NotificationService.ReportDeliveries), so that P senders cost one round trip and one
// commit per batch instead of one each.
//
//   ReportBatcher reports(send, {.flush_count = parallel, .linger = 2ms});
//   grpc::Status s = reports.Report(request);   // from each sender, after each send
//
// The repeat bound is kept: Report blocks until the server has answered for this report, and
// a sender sends its next message only after that. A worker killed at any moment therefore has
// at most one message per sender sent but not reported, exactly as with one call per report;
// batching changes how many reports share a call, never how many a sender has outstanding.
//
// A caller that finds no call in flight becomes the flusher: it waits until every active sender
// (AddSender/RemoveSender; without any, `flush_count`) has a report queued, since no more can
// come then, or until `linger` has passed; then it sends up to `max_batch` queued reports in one
// call. Callers that arrive meanwhile queue and wait; one of them flushes next. Each caller gets
// its own report's status. Thread-safe; `send` is called by one thread at a time.
#ifndef REBOOK_TOOLS_REBOOK_NOTIFIER_REPORT_BATCHER_H_
#define REBOOK_TOOLS_REBOOK_NOTIFIER_REPORT_BATCHER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "grpcpp/support/status.h"
#include "rebook/v1/notifications.pb.h"

namespace rebook::notifier {

class ReportBatcher {
 public:
  // Sends `reports` in one call. Returns one status per report, in order (a failed call gives
  // every report the call's status).
  using SendFn = std::function<std::vector<grpc::Status>(
      const std::vector<const rebook::v1::ReportDeliveryRequest*>& reports)>;

  struct Options {
    // Flush as soon as this many reports are queued while no sender is registered. Default 1.
    int flush_count = 1;
    // Longest wait of a flusher for more reports. Default 2 ms.
    std::chrono::microseconds linger{2000};
    // Most reports per call (the API takes up to 500). Default 500.
    int max_batch = 500;
  };

  ReportBatcher(SendFn send, Options options);

  // Queues `report`, waits until a call carried it, and returns its status.
  grpc::Status Report(const rebook::v1::ReportDeliveryRequest& report);

  // A sender starts or stops reporting: a flush waits for the reports of the active senders
  // only (a sender that ran out of messages sends no more).
  void AddSender();
  void RemoveSender();

  struct Stats {
    std::int64_t reports = 0;
    std::int64_t calls = 0;
    std::int64_t largest_batch = 0;
  };
  Stats stats() const;

 private:
  struct Pending {
    const rebook::v1::ReportDeliveryRequest* report;
    grpc::Status status;
    bool done = false;
    // Notified when `done` is set, or when this caller is the first queued after a flush (it
    // flushes next). One per caller, so a flush wakes only the callers it concerns: with one
    // shared condition variable every queued report and every answer woke all P senders.
    std::condition_variable wake;
  };
  void Flush(std::unique_lock<std::mutex>& lock);
  std::size_t Enough() const;  // queued reports that make a flush go out at once

  const SendFn send_;
  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable flusher_;  // the flusher lingers on it for more reports
  std::deque<Pending*> queue_;
  bool flushing_ = false;
  int senders_ = 0;
  Stats stats_;
};

}  // namespace rebook::notifier

#endif  // REBOOK_TOOLS_REBOOK_NOTIFIER_REPORT_BATCHER_H_
