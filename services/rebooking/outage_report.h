// GatherOutageReport: the outage report's data (services/report) read from the store in one
// read transaction, for the staff page on the HTTP port. rebookctl gathers the same through
// the API (tools/rebookctl/report_gather.h).
//
// Scope: a caller limited to some offices sees only those offices' citizens, offers, messages
// and capacity; slots at other offices count in the delays but those offices' rows stay out.
// No personal data is read into the result (appointment ids only).
//
//   REBOOK_RETURN_IF_ERROR(store.Read(opts, [&](storage::Transaction& tx) -> absl::Status {
//     REBOOK_ASSIGN_OR_RETURN(report::ReportInput in, GatherOutageReport(tx, id, scope, now));
//     html = report::RenderHtmlReport(in);  return absl::OkStatus(); }));
#ifndef REBOOK_SERVICES_REBOOKING_OUTAGE_REPORT_H_
#define REBOOK_SERVICES_REBOOKING_OUTAGE_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/report/report_input.h"
#include "storage/store.h"

namespace rebook::rebooking {

// `offices`: the caller's offices; nullopt: every office. NOT_FOUND if the outage does not
// exist or touches none of them. The plan shown is the newest committed one, else the newest
// ready one.
absl::StatusOr<report::ReportInput> GatherOutageReport(
    storage::Transaction& tx, const std::string& outage_id,
    const std::optional<std::vector<std::string>>& offices, Instant now);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OUTAGE_REPORT_H_
