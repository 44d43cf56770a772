// Writing and reading plans: plan.csv (one row per appointment) and plan-summary.json.
//
//   REBOOK_RETURN_IF_ERROR(WritePlan(scenario, plan, "out/"));   // out/plan.csv,
//   out/plan-summary.json REBOOK_ASSIGN_OR_RETURN(auto rows, ReadPlanCsv("out/plan.csv",
//   scenario));
//
// Times in plan.csv are local times in the zone of the assigned office.
#ifndef REBOOK_SERVICES_BUNDLE_PLAN_IO_H_
#define REBOOK_SERVICES_BUNDLE_PLAN_IO_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/plan.h"

namespace rebook::bundle {

absl::Status WritePlanCsv(const domain::Scenario& scenario,
                          const std::vector<domain::Assignment>& assignments,
                          const std::filesystem::path& path);
// The summary as JSON (see PlanSummaryJson).
absl::Status WritePlanSummaryJson(const domain::PlanSummary& summary,
                                  const std::filesystem::path& path);
// Writes plan.csv and plan-summary.json into `dir` (created if needed).
absl::Status WritePlan(const domain::Scenario& scenario, const domain::Plan& plan,
                       const std::filesystem::path& dir);
// plan-summary.json's text: objective, objective_parts, counts, delays, overtime, solve time,
// lower bound and gap (null when unknown), FCFS inversions, shortfall and suggested shifts.
std::string PlanSummaryJson(const domain::PlanSummary& summary);

// Reads plan.csv. Rows must name known appointments and, when assigned, a known office whose
// zone is used for the times. Duplicate rows are an error; appointments without a row are not
// (a checker reports them). All-or-nothing, with file:line:col (column) messages.
absl::StatusOr<std::vector<domain::Assignment>> ReadPlanCsv(const std::filesystem::path& path,
                                                            const domain::Scenario& scenario);

}  // namespace rebook::bundle

#endif  // REBOOK_SERVICES_BUNDLE_PLAN_IO_H_
