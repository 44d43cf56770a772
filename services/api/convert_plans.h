// Conversions of plans between API v1 and the domain (see convert.h for the conventions).
#ifndef REBOOK_SERVICES_API_CONVERT_PLANS_H_
#define REBOOK_SERVICES_API_CONVERT_PLANS_H_

#include <optional>
#include <string>
#include <vector>

#include "rebook/v1/plans.pb.h"
#include "services/common/field_violations.h"
#include "services/domain/outreach.h"
#include "services/domain/plan.h"

namespace rebook::api {

namespace v1 = ::rebook::v1;

// Default and largest solver time limits.
inline constexpr double kDefaultSolveSeconds = 10.0;
inline constexpr double kMaxSolveSeconds = 600.0;

struct PlanRequestParams {
  domain::PlanParams params;
  std::uint64_t seed = 1;
  double time_limit_seconds = kDefaultSolveSeconds;
};

// `in` may leave weights unset (spec defaults) but needs a horizon.
PlanRequestParams FromProto(const v1::PlanParameters& in, const std::string& field,
                            FieldViolations& v);
void ToProto(const domain::PlanRecord& in, v1::PlanParameters* out);
// `visible_offices`: nullopt for all; otherwise shortfall and suggestions of other offices are
// left out.
void ToProto(const domain::PlanSummary& in,
             const std::optional<std::vector<std::string>>& visible_offices, v1::PlanSummary* out);
void ToProto(const domain::PlanRecord& in,
             const std::optional<std::vector<std::string>>& visible_offices, v1::Plan* out);
// `time_zone` is the zone of the assigned office (of the appointment's office if unassigned).
void ToProto(const domain::Assignment& in, const std::string& time_zone, v1::PlanAssignment* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_PLANS_H_
