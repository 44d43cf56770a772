// The row mappings of the plans and plan_assignments tables (see migrations.cc, step 2).
//
// A plan's summary is stored as scalar columns, except its shortfall and suggested shifts,
// which go into one JSON column `capacity_notes` (NULL when both are empty):
//   {"shortfall": [{"office": "o1", "service": "s1", "day": "2026-03-02",
//                   "missing_minutes": 90, "appointments": 4}, ...],
//    "suggested_shifts": [{"office": "o1", "service": "s1", "day": "2026-03-02",
//                          "minutes": 240, "estimated_saving": 1234.5}, ...]}
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_PLAN_ROWS_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_PLAN_ROWS_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "SQLiteCpp/Statement.h"
#include "absl/status/statusor.h"
#include "services/domain/outreach.h"
#include "services/domain/plan.h"

namespace rebook::storage::sqlite_internal {

// The plans table's columns, key (outage_id, id) first, in bind order.
std::span<const char* const> PlanColumns();
// Binds every column of PlanColumns() as ?1..?N. Text of `plan` is bound without copying.
void BindPlan(SQLite::Statement& statement, const domain::PlanRecord& plan);
// Reads the row the statement is on, whose columns are PlanColumns().
absl::StatusOr<domain::PlanRecord> ReadPlan(SQLite::Statement& statement);

// The plan_assignments table's columns, key (outage_id, plan_id, appointment_id,
// appointment_office_id) first.
std::span<const char* const> AssignmentColumns();
void BindAssignment(SQLite::Statement& statement, const std::string& outage_id,
                    const std::string& plan_id, const domain::Assignment& assignment);
// Reads the row the statement is on, whose columns are AssignmentColumns().
absl::StatusOr<domain::Assignment> ReadAssignment(SQLite::Statement& statement);

// The capacity_notes column; nullopt if both lists are empty.
std::optional<std::string> EncodeCapacityNotes(const domain::PlanSummary& summary);
// Fills `summary`'s shortfall and suggested shifts. INTERNAL for text no encoder writes.
absl::Status DecodeCapacityNotes(std::optional<std::string_view> text,
                                 domain::PlanSummary& summary);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_PLAN_ROWS_H_
