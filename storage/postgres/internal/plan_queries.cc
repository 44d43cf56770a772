// Plans (listed newest first) and their assignments (listed in appointment id order, then by
// the appointment's office). A plan's shortfall and suggested shifts are one jsonb column with
// the shape of the SQLite store's capacity_notes (storage/sqlite/internal/plan_rows.h).
#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/domain/local_time.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

constexpr const char* kPlanColumns =
    "outage_id, id, state, horizon_start, horizon_end, reserve_share, w_unassigned, "
    "w_office_change, w_overtime_min, seed, time_limit_s, objective, delay_cost, "
    "office_change_cost, overtime_cost, unassigned_cost, assigned, unassigned, mean_delay_min, "
    "max_delay_min, office_changes, overtime_min, solve_s, lower_bound, gap, fcfs_inversions, "
    "capacity_notes, create_time, commit_time, base_plan_id, failure_reason";

const std::string kPlanSelect = absl::StrCat(
    "SELECT outage_id, id, state, ", Ts("horizon_start"), ", ", Ts("horizon_end"),
    ", reserve_share, w_unassigned, w_office_change, w_overtime_min, seed, time_limit_s, "
    "objective, delay_cost, office_change_cost, overtime_cost, unassigned_cost, assigned, "
    "unassigned, mean_delay_min, max_delay_min, office_changes, overtime_min, solve_s, "
    "lower_bound, gap, fcfs_inversions, capacity_notes::text, ",
    Ts("create_time"), ", ", Ts("commit_time"), ", base_plan_id, failure_reason FROM plans");

const std::string kAssignmentSelect =
    absl::StrCat("SELECT appointment_id, appointment_office_id, status, office_id, clerk_id, ",
                 Ts("start_time"), ", ", Ts("end_time"), ", cost, reason FROM plan_assignments");

std::optional<std::string> CapacityNotes(const domain::PlanSummary& m) {
  if (m.shortfall.empty() && m.suggested_shifts.empty()) return std::nullopt;
  nlohmann::json shortfall = nlohmann::json::array();
  for (const domain::Shortfall& f : m.shortfall) {
    shortfall.push_back({{"office", f.office_id},
                         {"service", f.service_id},
                         {"day", domain::FormatLocalDate(f.day)},
                         {"missing_minutes", f.missing_minutes},
                         {"appointments", f.appointments}});
  }
  nlohmann::json shifts = nlohmann::json::array();
  for (const domain::ShiftSuggestion& s : m.suggested_shifts) {
    shifts.push_back({{"office", s.office_id},
                      {"service", s.service_id},
                      {"day", domain::FormatLocalDate(s.day)},
                      {"minutes", s.minutes},
                      {"estimated_saving", s.estimated_saving}});
  }
  return nlohmann::json{{"shortfall", shortfall}, {"suggested_shifts", shifts}}.dump();
}

absl::Status ReadCapacityNotes(const pqxx::field& f, domain::PlanSummary& m) {
  if (f.is_null()) return absl::OkStatus();
  try {
    const nlohmann::json notes = nlohmann::json::parse(f.c_str());
    for (const nlohmann::json& j : notes.at("shortfall")) {
      domain::Shortfall& out = m.shortfall.emplace_back();
      out.office_id = j.at("office").get<std::string>();
      out.service_id = j.at("service").get<std::string>();
      REBOOK_ASSIGN_OR_RETURN(out.day, domain::ParseLocalDate(j.at("day").get<std::string>()));
      out.missing_minutes = j.at("missing_minutes").get<std::int64_t>();
      out.appointments = j.at("appointments").get<std::int64_t>();
    }
    for (const nlohmann::json& j : notes.at("suggested_shifts")) {
      domain::ShiftSuggestion& out = m.suggested_shifts.emplace_back();
      out.office_id = j.at("office").get<std::string>();
      out.service_id = j.at("service").get<std::string>();
      REBOOK_ASSIGN_OR_RETURN(out.day, domain::ParseLocalDate(j.at("day").get<std::string>()));
      out.minutes = j.at("minutes").get<std::int64_t>();
      out.estimated_saving = j.at("estimated_saving").get<double>();
    }
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt capacity_notes column: ", e.what()));
  }
  return absl::OkStatus();
}

absl::StatusOr<domain::PlanRecord> ReadPlan(const pqxx::row& r) {
  domain::PlanRecord p;
  domain::PlanSummary& m = p.summary;
  p.outage_id = Str(r[0]);
  p.id = Str(r[1]);
  REBOOK_ASSIGN_OR_RETURN(p.state, Decode(domain::ParsePlanState(Str(r[2])), "plan state", r[2]));
  p.params.horizon_start = Time(r[3]);
  p.params.horizon_end = Time(r[4]);
  REBOOK_ASSIGN_OR_RETURN(p.params.reserve_share, Double(r[5]));
  REBOOK_ASSIGN_OR_RETURN(p.params.w_unassigned, Double(r[6]));
  REBOOK_ASSIGN_OR_RETURN(p.params.w_office_change, Double(r[7]));
  REBOOK_ASSIGN_OR_RETURN(p.params.w_overtime_min, Double(r[8]));
  p.seed = static_cast<std::uint64_t>(Int(r[9]));
  REBOOK_ASSIGN_OR_RETURN(p.time_limit_seconds, Double(r[10]));
  REBOOK_ASSIGN_OR_RETURN(m.objective, Double(r[11]));
  REBOOK_ASSIGN_OR_RETURN(m.parts.delay, Double(r[12]));
  REBOOK_ASSIGN_OR_RETURN(m.parts.office_change, Double(r[13]));
  REBOOK_ASSIGN_OR_RETURN(m.parts.overtime, Double(r[14]));
  REBOOK_ASSIGN_OR_RETURN(m.parts.unassigned, Double(r[15]));
  m.assigned = Int(r[16]);
  m.unassigned = Int(r[17]);
  REBOOK_ASSIGN_OR_RETURN(m.mean_delay_minutes, Double(r[18]));
  REBOOK_ASSIGN_OR_RETURN(m.max_delay_minutes, Double(r[19]));
  m.office_changes = Int(r[20]);
  m.overtime_minutes = Int(r[21]);
  REBOOK_ASSIGN_OR_RETURN(m.solve_seconds, Double(r[22]));
  REBOOK_ASSIGN_OR_RETURN(m.lower_bound, OptDouble(r[23]));
  REBOOK_ASSIGN_OR_RETURN(m.gap, OptDouble(r[24]));
  m.fcfs_inversions = Int(r[25]);
  REBOOK_RETURN_IF_ERROR(ReadCapacityNotes(r[26], m));
  p.create_time = Time(r[27]);
  p.commit_time = OptTime(r[28]);
  p.base_plan_id = Str(r[29]);
  p.failure_reason = Str(r[30]);
  return p;
}

absl::StatusOr<domain::Assignment> ReadAssignment(const pqxx::row& r) {
  domain::Assignment a;
  a.appointment_id = Str(r[0]);
  a.appointment_office_id = Str(r[1]);
  REBOOK_ASSIGN_OR_RETURN(
      a.status, Decode(domain::ParseAssignmentStatus(Str(r[2])), "assignment status", r[2]));
  a.office_id = Str(r[3]);
  a.clerk_id = Str(r[4]);
  a.time = {Time(r[5]), Time(r[6])};
  REBOOK_ASSIGN_OR_RETURN(a.cost, Double(r[7]));
  a.reason = Str(r[8]);
  return a;
}

Filter AssignmentFilterSql(const std::string& outage_id, const std::string& plan_id,
                           const AssignmentFilter& filter) {
  Filter where;
  where.Add(absl::StrCat("outage_id = ", where.params.Add(outage_id),
                         " AND plan_id = ", where.params.Add(plan_id)));
  if (filter.office_ids) {
    const std::string offices = where.params.AddTextArray(*filter.office_ids);
    where.Add(absl::StrCat("(office_id = ANY(", offices, ") OR appointment_office_id = ANY(",
                           offices, "))"));
  }
  if (filter.unassigned_only) {
    where.Add(absl::StrCat(
        "status = ",
        where.params.Add(std::string(domain::ToString(domain::AssignmentStatus::kUnassigned)))));
  }
  return where;
}

constexpr std::size_t kAssignmentInsertBatch = 2000;  // 11 parameters per assignment

}  // namespace

absl::StatusOr<domain::PlanRecord> PgTransaction::GetPlan(const std::string& outage_id,
                                                          const std::string& plan_id) {
  return Guard("get plan", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::PlanRecord> {
    const pqxx::result r = tx.exec_params(
        absl::StrCat(kPlanSelect, " WHERE outage_id = $1 AND id = $2"), outage_id, plan_id);
    if (r.empty()) {
      return absl::NotFoundError(absl::StrCat("no plan ", plan_id, " of outage ", outage_id));
    }
    return ReadPlan(r[0]);
  });
}

absl::StatusOr<Page<domain::PlanRecord>> PgTransaction::ListPlans(const std::string& outage_id,
                                                                  const PageRequest& page) {
  return Guard("list plans", [&](pqxx::dbtransaction& tx) {
    Filter where;
    where.Add(absl::StrCat("outage_id = ", where.params.Add(outage_id)));
    static const PagedQuery* query = new PagedQuery{
        "plans", kPlanSelect, {{"create_time", KeyType::kInstant}, {"id", KeyType::kText}}, true};
    return ReadPage<domain::PlanRecord>(
        tx, *query, std::move(where), page, ReadPlan, [](const domain::PlanRecord& p) {
          return PageKey{absl::StrCat(UnixSeconds(p.create_time)), p.id};
        });
  });
}

absl::Status PgTransaction::PutPlan(const domain::PlanRecord& plan) {
  return WriteAtomically("put plan", [&](pqxx::dbtransaction& tx) -> absl::Status {
    const domain::PlanSummary& m = plan.summary;
    Params p;
    const std::optional<std::string> notes = CapacityNotes(m);
    const std::string values = absl::StrCat(
        p.Add(plan.outage_id), ", ", p.Add(plan.id), ", ",
        p.Add(std::string(domain::ToString(plan.state))), ", ",
        p.AddInstant(plan.params.horizon_start), ", ", p.AddInstant(plan.params.horizon_end), ", ",
        p.AddDouble(plan.params.reserve_share), ", ", p.AddDouble(plan.params.w_unassigned), ", ",
        p.AddDouble(plan.params.w_office_change), ", ", p.AddDouble(plan.params.w_overtime_min),
        ", ", p.Add(static_cast<std::int64_t>(plan.seed)), "::bigint, ",
        absl::StrCat(p.AddDouble(plan.time_limit_seconds), ", ", p.AddDouble(m.objective), ", ",
                     p.AddDouble(m.parts.delay), ", ", p.AddDouble(m.parts.office_change), ", ",
                     p.AddDouble(m.parts.overtime), ", ", p.AddDouble(m.parts.unassigned), ", ",
                     p.Add(m.assigned), "::bigint, ", p.Add(m.unassigned), "::bigint, "),
        absl::StrCat(p.AddDouble(m.mean_delay_minutes), ", ", p.AddDouble(m.max_delay_minutes),
                     ", ", p.Add(m.office_changes), "::bigint, ", p.Add(m.overtime_minutes),
                     "::bigint, ", p.AddDouble(m.solve_seconds), ", ", p.AddDouble(m.lower_bound),
                     ", ", p.AddDouble(m.gap), ", ", p.Add(m.fcfs_inversions), "::bigint, "),
        notes ? p.Add(*notes) : p.AddNull(), "::jsonb, ", p.AddInstant(plan.create_time), ", ",
        p.AddInstant(plan.commit_time), ", ", p.Add(plan.base_plan_id), ", ",
        p.Add(plan.failure_reason));
    const std::string sql = absl::StrCat("INSERT INTO plans (", kPlanColumns, ") VALUES (", values,
                                         ") ON CONFLICT (outage_id, id) DO UPDATE SET (",
                                         kPlanColumns, ") = ROW(", values, ")");
    p.Exec(tx, sql);
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::InsertAssignments(const std::string& outage_id,
                                              const std::string& plan_id,
                                              std::span<const domain::Assignment> assignments) {
  CountNextWrite("plan_assignments", assignments.size());
  return WriteAtomically("insert assignments", [&](pqxx::dbtransaction& tx) -> absl::Status {
    for (std::size_t begin = 0; begin < assignments.size(); begin += kAssignmentInsertBatch) {
      const std::size_t end = std::min(assignments.size(), begin + kAssignmentInsertBatch);
      Params p;
      const std::string outage = p.Add(outage_id);
      const std::string plan = p.Add(plan_id);
      std::string sql =
          "INSERT INTO plan_assignments (outage_id, plan_id, appointment_id, "
          "appointment_office_id, status, office_id, clerk_id, start_time, end_time, cost, "
          "reason) VALUES ";
      for (std::size_t i = begin; i < end; ++i) {
        const domain::Assignment& a = assignments[i];
        absl::StrAppend(&sql, i > begin ? ", " : "", "(", outage, ", ", plan, ", ",
                        p.Add(a.appointment_id), ", ", p.Add(a.appointment_office_id), ", ",
                        p.Add(std::string(domain::ToString(a.status))), ", ", p.Add(a.office_id),
                        ", ", p.Add(a.clerk_id), ", ", p.AddInstant(a.time.start), ", ",
                        p.AddInstant(a.time.end), ", ", p.AddDouble(a.cost), ", ", p.Add(a.reason),
                        ")");
      }
      absl::StrAppend(&sql,
                      " ON CONFLICT DO NOTHING RETURNING appointment_id, appointment_office_id");
      const pqxx::result inserted = p.Exec(tx, sql);
      if (inserted.size() != end - begin) {
        std::set<std::pair<std::string, std::string>> fresh;
        for (const pqxx::row& row : inserted) fresh.emplace(Str(row[0]), Str(row[1]));
        for (std::size_t i = begin; i < end; ++i) {
          const domain::Assignment& a = assignments[i];
          if (!fresh.erase({a.appointment_id, a.appointment_office_id})) {
            return absl::AlreadyExistsError(
                absl::StrCat("plan ", plan_id, " of outage ", outage_id,
                             " already has an assignment for appointment ", a.appointment_id,
                             " of office ", a.appointment_office_id));
          }
        }
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Page<domain::Assignment>> PgTransaction::ListAssignments(
    const std::string& outage_id, const std::string& plan_id, const AssignmentFilter& filter,
    const PageRequest& page) {
  return Guard("list assignments", [&](pqxx::dbtransaction& tx) {
    static const PagedQuery* query = new PagedQuery{
        "plan_assignments",
        kAssignmentSelect,
        {{"appointment_id", KeyType::kText}, {"appointment_office_id", KeyType::kText}}};
    return ReadPage<domain::Assignment>(tx, *query, AssignmentFilterSql(outage_id, plan_id, filter),
                                        page, ReadAssignment, [](const domain::Assignment& a) {
                                          return PageKey{a.appointment_id, a.appointment_office_id};
                                        });
  });
}

absl::Status PgTransaction::ScanAssignments(
    const std::string& outage_id, const std::string& plan_id,
    const std::function<void(const domain::Assignment&)>& fn) {
  return Guard("scan assignments", [&](pqxx::dbtransaction& tx) -> absl::Status {
    const Filter where = AssignmentFilterSql(outage_id, plan_id, {});
    const pqxx::result rows =
        where.params.Exec(tx, absl::StrCat(kAssignmentSelect, where.Where(),
                                           " ORDER BY appointment_id, appointment_office_id"));
    for (const pqxx::row& row : rows) {
      REBOOK_ASSIGN_OR_RETURN(domain::Assignment a, ReadAssignment(row));
      fn(a);
    }
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::postgres_internal
