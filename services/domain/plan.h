// A rebooking plan: where each cancelled appointment goes, and what the plan costs.
//
// Plain value types, written by the solver, stored by storage, sent by the API and written to
// plan.csv / plan-summary.json by the bundle module. The objective is the one of the scenario
// bundle spec (../shared/spec/scenario-bundle.md):
//   assigned:   priority x delay_minutes / 60 + w_office_change x [office changed]
//               + w_overtime_min x overtime minutes
//   unassigned: w_unassigned x priority
#ifndef REBOOK_SERVICES_DOMAIN_PLAN_H_
#define REBOOK_SERVICES_DOMAIN_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/domain/model.h"

namespace rebook::domain {

enum class AssignmentStatus { kAssigned, kUnassigned };

// The plan's decision for one appointment.
struct Assignment {
  // The appointment is (appointment_office_id, appointment_id): ids are unique per office.
  // appointment_office_id comes last so that positional initialisers stay valid.
  std::string appointment_id;
  AssignmentStatus status = AssignmentStatus::kUnassigned;
  std::string office_id;  // assigned only
  std::string clerk_id;   // assigned only
  TimeInterval time;      // assigned only; end - start = cases x service duration
  double cost = 0.0;      // this appointment's share of the objective
  std::string reason;     // unassigned only: why, e.g. "no qualified capacity before deadline"
  std::string appointment_office_id;  // the appointment's original office
  AppointmentKey appointment_key() const { return {appointment_office_id, appointment_id}; }
  friend bool operator==(const Assignment&, const Assignment&) = default;
};

struct ObjectiveParts {
  double delay = 0.0;          // sum of priority x delay hours
  double office_change = 0.0;  // w_office_change x number of office changes
  double overtime = 0.0;       // w_overtime_min x overtime minutes
  double unassigned = 0.0;     // w_unassigned x priority of unassigned appointments
  double Total() const { return delay + office_change + overtime + unassigned; }
  friend bool operator==(const ObjectiveParts&, const ObjectiveParts&) = default;
};

// Qualified clerk-minutes missing at one office for one service, to place by `day` everything
// that had to be placed by then (the local date of the deadline, or of the horizon's end).
struct Shortfall {
  std::string office_id;
  std::string service_id;
  LocalDate day;
  std::int64_t missing_minutes = 0;
  std::int64_t appointments = 0;  // how many appointments are left unassigned for it
  friend bool operator==(const Shortfall&, const Shortfall&) = default;
};

// An extra shift that would pay off: adding it and re-solving should lower the objective by
// about `estimated_saving`.
struct ShiftSuggestion {
  std::string office_id;
  std::string service_id;  // a skill the clerk of the extra shift needs
  LocalDate day;
  std::int64_t minutes = 0;
  double estimated_saving = 0.0;
  friend bool operator==(const ShiftSuggestion&, const ShiftSuggestion&) = default;
};

struct PlanSummary {
  double objective = 0.0;
  ObjectiveParts parts;
  std::int64_t assigned = 0;
  std::int64_t unassigned = 0;
  double mean_delay_minutes = 0.0;  // over assigned appointments
  double max_delay_minutes = 0.0;
  std::int64_t office_changes = 0;
  std::int64_t overtime_minutes = 0;
  double solve_seconds = 0.0;
  std::optional<double> lower_bound;  // a proven lower bound on the optimal objective
  std::optional<double> gap;          // (objective - lower_bound) / objective
  std::int64_t fcfs_inversions = 0;   // pairs booked in one order and planned in the other
  std::vector<Shortfall> shortfall;
  std::vector<ShiftSuggestion> suggested_shifts;
  friend bool operator==(const PlanSummary&, const PlanSummary&) = default;
};

struct Plan {
  std::vector<Assignment> assignments;  // one per appointment, in the scenario's order
  PlanSummary summary;
};

std::string_view ToString(AssignmentStatus s);
std::optional<AssignmentStatus> ParseAssignmentStatus(std::string_view s);

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_PLAN_H_
