// What-if plans from the client side, shared by `plan whatif` and `report`: solve a what-if plan
// with a base plan's parameters and compare it with the base plan (PlanService over gRPC).
#ifndef REBOOK_TOOLS_REBOOKCTL_WHAT_IF_CLIENT_H_
#define REBOOK_TOOLS_REBOOKCTL_WHAT_IF_CLIENT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "services/report/report_input.h"
#include "tools/rebookctl/client.h"

namespace rebook::ctl {

struct WhatIfResult {
  rebook::v1::Plan plan;                  // WHAT_IF, stored by the server, never committable
  rebook::v1::PlanComparison comparison;  // base (a) against the what-if plan (b)
};

// Solves `changes` with `base`'s parameters for at most `seconds` and compares. `progress`
// (may be empty) gets the solve's fraction 0..1. Errors are the RPCs'.
absl::StatusOr<WhatIfResult> SolveWhatIf(const Client& client, const rebook::v1::Plan& base,
                                         const rebook::v1::CapacityChanges& changes, double seconds,
                                         const std::string& language,
                                         const std::function<void(double)>& progress);

// The plan what-ifs compare with: the outage's committed plan, else its newest ready one.
// FAILED_PRECONDITION when there is neither.
absl::StatusOr<rebook::v1::Plan> BasePlan(const Client& client, const std::string& outage_name);

// For the report: re-solves the plan shown in `in` with each of its best three suggested shifts
// (a what-if plan each, at most `seconds` per solve) and records the effect in the suggestion.
// What cannot be measured (e.g. a role that may not plan) is left out with a note on stderr.
void AddShiftEffects(const Client& client, double seconds, report::ReportInput& in);

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_WHAT_IF_CLIENT_H_
