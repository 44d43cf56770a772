// The staff's outage report on the HTTP port: GET /staff/outages/<outage>/report with
// `Authorization: Bearer <token>` (the same tokens as the gRPC API) answers the report of
// services/report as one HTML page, for the caller's offices only.
//
//   401 (with WWW-Authenticate: Bearer) without a token or with an unknown or expired one,
//   403 for roles that may not read outages and plans (notifier, auditor),
//   404 for unknown outages and outages of other offices, 503 when the store is busy.
//
// The server does not know tokens: rebookd passes a StaffAuthenticator built on its token
// registry (services/api/auth.h), so that this library links nothing of the API.
#ifndef REBOOK_SERVICES_WEB_STAFF_REPORT_ROUTE_H_
#define REBOOK_SERVICES_WEB_STAFF_REPORT_ROUTE_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "storage/store.h"

namespace rebook::web {

struct StaffAccess {
  std::optional<std::vector<std::string>> offices;  // nullopt: every office
};
// UNAUTHENTICATED for unknown tokens, PERMISSION_DENIED for roles without the right.
using StaffAuthenticator = std::function<absl::StatusOr<StaffAccess>(const std::string& token)>;

// The outage id of "/staff/outages/<id>/report", else nullopt.
std::optional<std::string> ParseStaffReportPath(std::string_view path);

struct StaffReply {
  unsigned int code = 200;
  std::string body;
  bool ask_for_token = false;  // send WWW-Authenticate: Bearer
};

// `authorization`: the request's Authorization header ("" if none).
StaffReply AnswerStaffReport(storage::Store& store, Clock& clock,
                             const StaffAuthenticator& authenticate, std::string_view authorization,
                             const std::string& outage_id, std::chrono::seconds storage_wait);

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_STAFF_REPORT_ROUTE_H_
