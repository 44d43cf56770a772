#include "services/web/staff_report_route.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/rebooking/outage_report.h"
#include "services/report/html_report.h"

namespace rebook::web {
namespace {

StaffReply Plain(unsigned int code, std::string text) {
  StaffReply r;
  r.code = code;
  r.body =
      "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>rebook</title>"
      "</head><body><p>" +
      text + "</p></body></html>\n";
  return r;
}

}  // namespace

std::optional<std::string> ParseStaffReportPath(std::string_view path) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(absl::string_view(path.data(), path.size()), '/');
  // "", "staff", "outages", id, "report"
  if (parts.size() != 5 || !parts[0].empty() || parts[1] != "staff" || parts[2] != "outages" ||
      parts[4] != "report" || parts[3].empty() || parts[3].size() > 128) {
    return std::nullopt;
  }
  for (char c : parts[3]) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.')) return std::nullopt;
  }
  return std::string(parts[3]);
}

StaffReply AnswerStaffReport(storage::Store& store, Clock& clock,
                             const StaffAuthenticator& authenticate, std::string_view authorization,
                             const std::string& outage_id, std::chrono::seconds storage_wait) {
  absl::string_view header(authorization.data(), authorization.size());
  if (!absl::ConsumePrefix(&header, "Bearer ") || header.empty()) {
    StaffReply r = Plain(401, "Anmeldung erforderlich (Authorization: Bearer).");
    r.ask_for_token = true;
    return r;
  }
  absl::StatusOr<StaffAccess> access = authenticate(std::string(header));
  if (!access.ok()) {
    if (access.status().code() == absl::StatusCode::kPermissionDenied) {
      return Plain(403, "Diese Rolle darf Ausfälle und Pläne nicht lesen.");
    }
    StaffReply r = Plain(401, "Unbekanntes oder abgelaufenes Token.");
    r.ask_for_token = true;
    return r;
  }
  storage::TransactionOptions options;
  options.deadline = std::chrono::steady_clock::now() + storage_wait;
  std::string html;
  absl::Status s = store.Read(options, [&](storage::Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(
        report::ReportInput in,
        rebooking::GatherOutageReport(tx, outage_id, access->offices, clock.Now()));
    html = report::RenderHtmlReport(in);
    return absl::OkStatus();
  });
  if (s.code() == absl::StatusCode::kNotFound) return Plain(404, "Ausfall nicht gefunden.");
  if (!s.ok()) return Plain(503, "Die Datenbank ist gerade ausgelastet; bitte gleich erneut.");
  StaffReply r;
  r.body = std::move(html);
  return r;
}

}  // namespace rebook::web
