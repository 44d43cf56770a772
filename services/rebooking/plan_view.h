// A plan as seen by a principal of some of its outage's offices only.
//
// A plan's stored summary counts every citizen of its outage; an outage shared by several
// offices must not tell a principal of one of them how many citizens the others have, nor how
// they were placed. These functions recompute what a summary and a comparison say from the
// plan's assignments of the appointments whose original office is among `office_ids`:
//
//   REBOOK_ASSIGN_OR_RETURN(domain::PlanSummary s, SummaryForOffices(tx, plan, {"HAL-MITTE"}));
//
// The recomputed summary has the counts, objective parts, delays and first-come-first-served
// inversions of those appointments only; the lower bound and gap (properties of the whole
// solve) are left unset; shortfall and suggested shifts are copied, for the caller to filter by
// their office. Reads only; errors are those of storage.
#ifndef REBOOK_SERVICES_REBOOKING_PLAN_VIEW_H_
#define REBOOK_SERVICES_REBOOKING_PLAN_VIEW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/outreach.h"
#include "services/domain/plan.h"
#include "services/rebooking/planning.h"
#include "storage/store.h"

namespace rebook::rebooking {

absl::StatusOr<domain::PlanSummary> SummaryForOffices(storage::Transaction& tx,
                                                      const domain::PlanRecord& plan,
                                                      const std::vector<std::string>& office_ids);

// ComparePlans (planning.h) over the appointments of `office_ids` only: counts and summaries.
absl::StatusOr<PlanDifference> ComparePlansForOffices(storage::Transaction& tx,
                                                      const std::string& outage_id,
                                                      const std::string& plan_a,
                                                      const std::string& plan_b,
                                                      const std::vector<std::string>& office_ids);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_PLAN_VIEW_H_
