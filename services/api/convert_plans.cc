#include "services/api/convert_plans.h"

#include <algorithm>
#include <cmath>

#include "services/api/convert.h"
#include "services/api/names.h"

namespace rebook::api {
namespace {

bool Visible(const std::optional<std::vector<std::string>>& visible, const std::string& office) {
  return !visible || std::find(visible->begin(), visible->end(), office) != visible->end();
}

v1::Plan::State ToProto(domain::PlanState s) {
  switch (s) {
    case domain::PlanState::kReady:
      return v1::Plan::READY;
    case domain::PlanState::kCommitted:
      return v1::Plan::COMMITTED;
    case domain::PlanState::kSuperseded:
      return v1::Plan::SUPERSEDED;
    case domain::PlanState::kFailed:
      return v1::Plan::FAILED;
    case domain::PlanState::kWhatIf:
      return v1::Plan::WHAT_IF;
  }
  return v1::Plan::STATE_UNSPECIFIED;
}

void SetDuration(double seconds, google::protobuf::Duration* out) {
  out->set_seconds(static_cast<std::int64_t>(seconds));
  out->set_nanos(static_cast<int>((seconds - std::floor(seconds)) * 1e9));
}

}  // namespace

PlanRequestParams FromProto(const v1::PlanParameters& in, const std::string& field,
                            FieldViolations& v) {
  PlanRequestParams out;
  domain::PlanParams& p = out.params;
  if (!in.has_horizon()) v.Add(field + ".horizon", "is required", "REQUIRED");
  domain::TimeInterval horizon = FromIntervalProto(in.horizon(), field + ".horizon", v);
  p.horizon_start = horizon.start;
  p.horizon_end = horizon.end;
  p.reserve_share = in.reserve_share();
  if (in.has_w_unassigned()) p.w_unassigned = in.w_unassigned();
  if (in.has_w_office_change()) p.w_office_change = in.w_office_change();
  if (in.has_w_overtime_min()) p.w_overtime_min = in.w_overtime_min();
  if (in.has_time_limit()) {
    out.time_limit_seconds = in.time_limit().seconds() + in.time_limit().nanos() / 1e9;
    if (out.time_limit_seconds <= 0 || out.time_limit_seconds > kMaxSolveSeconds) {
      v.Add(field + ".time_limit", "must be more than 0 and at most 600 seconds", "OUT_OF_RANGE");
    }
  }
  if (in.seed() < 0) v.Add(field + ".seed", "must not be negative", "OUT_OF_RANGE");
  out.seed = in.seed() > 0 ? static_cast<std::uint64_t>(in.seed()) : 1;
  return out;
}

void ToProto(const domain::PlanRecord& in, v1::PlanParameters* out) {
  out->Clear();
  ToIntervalProto({in.params.horizon_start, in.params.horizon_end}, out->mutable_horizon());
  out->set_reserve_share(in.params.reserve_share);
  out->set_w_unassigned(in.params.w_unassigned);
  out->set_w_office_change(in.params.w_office_change);
  out->set_w_overtime_min(in.params.w_overtime_min);
  SetDuration(in.time_limit_seconds, out->mutable_time_limit());
  out->set_seed(static_cast<std::int64_t>(in.seed));
}

void ToProto(const domain::PlanSummary& in, const std::optional<std::vector<std::string>>& visible,
             v1::PlanSummary* out) {
  out->Clear();
  out->set_objective(in.objective);
  out->set_delay_cost(in.parts.delay);
  out->set_office_change_cost(in.parts.office_change);
  out->set_overtime_cost(in.parts.overtime);
  out->set_unassigned_cost(in.parts.unassigned);
  out->set_assigned_count(in.assigned);
  out->set_unassigned_count(in.unassigned);
  out->set_mean_delay_minutes(in.mean_delay_minutes);
  out->set_max_delay_minutes(in.max_delay_minutes);
  out->set_overtime_minutes(in.overtime_minutes);
  SetDuration(in.solve_seconds, out->mutable_solve_duration());
  if (in.lower_bound) out->set_lower_bound(*in.lower_bound);
  if (in.gap) out->set_gap(*in.gap);
  out->set_fcfs_inversions(in.fcfs_inversions);
  for (const domain::Shortfall& s : in.shortfall) {
    if (!Visible(visible, s.office_id)) continue;
    v1::Shortfall* o = out->add_shortfall();
    o->set_office(OfficeName(s.office_id));
    o->set_service_type(ServiceTypeName(s.service_id));
    ToDateProto(s.day, o->mutable_date());
    o->set_missing_minutes(s.missing_minutes);
    o->set_unplaced_count(s.appointments);
  }
  for (const domain::ShiftSuggestion& s : in.suggested_shifts) {
    if (!Visible(visible, s.office_id)) continue;
    v1::SuggestedShift* o = out->add_suggested_shifts();
    o->set_office(OfficeName(s.office_id));
    ToDateProto(s.day, o->mutable_date());
    o->add_service_types(ServiceTypeName(s.service_id));
    o->set_minutes(s.minutes);
    o->set_objective_gain(s.estimated_saving);
  }
}

void ToProto(const domain::PlanRecord& in, const std::optional<std::vector<std::string>>& visible,
             v1::Plan* out) {
  out->Clear();
  out->set_name(PlanResourceName(in.outage_id, in.id));
  out->set_state(ToProto(in.state));
  ToProto(in, out->mutable_parameters());
  ToProto(in.summary, visible, out->mutable_summary());
  *out->mutable_create_time() = ToTimestamp(in.create_time);
  if (in.commit_time) *out->mutable_commit_time() = ToTimestamp(*in.commit_time);
  if (!in.base_plan_id.empty()) {
    out->set_base_plan(PlanResourceName(in.outage_id, in.base_plan_id));
  }
  out->set_failure_reason(in.failure_reason);
}

void ToProto(const domain::Assignment& in, const std::string& time_zone, v1::PlanAssignment* out) {
  out->Clear();
  out->set_appointment(AppointmentResourceName(in.appointment_office_id, in.appointment_id));
  bool assigned = in.status == domain::AssignmentStatus::kAssigned;
  out->set_assigned(assigned);
  if (assigned) {
    out->set_office(OfficeName(in.office_id));
    out->set_clerk(ClerkName(in.clerk_id));
    ToIntervalProto(in.time, out->mutable_interval());
  }
  out->set_cost(in.cost);
  out->set_reason(in.reason);
  out->set_time_zone(time_zone);
}

}  // namespace rebook::api
