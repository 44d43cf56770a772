#include "services/api/status_conversion.h"

#include <atomic>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/field_violations.h"
#include "services/common/log.h"

namespace rebook::api {
namespace {

std::atomic<std::int64_t> g_incidents{0};

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  int code = static_cast<int>(status.code());
  std::string message(status.message());
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown ||
      status.code() == absl::StatusCode::kDataLoss) {
    std::int64_t incident = ++g_incidents;
    Log(LogLevel::kError, "internal_error", {{"incident", incident}, {"detail", message}});
    message = absl::StrCat("internal error (incident ", incident, "); see the server log");
  }
  google::rpc::Status rich;
  rich.set_code(code);
  rich.set_message(message);
  std::vector<FieldViolation> violations = FieldViolations::FromStatus(status);
  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const FieldViolation& v : violations) {
      auto* fv = bad_request.add_field_violations();
      fv->set_field(v.field);
      fv->set_description(v.description);
      fv->set_reason(v.reason);
    }
    rich.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(code), message, rich.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rich;
  if (status.error_details().empty() || !rich.ParseFromString(status.error_details())) return out;
  FieldViolations violations;
  for (const auto& detail : rich.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.UnpackTo(&bad_request)) continue;
    for (const auto& fv : bad_request.field_violations()) {
      violations.Add(fv.field(), fv.description(), fv.reason());
    }
  }
  if (violations.empty() || status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) return out;
  absl::Status with = violations.ToStatus("invalid request");
  absl::Status result(out.code(), out.message());
  with.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { result.SetPayload(url, payload); });
  return result;
}

}  // namespace rebook::api
