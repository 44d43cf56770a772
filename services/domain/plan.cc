#include "services/domain/plan.h"

namespace rebook::domain {

std::string_view ToString(AssignmentStatus s) {
  return s == AssignmentStatus::kAssigned ? "assigned" : "unassigned";
}

std::optional<AssignmentStatus> ParseAssignmentStatus(std::string_view s) {
  if (s == "assigned") return AssignmentStatus::kAssigned;
  if (s == "unassigned") return AssignmentStatus::kUnassigned;
  return std::nullopt;
}

}  // namespace rebook::domain
