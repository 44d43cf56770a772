// Alternative slots for an offer: other times a citizen who cannot come at the offered slot
// may pick instead, ranked by the plan's objective.
//
// Alternatives are suggestions, not holds. Holding k extra slots per citizen would take k + 1
// times the capacity an offer needs and starve the citizens still waiting; instead, taking an
// alternative re-checks it against the six rules of the spec and the slots held at that moment
// (`CheckAlternativeStillFree`), and is refused cleanly if someone else got it first.
//
//   REBOOK_ASSIGN_OR_RETURN(SlotScenario s, LoadSlotScenario(tx, outage, plan.params));
//   REBOOK_ASSIGN_OR_RETURN(auto alts, FindAlternatives(s, appointment_id, offer.slot, 3));
#ifndef REBOOK_SERVICES_REBOOKING_OFFER_ALTERNATIVES_H_
#define REBOOK_SERVICES_REBOOKING_OFFER_ALTERNATIVES_H_

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/calendar.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "storage/store.h"

namespace rebook::rebooking {

// The capacity left over for the citizens of one outage: its appointments (waiting and
// holding) with the slots they hold. Slots held in other outages are standing bookings (as in
// every plan, see LoadPlanningInput); this outage's held slots are rebooked minutes, so they
// count against each office-day's reserve limit (rule 6) as they do in its plans.
struct SlotScenario {
  domain::Scenario scenario;
  std::map<std::string, domain::Assignment> held;  // by appointment
  domain::ShiftCalendar calendar;                  // of `scenario`: reserve limits
  domain::ShiftCalendar busy_calendar;             // with `held` as bookings: free clerk time
  std::vector<double> held_regular_minutes;        // per office-day of `calendar`
  // Indexes built once, so that finding one appointment's alternatives does not walk every
  // appointment and clerk: an appointment id's first position in scenario.appointments, and
  // per (office index, service id) the usable shifts there of clerks with that skill, in clerk
  // order, then start order (the order the search breaks ties in).
  std::unordered_map<std::string, std::size_t> appointment_index;
  std::unordered_map<std::string, std::size_t> service_index;  // a service id's first position
  std::map<std::pair<int, std::string>, std::vector<int>> shifts_by_office_service;
};

// Builds the calendars and per-day sums of a SlotScenario.
absl::StatusOr<SlotScenario> BuildSlotScenario(domain::Scenario scenario,
                                               std::map<std::string, domain::Assignment> held);

// Reads the leftover capacity of `outage` within `params` (see planning.h LoadPlanningInput).
// `except_held` names an appointment whose own held slot is not counted as busy (a citizen
// swapping their slot for an alternative).
absl::StatusOr<SlotScenario> LoadSlotScenario(storage::Transaction& tx,
                                              const domain::Outage& outage,
                                              const domain::PlanParams& params,
                                              const std::string& except_held = "");

// Up to `count` feasible slots for the appointment `appointment_id` of `s`, cheapest first by the
// spec's objective: the cheapest start of each office-day, at most one per office-day, none on
// the office-day of `main` (the citizen asked for another time). Each satisfies the six rules
// together with the held slots. NOT_FOUND if the appointment is not in `s`.
absl::StatusOr<std::vector<domain::OfferSlot>> FindAlternatives(const SlotScenario& s,
                                                                const std::string& appointment_id,
                                                                const domain::OfferSlot& main,
                                                                int count);

// OK if `slot` still satisfies every rule of the spec for `appointment_id` together with the held
// slots of `s` (checked by solver::CheckPlan, the independent checker); FAILED_PRECONDITION
// saying why not otherwise.
absl::Status CheckAlternativeStillFree(const SlotScenario& s, const std::string& appointment_id,
                                       const domain::OfferSlot& slot);

// Gives every OPEN offer of plan `plan_id` without alternatives up to `count` alternatives
// (one scenario load for all of them). Idempotent. Returns how many offers got some.
absl::StatusOr<int> AttachAlternatives(storage::Transaction& tx, const std::string& outage_id,
                                       const std::string& plan_id, int count);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OFFER_ALTERNATIVES_H_
