// Gathers an outage report's data from rebookd through the public API (one list call per
// collection, every page), for services/report to render. Reads only what the caller's token
// may see; needs no personal data (contacts are never copied).
//
//   REBOOK_ASSIGN_OR_RETURN(report::ReportInput in, GatherReportInput(client, "outage-7", ""));
#ifndef REBOOK_TOOLS_REBOOKCTL_REPORT_GATHER_H_
#define REBOOK_TOOLS_REBOOKCTL_REPORT_GATHER_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/report/report_input.h"
#include "tools/rebookctl/client.h"

namespace rebook::ctl {

// `outage`: id or `outages/{id}`. `plan`: plan id or name to show; empty: the committed plan,
// else the newest ready one. Errors carry the failed call's gRPC code.
absl::StatusOr<report::ReportInput> GatherReportInput(const Client& client,
                                                      const std::string& outage,
                                                      const std::string& plan);

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_REPORT_GATHER_H_
