#include "services/api/health_service.h"

namespace rebook::api {
namespace {

using grpc::health::v1::HealthCheckResponse;

// How often a waiting Watch looks whether its client is gone.
constexpr absl::Duration kCancelPoll = absl::Seconds(1);

}  // namespace

grpc::Status HealthService::Check(grpc::ServerContext* /*ctx*/,
                                  const grpc::health::v1::HealthCheckRequest* req,
                                  HealthCheckResponse* resp) {
  if (!req->service().empty()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
  }
  absl::MutexLock lock(&mu_);
  resp->set_status(serving_ ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* ctx,
                                  const grpc::health::v1::HealthCheckRequest* req,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  const bool known = req->service().empty();
  std::uint64_t sent = 0;
  bool first = true;
  while (!ctx->IsCancelled()) {
    HealthCheckResponse update;
    bool end = false;
    {
      absl::MutexLock lock(&mu_);
      if (!first) {
        auto changed = [this, sent]()
                           ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return version_ != sent; };
        mu_.AwaitWithTimeout(absl::Condition(&changed), kCancelPoll);
        if (version_ == sent) continue;  // no news: look at the client again
      }
      sent = version_;
      end = ending_;
      if (!known) {
        update.set_status(HealthCheckResponse::SERVICE_UNKNOWN);
      } else {
        update.set_status(serving_ ? HealthCheckResponse::SERVING
                                   : HealthCheckResponse::NOT_SERVING);
      }
    }
    first = false;
    if (!writer->Write(update)) break;
    if (end) return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "the client left");
}

void HealthService::SetServing(bool serving) {
  absl::MutexLock lock(&mu_);
  if (serving_ == serving) return;
  serving_ = serving;
  ++version_;
}

void HealthService::EndWatches() {
  absl::MutexLock lock(&mu_);
  if (ending_) return;
  ending_ = true;
  ++version_;
}

}  // namespace rebook::api
