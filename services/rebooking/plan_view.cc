#include "services/rebooking/plan_view.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "services/common/status_macros.h"
#include "services/solver/inversions.h"

namespace rebook::rebooking {
namespace {

using domain::Appointment;
using domain::Assignment;

// The plan's assignments of appointments originally at one of `office_ids`, with them.
absl::StatusOr<std::vector<std::pair<Assignment, Appointment>>> AssignmentsOfOffices(
    storage::Transaction& tx, const std::string& outage_id, const std::string& plan_id,
    const std::vector<std::string>& office_ids) {
  std::vector<Assignment> all;
  REBOOK_RETURN_IF_ERROR(
      tx.ScanAssignments(outage_id, plan_id, [&](const Assignment& a) { all.push_back(a); }));
  std::vector<domain::AppointmentKey> keys;
  keys.reserve(all.size());
  for (const Assignment& a : all) keys.push_back({a.appointment_office_id, a.appointment_id});
  REBOOK_ASSIGN_OR_RETURN(std::vector<Appointment> appointments, tx.FindAppointments(keys));
  std::unordered_map<domain::AppointmentKey, Appointment, domain::AppointmentKeyHash> by_key;
  for (Appointment& a : appointments) {
    if (std::find(office_ids.begin(), office_ids.end(), a.office_id) != office_ids.end()) {
      by_key.emplace(a.Key(), std::move(a));
    }
  }
  std::vector<std::pair<Assignment, Appointment>> out;
  for (Assignment& a : all) {
    auto it = by_key.find({a.appointment_office_id, a.appointment_id});
    if (it != by_key.end()) out.emplace_back(std::move(a), it->second);
  }
  return out;
}

// First-come-first-served inversions within (service, original office, priority), counted as
// the solver counts them: by original start, unplaced ones last.
std::int64_t FcfsInversions(const std::vector<std::pair<Assignment, Appointment>>& rows) {
  using Group = std::tuple<std::string, std::string, int>;
  std::map<Group, std::vector<std::pair<std::int64_t, std::int64_t>>> groups;
  for (const auto& [as, ap] : rows) {
    std::int64_t planned = as.status == domain::AssignmentStatus::kAssigned
                               ? as.time.start.time_since_epoch().count()
                               : std::numeric_limits<std::int64_t>::max();
    groups[{ap.service_id, ap.office_id, ap.priority}].emplace_back(
        ap.original_start.time_since_epoch().count(), planned);
  }
  std::int64_t total = 0;
  for (auto& [group, members] : groups) {
    std::sort(members.begin(), members.end());
    std::vector<std::int64_t> keys;
    for (const auto& m : members) keys.push_back(m.second);
    total += solver::CountInversions(keys);
  }
  return total;
}

}  // namespace

absl::StatusOr<domain::PlanSummary> SummaryForOffices(storage::Transaction& tx,
                                                      const domain::PlanRecord& plan,
                                                      const std::vector<std::string>& office_ids) {
  REBOOK_ASSIGN_OR_RETURN(auto rows, AssignmentsOfOffices(tx, plan.outage_id, plan.id, office_ids));
  const domain::PlanParams& p = plan.params;
  domain::PlanSummary s;
  s.solve_seconds = plan.summary.solve_seconds;
  s.shortfall = plan.summary.shortfall;
  s.suggested_shifts = plan.summary.suggested_shifts;
  double delay_sum = 0;
  for (const auto& [as, ap] : rows) {
    if (as.status != domain::AssignmentStatus::kAssigned) {
      ++s.unassigned;
      s.parts.unassigned += as.cost;
      continue;
    }
    ++s.assigned;
    // The parts of the row's cost, as the solver builds it (services/solver/internal/report.cc).
    const Instant from = std::max(ap.earliest_start.value_or(p.horizon_start), p.horizon_start);
    const double delay = static_cast<double>((as.time.start - from).count()) / 60.0;
    const double delay_cost = ap.priority * delay / 60.0;
    const double change = as.office_id != ap.office_id ? p.w_office_change : 0.0;
    const double overtime = std::max(0.0, as.cost - delay_cost - change);
    s.parts.delay += delay_cost;
    s.parts.office_change += change;
    s.parts.overtime += overtime;
    s.office_changes += as.office_id != ap.office_id ? 1 : 0;
    if (p.w_overtime_min > 0) {
      s.overtime_minutes += static_cast<std::int64_t>(overtime / p.w_overtime_min + 0.5);
    }
    delay_sum += delay;
    s.max_delay_minutes = std::max(s.max_delay_minutes, delay);
  }
  s.objective = s.parts.Total();
  s.mean_delay_minutes = s.assigned > 0 ? delay_sum / static_cast<double>(s.assigned) : 0.0;
  s.fcfs_inversions = FcfsInversions(rows);
  return s;
}

absl::StatusOr<PlanDifference> ComparePlansForOffices(storage::Transaction& tx,
                                                      const std::string& outage_id,
                                                      const std::string& plan_a,
                                                      const std::string& plan_b,
                                                      const std::vector<std::string>& office_ids) {
  PlanDifference d;
  REBOOK_ASSIGN_OR_RETURN(d.a, tx.GetPlan(outage_id, plan_a));
  REBOOK_ASSIGN_OR_RETURN(d.b, tx.GetPlan(outage_id, plan_b));
  REBOOK_ASSIGN_OR_RETURN(d.a.summary, SummaryForOffices(tx, d.a, office_ids));
  REBOOK_ASSIGN_OR_RETURN(d.b.summary, SummaryForOffices(tx, d.b, office_ids));
  std::vector<Assignment> in_a, in_b;
  REBOOK_ASSIGN_OR_RETURN(auto rows_a, AssignmentsOfOffices(tx, outage_id, plan_a, office_ids));
  REBOOK_ASSIGN_OR_RETURN(auto rows_b, AssignmentsOfOffices(tx, outage_id, plan_b, office_ids));
  for (auto& row : rows_a) in_a.push_back(std::move(row.first));
  for (auto& row : rows_b) in_b.push_back(std::move(row.first));
  CountDifferences(in_a, in_b, d);
  return d;
}

}  // namespace rebook::rebooking
