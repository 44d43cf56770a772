// The "Why this slot?" use case: reads an appointment, the plan its slot came from (or the
// outage's latest plan while it waits) and, within that plan's horizon, the capacity of the
// offices it may go to as it stands now (LoadSlotExplanationInput, slot_explain_input.h: not the
// rest of the outage), and explains the slot with ExplainSlot (slot_explanation.h).
//
//   REBOOK_ASSIGN_OR_RETURN(SlotExplanationResult r, ExplainAppointmentSlot(tx, key));
//   for (const std::string& line : StaffText(r.explanation, r.scenario, "de")) ...
//
// Access checks are the caller's: this reads any office's data.
#ifndef REBOOK_SERVICES_REBOOKING_SLOT_EXPLAIN_H_
#define REBOOK_SERVICES_REBOOKING_SLOT_EXPLAIN_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "services/rebooking/slot_explanation.h"
#include "storage/store.h"

namespace rebook::rebooking {

struct SlotExplanationResult {
  SlotExplanation explanation;
  domain::Scenario scenario;  // the input it was computed from (names of offices, services)
  std::string outage_id;
  std::string plan_id;  // the plan whose horizon and reserve share were used
};

// NOT_FOUND for an unknown appointment; FAILED_PRECONDITION for one no outage cancelled, one
// that is closed or self-rebooked, or an outage without a plan yet.
absl::StatusOr<SlotExplanationResult> ExplainAppointmentSlot(storage::Transaction& tx,
                                                             const domain::AppointmentKey& key);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_SLOT_EXPLAIN_H_
