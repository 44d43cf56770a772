// SyncWorker: rebook-sync's loop. Follows rebookd's change feed (ChangeService) from the cursor
// in its cursor file, hands the events to a sink in batches, and saves the cursor after each
// batch the sink has taken.
//
//   SyncWorker worker(grpc_channel, token, sink, CursorFile(state_dir + "/cursor"), options);
//   std::atomic<bool> stop{false};           // set from a SIGTERM handler
//   absl::Status s = worker.Run(stop);       // or Drain(stop) for --once
//
// Guarantees (docs/sync.md): the cursor is saved only after the sink returned OK for the whole
// batch, and the batch is not handed over again once the save returned. So a worker killed at
// any moment (SIGKILL included) and restarted loses no event and repeats at most the batch in
// flight. A sink that fails is retried with the same batch, with backoff, until it takes it or
// the worker is stopped; events are never skipped.
//
// Run follows WatchChanges; a batch goes out when it has `max_events` events or its oldest
// event has waited `max_wait`. A broken stream (rebookd restarting, network) is reopened from
// the saved cursor after a backoff that doubles from `initial_backoff` to `max_backoff` and
// starts over once events flow again. Drain pages through ListChanges to the current end.
// Errors that waiting cannot fix end both: OUT_OF_RANGE (the cursor was pruned: resynchronise
// from an export and remove the cursor file), PERMISSION_DENIED, UNAUTHENTICATED,
// INVALID_ARGUMENT, and failures of the cursor file.
#ifndef REBOOK_TOOLS_REBOOK_SYNC_SYNC_WORKER_H_
#define REBOOK_TOOLS_REBOOK_SYNC_SYNC_WORKER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/channel.h"
#include "rebook/v1/changes.grpc.pb.h"
#include "services/sync/atomic_file.h"
#include "services/sync/change_sink.h"
#include "tools/rebook_sync/pending_changes.h"

namespace rebook::sync_worker {

struct SyncOptions {
  std::string parent = "offices/-";  // the feed to follow: one office, or all the token sees
  int max_events = 500;              // per batch, 1..1000
  std::chrono::milliseconds max_wait{2000};  // longest an event waits for its batch to fill
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  std::chrono::seconds rpc_timeout{30};  // per ListChanges call
  // A watch that sends nothing, not even a heartbeat (rebookd sends one every 15 s by default,
  // --change_heartbeat_s), for this long is taken for a dead connection and reopened.
  std::chrono::milliseconds idle_timeout{60000};
  // Drain only: how often a ListChanges that failed with UNAVAILABLE is tried before giving up.
  int rpc_attempts = 8;
};

struct SyncStats {
  std::int64_t events = 0;   // handed to the sink
  std::int64_t batches = 0;  // sink writes that succeeded
  std::int64_t sink_failures = 0;
  std::int64_t reconnects = 0;
  std::int64_t repeats = 0;  // events the feed sent twice, dropped
  std::int64_t cursor = 0;   // the last saved cursor
};

class SyncWorker {
 public:
  // `sink` must outlive the worker.
  SyncWorker(std::shared_ptr<grpc::Channel> server, std::string token, sync::ChangeSink& sink,
             sync::CursorFile cursor_file, SyncOptions options);

  absl::Status Run(const std::atomic<bool>& stop);
  absl::Status Drain(const std::atomic<bool>& stop);
  SyncStats stats() const { return stats_; }

 private:
  class Stream;
  // One WatchChanges stream from the saved cursor until it ends or `stop`. OK when stopped.
  absl::Status Follow(const std::atomic<bool>& stop);
  // Writes the oldest `max` pending events (all if `max` is 0) and saves the cursor.
  absl::Status Flush(PendingChanges& pending, std::size_t max, const std::atomic<bool>& stop);
  absl::Status Convert(const google::protobuf::RepeatedPtrField<v1::Change>& changes,
                       std::int64_t next_cursor, PendingChanges& pending);
  void SleepBackoff(std::chrono::milliseconds& backoff, const std::atomic<bool>& stop) const;

  std::unique_ptr<v1::ChangeService::Stub> stub_;
  std::string token_;
  sync::ChangeSink& sink_;
  sync::CursorFile cursor_file_;
  SyncOptions options_;
  SyncStats stats_;
  bool progressed_ = false;  // a batch or cursor moved since the last reconnect
};

// True for the codes after which waiting and trying again cannot help.
bool IsFatal(absl::StatusCode code);

}  // namespace rebook::sync_worker

#endif  // REBOOK_TOOLS_REBOOK_SYNC_SYNC_WORKER_H_
