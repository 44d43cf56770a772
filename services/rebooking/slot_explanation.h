// "Why this slot?": for one appointment and the slot it holds (or its unplaced state), why no
// earlier day was possible, one reason per (day, allowed office), in figures staff can repeat on
// the phone and a citizen can read.
//
// ExplainSlot is a pure checker over the planning input: it takes the scenario a plan is solved
// from (the offices, clerks, shifts, closures and the time already taken) and re-asks the
// feasibility rules of the scenario bundle spec for every earlier day, in this order: the office
// is closed (closure, public holiday), it has no shift or no clerk qualified for the service,
// the day lies before the plan's horizon (minimum notice), before the citizen's earliest start or
// after the deadline, qualified clerks have too little free time (full; or full because citizens
// with an earlier deadline had to go first), the citizen cannot come at the free times, or the
// reserve for regular bookings is used up. A day with a free place none of that explains is
// reported as free (kFreeUnused), never hidden.
//
//   SlotQuestion q{.appointment = a, .slot = a.held_slot};
//   REBOOK_ASSIGN_OR_RETURN(SlotExplanation e, ExplainSlot(scenario, q, occupants));
//   std::string text = StaffText(e, scenario, "de");
//
// Other citizens are never named: the explanation carries counts and minutes only.
#ifndef REBOOK_SERVICES_REBOOKING_SLOT_EXPLANATION_H_
#define REBOOK_SERVICES_REBOOKING_SLOT_EXPLANATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::rebooking {

enum class DayReason {
  kOfficeClosed,        // a closure of the office (detail: its reason)
  kHoliday,             // a public holiday of the office's state (detail: its name)
  kNoOpening,           // the office has no shift that day
  kNoQualifiedClerk,    // shifts, but no clerk who handles the service works
  kBeforeNotice,        // the qualified time lies before the horizon start (minimum notice)
  kBeforeEarliest,      // ... before the citizen's earliest start
  kAfterDeadline,       // ... after the citizen's deadline
  kFull,                // the qualified clerks' free time is too short (free vs needed minutes)
  kDeadlinePriority,    // full, and some of the places went to citizens with an earlier deadline
  kCitizenUnavailable,  // free time exists only when the citizen cannot come
  kReserve,             // free time exists, but the reserve for regular bookings is reached
  kFreeUnused,          // a place is free (now) and nothing above rules it out
};

std::string_view ToString(DayReason r);  // "office_closed", "holiday", ...

// The reason for one local day at one allowed office.
struct DayExplanation {
  domain::LocalDate day;
  std::string office_id;
  DayReason reason = DayReason::kNoOpening;
  std::string detail;                     // closure reason or holiday name
  std::int64_t needed_minutes = 0;        // cases x service duration
  std::int64_t free_minutes = 0;          // qualified clerks' free minutes in the usable window
  std::int64_t longest_free_minutes = 0;  // longest free piece the citizen could come in
  std::int64_t regular_cap_minutes = 0;   // (1 - reserve share) x free regular minutes
  std::int64_t rebooked_minutes = 0;      // rebooked minutes already in regular shifts that day
  std::int64_t reserve_percent = 0;       // the plan's reserve share, in percent
  std::int64_t priority_places = 0;       // kDeadlinePriority: places given to earlier deadlines
  std::int64_t places_taken = 0;          // rebooked places at qualified clerks that day
};

// What is explained: the appointment (its unavailable times include the slots it declined) and
// the slot it holds, if any.
struct SlotQuestion {
  domain::Appointment appointment;
  std::optional<domain::ScheduledSlot> slot;  // nullopt: not placed
};

// Another citizen's rebooked slot, by the id of the standing booking that blocks it in the
// scenario. Bookings not listed here are regular bookings (they count for the reserve).
struct Occupant {
  std::optional<Instant> deadline;
  int priority = 1;
};

struct SlotExplanation {
  std::string appointment_id;
  std::string appointment_office_id;
  std::string service_id;
  std::optional<domain::ScheduledSlot> slot;
  domain::LocalDate slot_day;   // or the horizon's last day when not placed
  Instant earliest_possible{};  // max(horizon start, earliest start): minimum notice included
  std::vector<std::string> allowed_offices;
  bool only_original_office = true;  // the citizen allowed no other office
  std::vector<DayExplanation> days;  // by day, then allowed-office order
};

// `scenario.params` gives the horizon and reserve share of the plan in question;
// `scenario.bookings` every time already taken (regular bookings and other citizens' rebooked
// slots, the latter listed in `occupants`), but not `question.slot` itself. Days run from the
// horizon's first local day to the slot's day (times before the slot only) or, unplaced, to the
// horizon's last day. Saturdays and Sundays appear only where an allowed office has a shift.
// InvalidArgument for an unknown service, office or zone.
absl::StatusOr<SlotExplanation> ExplainSlot(
    const domain::Scenario& scenario, const SlotQuestion& question,
    const std::unordered_map<std::string, Occupant>& occupants);

// The explanation as lines staff can read out, in "de" (default) or "en"; offices by name.
std::vector<std::string> StaffText(const SlotExplanation& e, const domain::Scenario& scenario,
                                   std::string_view language);

// One or two sentences for the citizen's page ("Früher war kein Termin frei, weil …"), in "de"
// (default) or "en". Empty when no earlier day was examined.
std::string CitizenText(const SlotExplanation& e, std::string_view language);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_SLOT_EXPLANATION_H_
