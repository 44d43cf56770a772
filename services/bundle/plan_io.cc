#include "services/bundle/plan_io.h"

#include <fstream>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "services/bundle/csv_reader.h"
#include "services/bundle/internal/fields.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"

namespace rebook::bundle {
namespace {

namespace fs = std::filesystem;
using domain::Assignment;
using domain::AssignmentStatus;

absl::Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (out.fail()) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

nlohmann::json OptionalNumber(const std::optional<double>& x) {
  return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
}

}  // namespace

absl::Status WritePlanCsv(const domain::Scenario& s, const std::vector<Assignment>& rows,
                          const fs::path& path) {
  std::unordered_map<std::string, const domain::Office*> offices;
  for (const auto& o : s.offices) offices.emplace(o.id, &o);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::string text;
  AppendCsvRow(
      {"appointment_id", "status", "office_id", "staff_id", "start", "end", "cost", "reason"},
      text);
  for (const Assignment& a : rows) {
    std::string start, end;
    if (a.status == AssignmentStatus::kAssigned) {
      auto it = offices.find(a.office_id);
      const std::string tz = it == offices.end() ? "Europe/Berlin" : it->second->time_zone;
      start = domain::FormatLocal(tz, a.time.start);
      end = domain::FormatLocal(tz, a.time.end);
    }
    AppendCsvRow({a.appointment_id, std::string(domain::ToString(a.status)), a.office_id,
                  a.clerk_id, start, end, absl::StrFormat("%.4f", a.cost), a.reason},
                 text);
    if (text.size() > (8u << 20)) {
      out << text;
      text.clear();
    }
  }
  out << text;
  out.close();
  if (out.fail()) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

std::string PlanSummaryJson(const domain::PlanSummary& m) {
  nlohmann::json j;
  j["objective"] = m.objective;
  j["objective_parts"] = {{"delay", m.parts.delay},
                          {"office_change", m.parts.office_change},
                          {"overtime", m.parts.overtime},
                          {"unassigned", m.parts.unassigned}};
  j["assigned"] = m.assigned;
  j["unassigned"] = m.unassigned;
  j["mean_delay_minutes"] = m.mean_delay_minutes;
  j["max_delay_minutes"] = m.max_delay_minutes;
  j["office_changes"] = m.office_changes;
  j["overtime_minutes"] = m.overtime_minutes;
  j["solve_seconds"] = m.solve_seconds;
  j["lower_bound"] = OptionalNumber(m.lower_bound);
  j["gap"] = OptionalNumber(m.gap);
  j["fcfs_inversions"] = m.fcfs_inversions;
  nlohmann::json shortfall = nlohmann::json::array();
  for (const auto& f : m.shortfall) {
    shortfall.push_back({{"office_id", f.office_id},
                         {"service_id", f.service_id},
                         {"day", domain::FormatLocalDate(f.day)},
                         {"missing_minutes", f.missing_minutes},
                         {"appointments", f.appointments}});
  }
  j["shortfall"] = std::move(shortfall);
  nlohmann::json shifts = nlohmann::json::array();
  for (const auto& x : m.suggested_shifts) {
    shifts.push_back({{"office_id", x.office_id},
                      {"service_id", x.service_id},
                      {"day", domain::FormatLocalDate(x.day)},
                      {"minutes", x.minutes},
                      {"estimated_saving", x.estimated_saving}});
  }
  j["suggested_shifts"] = std::move(shifts);
  return j.dump(2) + "\n";
}

absl::Status WritePlanSummaryJson(const domain::PlanSummary& summary, const fs::path& path) {
  return WriteText(path, PlanSummaryJson(summary));
}

absl::Status WritePlan(const domain::Scenario& s, const domain::Plan& plan, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return absl::InternalError(absl::StrCat("cannot create ", dir.string(), ": ", ec.message()));
  REBOOK_RETURN_IF_ERROR(WritePlanCsv(s, plan.assignments, dir / "plan.csv"));
  return WritePlanSummaryJson(plan.summary, dir / "plan-summary.json");
}

absl::StatusOr<std::vector<Assignment>> ReadPlanCsv(const fs::path& path,
                                                    const domain::Scenario& s) {
  internal::IdIndex offices, appointments, seen;
  for (std::size_t i = 0; i < s.offices.size(); ++i)
    offices.emplace(s.offices[i].id, internal::IdEntry{static_cast<int>(i)});
  for (std::size_t i = 0; i < s.appointments.size(); ++i)
    appointments.emplace(s.appointments[i].id, internal::IdEntry{static_cast<int>(i)});
  REBOOK_ASSIGN_OR_RETURN(auto csv, CsvReader::Open(path, path.filename().string()));
  REBOOK_ASSIGN_OR_RETURN(int id, csv->Require("appointment_id"));
  REBOOK_ASSIGN_OR_RETURN(int status, csv->Require("status"));
  int office = csv->Find("office_id"), staff = csv->Find("staff_id"), start = csv->Find("start"),
      end = csv->Find("end"), cost = csv->Find("cost"), reason = csv->Find("reason");
  std::vector<Assignment> out;
  while (true) {
    REBOOK_ASSIGN_OR_RETURN(bool more, csv->Next());
    if (!more) break;
    Assignment a;
    REBOOK_ASSIGN_OR_RETURN(a.appointment_id, internal::IdField(*csv, id));
    REBOOK_RETURN_IF_ERROR(
        internal::Lookup(*csv, id, a.appointment_id, appointments, "appointment").status());
    REBOOK_RETURN_IF_ERROR(internal::AddUnique(*csv, id, a.appointment_id, out.size(), seen));
    std::optional<AssignmentStatus> st = domain::ParseAssignmentStatus(csv->Field(status));
    if (!st) return csv->Error(status, "is not assigned or unassigned");
    a.status = *st;
    REBOOK_ASSIGN_OR_RETURN(a.cost, internal::NumberField(*csv, cost, 0.0, -1e18, 1e18));
    a.reason = std::string(csv->Field(reason));
    if (a.status == AssignmentStatus::kAssigned) {
      REBOOK_ASSIGN_OR_RETURN(a.office_id, internal::IdField(*csv, office));
      REBOOK_ASSIGN_OR_RETURN(int o,
                              internal::Lookup(*csv, office, a.office_id, offices, "office"));
      REBOOK_ASSIGN_OR_RETURN(a.clerk_id, internal::IdField(*csv, staff));
      const std::string& tz = s.offices[o].time_zone;
      REBOOK_ASSIGN_OR_RETURN(a.time.start, internal::TimeField(*csv, start, tz));
      REBOOK_ASSIGN_OR_RETURN(a.time.end, internal::TimeField(*csv, end, tz));
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace rebook::bundle
