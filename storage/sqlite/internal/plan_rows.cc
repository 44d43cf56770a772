#include "storage/sqlite/internal/plan_rows.h"

#include <array>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/column_io.h"
#include "storage/sqlite/internal/row_codec.h"

namespace rebook::storage::sqlite_internal {
namespace {

constexpr std::array<const char*, 31> kPlanColumns = {"outage_id",
                                                      "id",
                                                      "state",
                                                      "horizon_start",
                                                      "horizon_end",
                                                      "reserve_share",
                                                      "w_unassigned",
                                                      "w_office_change",
                                                      "w_overtime_min",
                                                      "seed",
                                                      "time_limit_s",
                                                      "objective",
                                                      "delay_cost",
                                                      "office_change_cost",
                                                      "overtime_cost",
                                                      "unassigned_cost",
                                                      "assigned",
                                                      "unassigned",
                                                      "mean_delay_min",
                                                      "max_delay_min",
                                                      "office_changes",
                                                      "overtime_min",
                                                      "solve_s",
                                                      "lower_bound",
                                                      "gap",
                                                      "fcfs_inversions",
                                                      "capacity_notes",
                                                      "create_time",
                                                      "commit_time",
                                                      "base_plan_id",
                                                      "failure_reason"};

constexpr std::array<const char*, 11> kAssignmentColumns = {
    "outage_id", "plan_id",   "appointment_id", "appointment_office_id",
    "status",    "office_id", "clerk_id",       "start_time",
    "end_time",  "cost",      "reason"};

absl::Status CorruptNotes(std::string_view text, const std::string& why) {
  return absl::InternalError(
      absl::StrCat("corrupt capacity_notes column (", why, "): '", std::string(text), "'"));
}

}  // namespace

std::span<const char* const> PlanColumns() { return kPlanColumns; }
std::span<const char* const> AssignmentColumns() { return kAssignmentColumns; }

void BindPlan(SQLite::Statement& s, const domain::PlanRecord& p) {
  const domain::PlanSummary& m = p.summary;
  s.bindNoCopy(1, p.outage_id);
  s.bindNoCopy(2, p.id);
  BindName(s, 3, domain::ToString(p.state));
  s.bind(4, ToUnixSeconds(p.params.horizon_start));
  s.bind(5, ToUnixSeconds(p.params.horizon_end));
  s.bind(6, p.params.reserve_share);
  s.bind(7, p.params.w_unassigned);
  s.bind(8, p.params.w_office_change);
  s.bind(9, p.params.w_overtime_min);
  s.bind(10, static_cast<std::int64_t>(p.seed));  // the bit pattern; read back unchanged
  s.bind(11, p.time_limit_seconds);
  s.bind(12, m.objective);
  s.bind(13, m.parts.delay);
  s.bind(14, m.parts.office_change);
  s.bind(15, m.parts.overtime);
  s.bind(16, m.parts.unassigned);
  s.bind(17, m.assigned);
  s.bind(18, m.unassigned);
  s.bind(19, m.mean_delay_minutes);
  s.bind(20, m.max_delay_minutes);
  s.bind(21, m.office_changes);
  s.bind(22, m.overtime_minutes);
  s.bind(23, m.solve_seconds);
  BindNullable(s, 24, m.lower_bound);
  BindNullable(s, 25, m.gap);
  s.bind(26, m.fcfs_inversions);
  BindNullable(s, 27, EncodeCapacityNotes(m));
  s.bind(28, ToUnixSeconds(p.create_time));
  BindNullable(s, 29, p.commit_time);
  s.bindNoCopy(30, p.base_plan_id);
  s.bindNoCopy(31, p.failure_reason);
}

absl::StatusOr<domain::PlanRecord> ReadPlan(SQLite::Statement& s) {
  domain::PlanRecord p;
  domain::PlanSummary& m = p.summary;
  p.outage_id = s.getColumn(0).getString();
  p.id = s.getColumn(1).getString();
  REBOOK_ASSIGN_OR_RETURN(p.state, DecodePlanState(s.getColumn(2).getText()));
  p.params.horizon_start = FromUnixSeconds(s.getColumn(3).getInt64());
  p.params.horizon_end = FromUnixSeconds(s.getColumn(4).getInt64());
  p.params.reserve_share = s.getColumn(5).getDouble();
  p.params.w_unassigned = s.getColumn(6).getDouble();
  p.params.w_office_change = s.getColumn(7).getDouble();
  p.params.w_overtime_min = s.getColumn(8).getDouble();
  p.seed = static_cast<std::uint64_t>(s.getColumn(9).getInt64());
  p.time_limit_seconds = s.getColumn(10).getDouble();
  m.objective = s.getColumn(11).getDouble();
  m.parts.delay = s.getColumn(12).getDouble();
  m.parts.office_change = s.getColumn(13).getDouble();
  m.parts.overtime = s.getColumn(14).getDouble();
  m.parts.unassigned = s.getColumn(15).getDouble();
  m.assigned = s.getColumn(16).getInt64();
  m.unassigned = s.getColumn(17).getInt64();
  m.mean_delay_minutes = s.getColumn(18).getDouble();
  m.max_delay_minutes = s.getColumn(19).getDouble();
  m.office_changes = s.getColumn(20).getInt64();
  m.overtime_minutes = s.getColumn(21).getInt64();
  m.solve_seconds = s.getColumn(22).getDouble();
  m.lower_bound = NullableDouble(s.getColumn(23));
  m.gap = NullableDouble(s.getColumn(24));
  m.fcfs_inversions = s.getColumn(25).getInt64();
  REBOOK_RETURN_IF_ERROR(DecodeCapacityNotes(NullableText(s.getColumn(26)), m));
  p.create_time = FromUnixSeconds(s.getColumn(27).getInt64());
  p.commit_time = NullableInstant(s.getColumn(28));
  p.base_plan_id = s.getColumn(29).getString();
  p.failure_reason = s.getColumn(30).getString();
  return p;
}

void BindAssignment(SQLite::Statement& s, const std::string& outage_id, const std::string& plan_id,
                    const domain::Assignment& a) {
  s.bindNoCopy(1, outage_id);
  s.bindNoCopy(2, plan_id);
  s.bindNoCopy(3, a.appointment_id);
  s.bindNoCopy(4, a.appointment_office_id);
  BindName(s, 5, domain::ToString(a.status));
  s.bindNoCopy(6, a.office_id);
  s.bindNoCopy(7, a.clerk_id);
  s.bind(8, ToUnixSeconds(a.time.start));
  s.bind(9, ToUnixSeconds(a.time.end));
  s.bind(10, a.cost);
  s.bindNoCopy(11, a.reason);
}

absl::StatusOr<domain::Assignment> ReadAssignment(SQLite::Statement& s) {
  domain::Assignment a;
  a.appointment_id = s.getColumn(2).getString();
  a.appointment_office_id = s.getColumn(3).getString();
  REBOOK_ASSIGN_OR_RETURN(a.status, DecodeAssignmentStatus(s.getColumn(4).getText()));
  a.office_id = s.getColumn(5).getString();
  a.clerk_id = s.getColumn(6).getString();
  a.time = {FromUnixSeconds(s.getColumn(7).getInt64()), FromUnixSeconds(s.getColumn(8).getInt64())};
  a.cost = s.getColumn(9).getDouble();
  a.reason = s.getColumn(10).getString();
  return a;
}

std::optional<std::string> EncodeCapacityNotes(const domain::PlanSummary& summary) {
  if (summary.shortfall.empty() && summary.suggested_shifts.empty()) return std::nullopt;
  nlohmann::json shortfall = nlohmann::json::array();
  for (const domain::Shortfall& f : summary.shortfall) {
    shortfall.push_back({{"office", f.office_id},
                         {"service", f.service_id},
                         {"day", EncodeDate(f.day)},
                         {"missing_minutes", f.missing_minutes},
                         {"appointments", f.appointments}});
  }
  nlohmann::json shifts = nlohmann::json::array();
  for (const domain::ShiftSuggestion& s : summary.suggested_shifts) {
    shifts.push_back({{"office", s.office_id},
                      {"service", s.service_id},
                      {"day", EncodeDate(s.day)},
                      {"minutes", s.minutes},
                      {"estimated_saving", s.estimated_saving}});
  }
  // Doubles are written as the shortest text that reads back as the same value.
  return nlohmann::json{{"shortfall", shortfall}, {"suggested_shifts", shifts}}.dump();
}

absl::Status DecodeCapacityNotes(std::optional<std::string_view> text,
                                 domain::PlanSummary& summary) {
  summary.shortfall.clear();
  summary.suggested_shifts.clear();
  if (!text) return absl::OkStatus();
  try {
    const nlohmann::json notes = nlohmann::json::parse(*text);
    for (const nlohmann::json& f : notes.at("shortfall")) {
      domain::Shortfall& out = summary.shortfall.emplace_back();
      out.office_id = f.at("office").get<std::string>();
      out.service_id = f.at("service").get<std::string>();
      REBOOK_ASSIGN_OR_RETURN(out.day, DecodeDate(f.at("day").get<std::string>()));
      out.missing_minutes = f.at("missing_minutes").get<std::int64_t>();
      out.appointments = f.at("appointments").get<std::int64_t>();
    }
    for (const nlohmann::json& s : notes.at("suggested_shifts")) {
      domain::ShiftSuggestion& out = summary.suggested_shifts.emplace_back();
      out.office_id = s.at("office").get<std::string>();
      out.service_id = s.at("service").get<std::string>();
      REBOOK_ASSIGN_OR_RETURN(out.day, DecodeDate(s.at("day").get<std::string>()));
      out.minutes = s.at("minutes").get<std::int64_t>();
      out.estimated_saving = s.at("estimated_saving").get<double>();
    }
  } catch (const nlohmann::json::exception& e) {
    return CorruptNotes(*text, e.what());
  }
  return absl::OkStatus();
}

}  // namespace rebook::storage::sqlite_internal
