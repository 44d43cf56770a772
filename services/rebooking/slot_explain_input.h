// The input of ExplainSlot (slot_explanation.h) for one appointment, read from the store without
// reading the rest of its outage: a citizen's offer page asks for it on every view.
//
//   REBOOK_ASSIGN_OR_RETURN(SlotExplanationInput in,
//                           LoadSlotExplanationInput(tx, appointment, plan.params));
//   REBOOK_ASSIGN_OR_RETURN(SlotExplanation e, ExplainSlot(in.scenario, question, in.occupants));
//
// ExplainSlot looks only at the appointment's allowed offices: their closures and holidays,
// their shifts in the horizon, the skills of the clerks working them, and every time those
// clerks are busy. So this reads:
//   - the allowed offices (and the office of `slot`, which names the slot's day) and the
//     appointment's service;
//   - the shifts of the allowed offices that touch the horizon, and their clerks;
//   - those clerks' standing bookings that touch the horizon, at any office;
//   - those clerks' held and rebooked slots (the appointment slots of storage/store.h, which
//     the use cases keep equal to each holding offer's slot: slots.h) that touch the horizon,
//     at any office, other than the appointment's own. Slots at an allowed office are other
//     citizens' rebooked places: they become `occupants`, with their holder's deadline and
//     priority.
// Nothing else of the outage (its other appointments, offers or offices) is read. A query per
// allowed office and per clerk working there: a few dozen reads, independent of the outage's
// size.
//
// The explanation equals the one computed from the whole outage's planning input
// (LoadPlanningInput, PlanScope::kOpen) except where that input was incomplete: it held a
// clerk's standing bookings only at the offices in the outage's scope, while this holds them at
// every office (slot_explain_input_test.cc compares the two).
#ifndef REBOOK_SERVICES_REBOOKING_SLOT_EXPLAIN_INPUT_H_
#define REBOOK_SERVICES_REBOOKING_SLOT_EXPLAIN_INPUT_H_

#include <optional>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/rebooking/slot_explanation.h"
#include "storage/store.h"

namespace rebook::rebooking {

struct SlotExplanationInput {
  // params: the plan's; offices: the allowed ones (and the slot's); services: the
  // appointment's (none if unknown); shifts, clerks, closures and bookings as above. Blocked
  // times of other citizens are bookings named "held.<office>.<appointment>".
  domain::Scenario scenario;
  std::unordered_map<std::string, Occupant> occupants;
};

// NOT_FOUND for an allowed office (or the slot's office) that does not exist.
absl::StatusOr<SlotExplanationInput> LoadSlotExplanationInput(
    storage::Transaction& tx, const domain::Appointment& appointment,
    const std::optional<domain::ScheduledSlot>& slot, const domain::PlanParams& params);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_SLOT_EXPLAIN_INPUT_H_
