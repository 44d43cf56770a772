// Plans (listed newest first) and their assignments (listed in appointment id order, then by
// the appointment's office).
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/plan_rows.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"
#include "storage/sqlite/internal/statement_text.h"

namespace rebook::storage::sqlite_internal {
namespace {

const std::string& SelectPlanSql() {
  static const std::string* sql =
      new std::string(absl::StrCat("SELECT ", ColumnList(PlanColumns()), " FROM plans"));
  return *sql;
}

const std::string& SelectAssignmentSql() {
  static const std::string* sql = new std::string(
      absl::StrCat("SELECT ", ColumnList(AssignmentColumns()), " FROM plan_assignments"));
  return *sql;
}

}  // namespace

SqlFilter SqliteTransaction::AssignmentSqlFilter(const std::string& outage_id,
                                                 const std::string& plan_id,
                                                 const AssignmentFilter& filter) {
  SqlFilter where;
  where.Add("outage_id = ? AND plan_id = ?", {outage_id, plan_id});
  if (filter.office_ids) {
    const std::string offices = JsonStringArray(*filter.office_ids);
    where.Add(
        "(office_id IN (SELECT value FROM json_each(?)) OR appointment_office_id IN "
        "(SELECT value FROM json_each(?)))",
        {offices, offices});
  }
  if (filter.unassigned_only) {
    where.Add("status = ?", {std::string(domain::ToString(domain::AssignmentStatus::kUnassigned))});
  }
  return where;
}

absl::StatusOr<domain::PlanRecord> SqliteTransaction::GetPlan(const std::string& outage_id,
                                                              const std::string& plan_id) {
  return Guard("get plan", [&]() -> absl::StatusOr<domain::PlanRecord> {
    StatementLease q = Prepare(absl::StrCat(SelectPlanSql(), " WHERE outage_id = ? AND id = ?"));
    q->bindNoCopy(1, outage_id);
    q->bindNoCopy(2, plan_id);
    if (!q->executeStep()) {
      return absl::NotFoundError(absl::StrCat("no plan ", plan_id, " of outage ", outage_id));
    }
    return ReadPlan(*q);
  });
}

absl::StatusOr<Page<domain::PlanRecord>> SqliteTransaction::ListPlans(const std::string& outage_id,
                                                                      const PageRequest& page) {
  return Guard("list plans", [&]() -> absl::StatusOr<Page<domain::PlanRecord>> {
    SqlFilter where;
    where.Add("outage_id = ?", {outage_id});
    static const PagedQuery* query =
        new PagedQuery{.listing = "plans",
                       .select = SelectPlanSql(),
                       .key = {{"create_time", KeyType::kInteger}, {"id", KeyType::kText}},
                       .descending = true};
    return ReadPage<domain::PlanRecord>(connection_, *query, std::move(where), page, ReadPlan,
                                        [](const domain::PlanRecord& p) {
                                          return PageKey{ToUnixSeconds(p.create_time), p.id};
                                        });
  });
}

absl::Status SqliteTransaction::PutPlan(const domain::PlanRecord& plan) {
  return WriteAtomically("put plan", [&]() -> absl::Status {
    static const std::string* sql = new std::string(UpsertSql("plans", PlanColumns(), 2));
    StatementLease q = Prepare(*sql);
    BindPlan(*q, plan);
    q->exec();
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::InsertAssignments(const std::string& outage_id,
                                                  const std::string& plan_id,
                                                  std::span<const domain::Assignment> assignments) {
  return WriteAtomically("insert assignments", [&]() -> absl::Status {
    static const std::string* sql =
        new std::string(InsertSql("plan_assignments", AssignmentColumns()));
    StatementLease q = Prepare(*sql);
    for (const domain::Assignment& a : assignments) {
      BindAssignment(*q, outage_id, plan_id, a);
      try {
        q->exec();
      } catch (const SQLite::Exception& e) {
        if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY) {
          return absl::AlreadyExistsError(
              absl::StrCat("plan ", plan_id, " of outage ", outage_id,
                           " already has an assignment for appointment ", a.appointment_id,
                           " of office ", a.appointment_office_id));
        }
        throw;
      }
      q->reset();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<Page<domain::Assignment>> SqliteTransaction::ListAssignments(
    const std::string& outage_id, const std::string& plan_id, const AssignmentFilter& filter,
    const PageRequest& page) {
  return Guard("list assignments", [&]() -> absl::StatusOr<Page<domain::Assignment>> {
    SqlFilter where = AssignmentSqlFilter(outage_id, plan_id, filter);
    static const PagedQuery* query = new PagedQuery{
        .listing = "plan_assignments",
        .select = SelectAssignmentSql(),
        .key = {{"appointment_id", KeyType::kText}, {"appointment_office_id", KeyType::kText}}};
    return ReadPage<domain::Assignment>(connection_, *query, std::move(where), page, ReadAssignment,
                                        [](const domain::Assignment& a) {
                                          return PageKey{a.appointment_id, a.appointment_office_id};
                                        });
  });
}

absl::Status SqliteTransaction::ScanAssignments(
    const std::string& outage_id, const std::string& plan_id,
    const std::function<void(const domain::Assignment&)>& fn) {
  return Guard("scan assignments", [&]() -> absl::Status {
    const SqlFilter where = AssignmentSqlFilter(outage_id, plan_id, {});
    StatementLease q = Prepare(absl::StrCat(SelectAssignmentSql(), where.Where(),
                                            " ORDER BY appointment_id, appointment_office_id"));
    where.Bind(*q);
    while (q->executeStep()) {
      REBOOK_ASSIGN_OR_RETURN(domain::Assignment a, ReadAssignment(*q));
      fn(a);
    }
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::sqlite_internal
