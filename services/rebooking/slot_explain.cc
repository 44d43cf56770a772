#include "services/rebooking/slot_explain.h"

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/rebooking/slot_explain_input.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::OfferState;
using domain::PlanState;

// The plan whose parameters explain the appointment's state: the one its offer came from, else
// the outage's latest solved plan (committed or ready).
absl::StatusOr<domain::PlanRecord> PlanInQuestion(storage::Transaction& tx,
                                                  const domain::Appointment& a,
                                                  const std::string& offer_plan_id) {
  if (!offer_plan_id.empty()) {
    absl::StatusOr<domain::PlanRecord> p = tx.GetPlan(a.outage_id, offer_plan_id);
    if (p.ok()) return p;
  }
  std::optional<domain::PlanRecord> latest;
  storage::PageRequest page{1000, ""};
  do {
    REBOOK_ASSIGN_OR_RETURN(auto result, tx.ListPlans(a.outage_id, page));
    for (domain::PlanRecord& p : result.items) {
      if (p.state != PlanState::kCommitted && p.state != PlanState::kReady &&
          p.state != PlanState::kSuperseded) {
        continue;
      }
      if (!latest.has_value() || p.create_time >= latest->create_time) latest = std::move(p);
    }
    page.page_token = result.next_page_token;
  } while (!page.page_token.empty());
  if (!latest.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("outage \"", a.outage_id, "\" has no plan yet: create one first"));
  }
  return *std::move(latest);
}

}  // namespace

absl::StatusOr<SlotExplanationResult> ExplainAppointmentSlot(storage::Transaction& tx,
                                                             const domain::AppointmentKey& key) {
  REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, tx.GetAppointment(key.office_id, key.id));
  if (a.outage_id.empty()) {
    return absl::FailedPreconditionError("no outage cancelled this appointment");
  }
  SlotQuestion q;
  switch (a.status) {
    case AppointmentStatus::kOffered:
      q.slot = a.held_slot;
      break;
    case AppointmentStatus::kConfirmed:
      if (a.rebooked_slot.has_value()) q.slot = a.rebooked_slot->slot;
      break;
    case AppointmentStatus::kCancelled:
    case AppointmentStatus::kDeclined:
    case AppointmentStatus::kUnreachable:
      break;
    default:
      return absl::FailedPreconditionError(absl::StrCat("the appointment is ",
                                                        std::string(domain::ToString(a.status)),
                                                        ": it has no slot to explain"));
  }

  // The holding offer names the plan; declined offers are times the citizen cannot come.
  std::string offer_plan_id;
  storage::OfferFilter mine;
  mine.appointment = a.Key();
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(mine, [&](const domain::Offer& o) {
    if (o.IsHolding()) offer_plan_id = o.plan_id;
    if (o.state == OfferState::kDeclined || o.state == OfferState::kOtherTimeRequested) {
      a.unavailable.push_back(o.slot.time);
    }
  }));
  REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord plan, PlanInQuestion(tx, a, offer_plan_id));
  REBOOK_ASSIGN_OR_RETURN(SlotExplanationInput input,
                          LoadSlotExplanationInput(tx, a, q.slot, plan.params));
  q.appointment = std::move(a);
  SlotExplanationResult r;
  REBOOK_ASSIGN_OR_RETURN(r.explanation, ExplainSlot(input.scenario, q, input.occupants));
  r.scenario = std::move(input.scenario);
  r.outage_id = q.appointment.outage_id;
  r.plan_id = plan.id;
  return r;
}

}  // namespace rebook::rebooking
