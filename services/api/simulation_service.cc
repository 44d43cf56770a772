#include "services/api/simulation_service.h"

#include "services/api/access.h"
#include "services/api/convert.h"
#include "services/common/field_violations.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"

namespace rebook::api {

grpc::Status SimulationServiceImpl::GetSimulatedTime(grpc::ServerContext* ctx,
                                                     const v1::GetSimulatedTimeRequest*,
                                                     v1::SimulatedTime* resp) {
  return env_.Handle(ctx, "GetSimulatedTime", [&](const Call&) -> absl::Status {
    *resp->mutable_now() = ToTimestamp(clock_.Now());
    return absl::OkStatus();
  });
}

grpc::Status SimulationServiceImpl::AdvanceSimulatedTime(grpc::ServerContext* ctx,
                                                         const v1::AdvanceSimulatedTimeRequest* req,
                                                         v1::SimulatedTime* resp) {
  return env_.Handle(ctx, "AdvanceSimulatedTime", *req, [&](const Call& call) -> absl::Status {
    if (call.principal.role != Role::kAdmin) {
      return absl::PermissionDeniedError("only admins may advance the simulated time");
    }
    REBOOK_RETURN_IF_ERROR(RequireEveryOffice(call.principal, "the simulated time"));
    std::lock_guard<std::mutex> lock(mu_);
    const Instant now = clock_.Now();
    Instant target = now;
    if (req->has_by()) {
      if (req->by().seconds() <= 0) return InvalidField("by", "must be positive", "NOT_POSITIVE");
      target = now + std::chrono::seconds(req->by().seconds());
    } else if (req->has_to()) {
      target = FromTimestamp(req->to());
      if (target < now) {
        return InvalidField("to", "must not lie before the current simulated time", "BACKWARDS");
      }
    } else {
      return InvalidField("target", "set `by` or `to`", "MISSING");
    }
    clock_.Set(target);
    Log(LogLevel::kInfo, "simulated_time_advanced",
        {{"seconds", static_cast<std::int64_t>((target - now).count())}});
    *resp->mutable_now() = ToTimestamp(target);
    return absl::OkStatus();
  });
}

}  // namespace rebook::api
