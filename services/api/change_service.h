// ChangeService of API v1: the change feed (docs/changes.md). ListChanges reads a page after a
// cursor; WatchChanges replays what follows a cursor and then follows new events. Both are
// office-scoped like every read (`offices/-`: the caller's offices) and need
// Permission::kReadChanges (admin, office_admin, planner, sync).
//
// Following: a watch looks at the store every `poll_interval` (or at once when Notify() is
// called after a commit), sends what is new, and sends an empty heartbeat response when
// nothing was sent for `heartbeat`. Each open watch holds one server thread. EndWatches() (on
// server shutdown) ends every watch, now and later, with OK at its next wake-up, so a stopping
// server does not wait out its grace period for them. A watch also ends when its client leaves.
// Thread-safe.
#ifndef REBOOK_SERVICES_API_CHANGE_SERVICE_H_
#define REBOOK_SERVICES_API_CHANGE_SERVICE_H_

#include <chrono>
#include <cstdint>

#include "absl/synchronization/mutex.h"
#include "rebook/v1/changes.grpc.pb.h"
#include "services/api/rpc_context.h"

namespace rebook::api {

class ChangeServiceImpl final : public rebook::v1::ChangeService::Service {
 public:
  struct Options {
    // Longest wait between two looks at the store while following. Default 250 ms.
    std::chrono::milliseconds poll_interval{250};
    // An empty response after this long without one. Default 15 s.
    std::chrono::milliseconds heartbeat{std::chrono::seconds(15)};
    // Events per response of a watch. Default 500.
    int watch_batch = 500;
  };

  // `env` must outlive the service.
  ChangeServiceImpl(const ServiceEnv* env, Options options) : env_(*env), options_(options) {}

  grpc::Status ListChanges(grpc::ServerContext* ctx, const v1::ListChangesRequest* req,
                           v1::ListChangesResponse* resp) override;
  grpc::Status WatchChanges(grpc::ServerContext* ctx, const v1::WatchChangesRequest* req,
                            grpc::ServerWriter<v1::WatchChangesResponse>* writer) override;

  // Wakes every following watch to look at the store now.
  void Notify();
  // Ends every watch, now and later, at its next wake-up (which this causes).
  void EndWatches();

 private:
  const ServiceEnv& env_;
  const Options options_;
  mutable absl::Mutex mu_;
  std::uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;  // bumped by Notify and EndWatches
  bool ending_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CHANGE_SERVICE_H_
