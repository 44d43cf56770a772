// The rules an appointment must satisfy before it is stored.
#ifndef REBOOK_SERVICES_REBOOKING_APPOINTMENT_RULES_H_
#define REBOOK_SERVICES_REBOOKING_APPOINTMENT_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "services/common/field_violations.h"
#include "services/domain/model.h"
#include "services/rebooking/reference_cache.h"

namespace rebook::rebooking {

// Adds a violation for every rule `a` breaks, with field paths under `prefix` (e.g.
// "appointments[3]"). Checks ids, references (office, service type, allowed offices), ranges,
// intervals and contact data. Returns an error only for storage failures.
absl::Status CheckAppointment(const domain::Appointment& a, const std::string& prefix,
                              ReferenceCache& refs, FieldViolations& violations);

// BCP 47-shaped: "de", "en-GB", "zh-Hant-TW".
bool LooksLikeLanguageTag(const std::string& tag);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_APPOINTMENT_RULES_H_
