// Watching a long write while it runs: rebookctl asks rebookd's OperationService how far the
// write with a given request id got and shows it as one progress line on stderr.
//
//   OperationWatch watch(client, request_id, "plan commit");  // polls every 500 ms, if wanted
//   grpc::Status s = stub->CommitPlan(ctx, req, &plan);        // the long call
//   watch.Stop();                                              // also done by the destructor
//
// Shown when --progress is given, or by default when stderr is a terminal and --json is not
// given: "plan commit: writing offers 12,800/98,468 (13%), 21 s". On a terminal the line is
// redrawn in place and cleared at the end; elsewhere each change is a line of its own.
// Polls run on a thread of their own with a 2 s deadline each; a failed poll (an older rebookd,
// a busy one) shows nothing and the watch keeps trying until Stop.
#ifndef REBOOK_TOOLS_REBOOKCTL_OPERATION_WATCH_H_
#define REBOOK_TOOLS_REBOOKCTL_OPERATION_WATCH_H_

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "rebook/v1/operations.grpc.pb.h"
#include "tools/rebookctl/client.h"

namespace rebook::ctl {

// Tells ProgressWanted whether --progress was given (its option, as main added it).
void SetProgressFlag(const CLI::Option* progress);
// --progress, or a terminal on stderr without --json.
bool ProgressWanted(const GlobalOptions& options);

// One GetOperation call with a short deadline: the operation, NOT_FOUND when this rebookd does
// not know the id (or not for this caller), or the call's error.
grpc::Status LookUpOperation(const Client& client, const std::string& request_id,
                             v1::Operation* out, std::chrono::milliseconds deadline);

// After the first attempt of a write ended UNAVAILABLE: while rebookd still runs it (GetOperation
// says so), waits for it, at most `wait`, so that the retry gets the stored answer instead of
// queueing behind it; tells the user on stderr. Returns at once if rebookd cannot be asked.
void AwaitFirstAttempt(const Client& client, const std::string& request_id,
                       std::chrono::seconds wait);

// Remembers a write whose retry ended UNAVAILABLE too: ReportError then says that it may have
// happened and how to check (UnansweredRequestId: "" if none).
void NoteUnanswered(const std::string& request_id);
const std::string& UnansweredRequestId();

// "writing offers 12,800/98,468 (13%)"; "running" when nothing was reported yet.
std::string OperationText(const v1::Operation& op);

class OperationWatch {
 public:
  // Starts polling only if ProgressWanted(client.options()). `client` must outlive the watch.
  OperationWatch(const Client& client, std::string request_id, std::string label);
  ~OperationWatch() { Stop(); }
  OperationWatch(const OperationWatch&) = delete;
  OperationWatch& operator=(const OperationWatch&) = delete;

  // Stops polling and ends the progress line; idempotent.
  void Stop();

 private:
  void Run();

  const Client& client_;
  const std::string request_id_;
  const std::string label_;
  const bool tty_;
  const std::chrono::steady_clock::time_point start_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<std::thread> thread_;
};

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_OPERATION_WATCH_H_
