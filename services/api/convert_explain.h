// Conversions of "Why this slot?" (SlotExplanation) and of what-if capacity (CapacityChanges,
// StaffFigures) between API v1 and services/rebooking. Server side only (part of rebook::api);
// same conventions as convert.h.
#ifndef REBOOK_SERVICES_API_CONVERT_EXPLAIN_H_
#define REBOOK_SERVICES_API_CONVERT_EXPLAIN_H_

#include <string>
#include <string_view>

#include "rebook/v1/appointments.pb.h"
#include "rebook/v1/plans.pb.h"
#include "services/common/field_violations.h"
#include "services/rebooking/slot_explain.h"
#include "services/rebooking/what_if.h"

namespace rebook::api {

namespace v1 = ::rebook::v1;

// With the staff lines and the citizen's sentence in `language` ("de" or "en").
void ToProto(const rebooking::SlotExplanationResult& in, std::string_view language,
             v1::SlotExplanation* out);

// Names are checked here (bad ones are field violations under `field`); the rest by
// rebooking::CheckCapacityChanges.
rebooking::CapacityChanges FromProto(const v1::CapacityChanges& in, const std::string& field,
                                     FieldViolations& v);
void ToProto(const rebooking::CapacityChanges& in, v1::CapacityChanges* out);

void ToProto(const rebooking::StaffFigures& in, v1::StaffFigures* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_EXPLAIN_H_
