// OperationRegistry: the long writes of this rebookd, kept in memory so that the caller who
// started one can see how far it got (OperationService.GetOperation) and, after a broken
// connection, whether it finished and how.
//
//   OperationRegistry registry(&clock);
//   std::shared_ptr<Operation> op = registry.Start(owner, "r-17", "rebook.v1.PlanService/...");
//   registry.Attach(call_tag, op);              // lets the handler find it: ForCall(call_tag)
//   op->Report("writing offers", 256, 98468);   // a domain::ProgressSink
//   op->Finish(absl::OkStatus());
//   std::optional<OperationSnapshot> s = registry.Get(owner, "r-17");
//
// Operations are keyed by (owner, request id): `owner` is an opaque key of the caller (its name,
// role and offices), so another caller never finds them. A new Start with the same key replaces
// the old entry (a retry). Finished operations are kept for Options::keep_finished, and about
// Options::max_finished of them (the oldest go first; Start sweeps once per clock second, or
// when twice as many piled up); running ones are kept until they finish.
// Per process: several replicas each know only the calls they served.
//
// Thread safety: every method may be called from any thread.
#ifndef REBOOK_SERVICES_API_OPERATION_REGISTRY_H_
#define REBOOK_SERVICES_API_OPERATION_REGISTRY_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/common/clock.h"
#include "services/domain/progress.h"

namespace rebook::api {

// What GetOperation shows of one operation.
struct OperationSnapshot {
  std::string request_id;
  std::string method;
  std::string stage;  // "running" until the first report; "done" once finished
  std::int64_t done = 0;
  std::int64_t total = 0;
  Instant start_time{};
  Instant update_time{};
  bool finished = false;
  absl::Status status;  // the final status once finished
};

class Operation final : public domain::ProgressSink {
 public:
  Operation(const Clock* clock, std::string request_id, std::string method);

  // A new stage starts from its `done`; within a stage `done` never goes back. Ignored once
  // finished.
  void Report(std::string_view stage, std::int64_t done, std::int64_t total) override;
  // Ends the operation with the call's status; later calls are ignored.
  void Finish(const absl::Status& status);
  OperationSnapshot Snapshot() const;

 private:
  const Clock* clock_;
  mutable absl::Mutex mu_;
  OperationSnapshot s_ ABSL_GUARDED_BY(mu_);
};

class OperationRegistry {
 public:
  struct Options {
    // How long a finished operation can still be looked up. Default 15 minutes.
    std::chrono::seconds keep_finished{15 * 60};
    // At most this many finished operations are kept. Default 10,000.
    std::size_t max_finished = 10'000;
  };

  // `clock` must outlive the registry.
  explicit OperationRegistry(const Clock* clock) : OperationRegistry(clock, Options{}) {}
  OperationRegistry(const Clock* clock, Options options) : clock_(clock), options_(options) {}

  // Registers a running operation and returns it (also forgets expired finished ones).
  std::shared_ptr<Operation> Start(const std::string& owner, const std::string& request_id,
                                   const std::string& method);
  // The operation `owner` started with `request_id`, if still known.
  std::optional<OperationSnapshot> Get(const std::string& owner,
                                       const std::string& request_id) const;

  // Ties `op` to a call (`call` is any address unique while the call runs, e.g. its server
  // context), so that the handler can report progress with ForCall; Detach when it ends.
  void Attach(const void* call, std::shared_ptr<Operation> op);
  void Detach(const void* call);
  // The sink of the call's operation; null if the call has none (no request id).
  std::shared_ptr<Operation> ForCall(const void* call) const;

 private:
  void ForgetOldLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock* clock_;
  const Options options_;
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<Operation>> ops_
      ABSL_GUARDED_BY(mu_);
  std::map<const void*, std::shared_ptr<Operation>> calls_ ABSL_GUARDED_BY(mu_);
  Instant last_sweep_ ABSL_GUARDED_BY(mu_){};
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_OPERATION_REGISTRY_H_
