#include "services/api/health_service.h"

#include <optional>

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
  std::uint64_t seen = 0;
  std::optional<HealthCheckResponse::ServingStatus> sent;
  while (!ctx->IsCancelled()) {
    HealthCheckResponse::ServingStatus status = HealthCheckResponse::UNKNOWN;
    bool end = false;
    {
      absl::MutexLock lock(&mu_);
      if (sent) {
        auto changed = [this, seen]()
                           ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return version_ != seen; };
        mu_.AwaitWithTimeout(absl::Condition(&changed), kCancelPoll);
        if (version_ == seen) continue;  // no news: look at the client again
      }
      seen = version_;
      end = ending_;
      status = !known     ? HealthCheckResponse::SERVICE_UNKNOWN
               : serving_ ? HealthCheckResponse::SERVING
                          : HealthCheckResponse::NOT_SERVING;
    }
    // Only changes are sent, as the protocol asks.
    if (status != sent) {
      HealthCheckResponse update;
      update.set_status(status);
      if (!writer->Write(update)) break;
      sent = status;
    }
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
