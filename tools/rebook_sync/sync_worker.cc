#include "tools/rebook_sync/sync_worker.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/api/change_from_proto.h"
#include "services/api/status_conversion.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"

namespace rebook::sync_worker {
namespace {

using Clock = std::chrono::steady_clock;

// Responses the stream's reader thread may queue before it waits (and gRPC's flow control
// slows rebookd down): a sink that is slow or down does not make the worker buffer the feed.
constexpr std::size_t kMaxQueued = 64;

}  // namespace

bool IsFatal(absl::StatusCode code) {
  return code == absl::StatusCode::kOutOfRange || code == absl::StatusCode::kPermissionDenied ||
         code == absl::StatusCode::kUnauthenticated || code == absl::StatusCode::kInvalidArgument ||
         code == absl::StatusCode::kDataLoss || code == absl::StatusCode::kUnimplemented;
}

// One WatchChanges call, read by a thread of its own into a bounded queue so that the worker
// can wait for "the next response or the batch's deadline, whichever comes first".
class SyncWorker::Stream {
 public:
  Stream(v1::ChangeService::Stub& stub, const std::string& token,
         const v1::WatchChangesRequest& request) {
    context_.AddMetadata("authorization", "Bearer " + token);
    reader_ = stub.WatchChanges(&context_, request);
    thread_ = std::thread([this] { ReadAll(); });
  }
  ~Stream() {
    context_.TryCancel();
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  enum class Next { kResponse, kTimeout, kEnded };
  // Waits until `deadline` for a response.
  Next Pop(Clock::time_point deadline, v1::WatchChangesResponse& out) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_until(lock, deadline, [&] { return !queue_.empty() || ended_; });
    if (!queue_.empty()) {
      out = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();
      return Next::kResponse;
    }
    return ended_ ? Next::kEnded : Next::kTimeout;
  }
  // After kEnded.
  grpc::Status status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  void ReadAll() {
    v1::WatchChangesResponse response;
    while (reader_->Read(&response)) {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return queue_.size() < kMaxQueued || closing_; });
      if (closing_) break;
      queue_.push_back(std::move(response));
      changed_.notify_all();
    }
    grpc::Status status = reader_->Finish();
    std::lock_guard<std::mutex> lock(mu_);
    status_ = std::move(status);
    ended_ = true;
    changed_.notify_all();
  }

  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<v1::WatchChangesResponse> queue_;
  bool ended_ = false;
  bool closing_ = false;
  grpc::Status status_;
  std::thread thread_;
};

SyncWorker::SyncWorker(std::shared_ptr<grpc::Channel> server, std::string token,
                       sync::ChangeSink& sink, sync::CursorFile cursor_file, SyncOptions options)
    : stub_(v1::ChangeService::NewStub(std::move(server))),
      token_(std::move(token)),
      sink_(sink),
      cursor_file_(std::move(cursor_file)),
      options_(std::move(options)) {}

void SyncWorker::SleepBackoff(std::chrono::milliseconds& backoff,
                              const std::atomic<bool>& stop) const {
  const Clock::time_point until = Clock::now() + backoff;
  while (!stop.load() && Clock::now() < until) {
    std::this_thread::sleep_for(
        std::min<Clock::duration>(std::chrono::milliseconds(100), until - Clock::now()));
  }
  backoff = std::min(backoff * 2, options_.max_backoff);
}

absl::Status SyncWorker::Convert(const google::protobuf::RepeatedPtrField<v1::Change>& changes,
                                 std::int64_t next_cursor, PendingChanges& pending) {
  std::vector<domain::ChangeEvent> events;
  events.reserve(changes.size());
  for (const v1::Change& change : changes) {
    REBOOK_ASSIGN_OR_RETURN(domain::ChangeEvent event, api::ChangeFromProto(change));
    events.push_back(std::move(event));
  }
  stats_.repeats += static_cast<std::int64_t>(pending.Add(std::move(events), next_cursor));
  return absl::OkStatus();
}

absl::Status SyncWorker::Flush(PendingChanges& pending, std::size_t max,
                               const std::atomic<bool>& stop) {
  PendingChanges::Batch batch = pending.Take(max == 0 ? pending.size() : max);
  if (batch.cursor_after <= stats_.cursor && batch.events.empty()) return absl::OkStatus();
  std::chrono::milliseconds backoff = options_.initial_backoff;
  while (!batch.events.empty()) {
    absl::Status written = sink_.Write(batch.events);
    if (written.ok()) break;
    ++stats_.sink_failures;
    Log(LogLevel::kWarning, "sink_failed",
        {{"first_cursor", batch.events.front().cursor},
         {"last_cursor", batch.events.back().cursor},
         {"retry_ms", static_cast<std::int64_t>(backoff.count())},
         {"error", std::string(written.message())}});
    SleepBackoff(backoff, stop);
    // Stopped with the batch not taken: its cursor is not saved, the next run writes it.
    if (stop.load()) return absl::CancelledError("stopped while the sink was failing");
  }
  REBOOK_RETURN_IF_ERROR(cursor_file_.Save(batch.cursor_after));
  if (!batch.events.empty()) {
    ++stats_.batches;
    stats_.events += static_cast<std::int64_t>(batch.events.size());
    Log(LogLevel::kDebug, "batch_written",
        {{"first_cursor", batch.events.front().cursor},
         {"events", static_cast<std::int64_t>(batch.events.size())},
         {"cursor", batch.cursor_after}});
  }
  stats_.cursor = batch.cursor_after;
  progressed_ = true;
  return absl::OkStatus();
}

absl::Status SyncWorker::Follow(const std::atomic<bool>& stop) {
  PendingChanges pending(stats_.cursor);
  v1::WatchChangesRequest request;
  request.set_parent(options_.parent);
  request.set_after_cursor(stats_.cursor);
  Stream stream(*stub_, token_, request);
  const std::size_t max_events = static_cast<std::size_t>(options_.max_events);
  Clock::time_point oldest{};  // when the oldest pending event arrived
  Clock::time_point last_heard = Clock::now();
  while (true) {
    if (stop.load()) {
      // A clean stop hands over what was read; if the sink fails now, the next run does.
      absl::Status flushed = Flush(pending, 0, stop);
      return flushed.code() == absl::StatusCode::kCancelled ? absl::OkStatus() : flushed;
    }
    const Clock::time_point deadline =
        pending.empty()
            ? Clock::now() + std::chrono::milliseconds(200)
            : std::min(oldest + options_.max_wait, Clock::now() + std::chrono::milliseconds(200));
    v1::WatchChangesResponse response;
    switch (stream.Pop(deadline, response)) {
      case Stream::Next::kResponse: {
        last_heard = Clock::now();
        const bool was_empty = pending.empty();
        REBOOK_RETURN_IF_ERROR(Convert(response.changes(), response.next_cursor(), pending));
        if (was_empty && !pending.empty()) oldest = Clock::now();
        while (pending.size() >= max_events) {
          REBOOK_RETURN_IF_ERROR(Flush(pending, max_events, stop));
          oldest = Clock::now();
        }
        // A heartbeat or other offices' events only: move the cursor without a batch.
        if (pending.empty()) REBOOK_RETURN_IF_ERROR(Flush(pending, 0, stop));
        break;
      }
      case Stream::Next::kTimeout:
        if (!pending.empty() && Clock::now() >= oldest + options_.max_wait) {
          REBOOK_RETURN_IF_ERROR(Flush(pending, 0, stop));
        }
        if (Clock::now() - last_heard > options_.idle_timeout) {
          REBOOK_RETURN_IF_ERROR(Flush(pending, 0, stop));
          return absl::UnavailableError("the feed sent nothing, not even a heartbeat");
        }
        break;
      case Stream::Next::kEnded: {
        // Everything the stream delivered is whole: hand it over before reconnecting.
        REBOOK_RETURN_IF_ERROR(Flush(pending, 0, stop));
        const grpc::Status status = stream.status();
        if (status.ok()) return absl::UnavailableError("the feed stream ended");
        return api::FromGrpcStatus(status);
      }
    }
  }
}

absl::Status SyncWorker::Run(const std::atomic<bool>& stop) {
  REBOOK_ASSIGN_OR_RETURN(stats_.cursor, cursor_file_.Load());
  Log(LogLevel::kInfo, "sync_following", {{"cursor", stats_.cursor}, {"parent", options_.parent}});
  std::chrono::milliseconds backoff = options_.initial_backoff;
  while (!stop.load()) {
    progressed_ = false;
    absl::Status status = Follow(stop);
    if (stop.load()) break;
    if (IsFatal(status.code()) || status.code() == absl::StatusCode::kFailedPrecondition) {
      return status;
    }
    if (progressed_) backoff = options_.initial_backoff;
    ++stats_.reconnects;
    Log(LogLevel::kWarning, "feed_reconnect",
        {{"cursor", stats_.cursor},
         {"retry_ms", static_cast<std::int64_t>(backoff.count())},
         {"error", std::string(status.message())}});
    SleepBackoff(backoff, stop);
  }
  return absl::OkStatus();
}

absl::Status SyncWorker::Drain(const std::atomic<bool>& stop) {
  REBOOK_ASSIGN_OR_RETURN(stats_.cursor, cursor_file_.Load());
  std::chrono::milliseconds backoff = options_.initial_backoff;
  int failures = 0;
  while (!stop.load()) {
    v1::ListChangesRequest request;
    request.set_parent(options_.parent);
    request.set_after_cursor(stats_.cursor);
    request.set_page_size(options_.max_events);
    v1::ListChangesResponse response;
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token_);
    context.set_deadline(std::chrono::system_clock::now() + options_.rpc_timeout);
    const grpc::Status status = stub_->ListChanges(&context, request, &response);
    if (!status.ok()) {
      absl::Status error = api::FromGrpcStatus(status);
      if (IsFatal(error.code()) || ++failures >= options_.rpc_attempts) return error;
      SleepBackoff(backoff, stop);
      continue;
    }
    failures = 0;
    backoff = options_.initial_backoff;
    if (response.changes().empty() && response.next_cursor() <= stats_.cursor) break;  // the end
    PendingChanges pending(stats_.cursor);
    REBOOK_RETURN_IF_ERROR(Convert(response.changes(), response.next_cursor(), pending));
    REBOOK_RETURN_IF_ERROR(Flush(pending, 0, stop));
  }
  return absl::OkStatus();
}

}  // namespace rebook::sync_worker
