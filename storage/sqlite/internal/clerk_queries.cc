// Clerks and their skills (the clerk_skills child table, in the clerk's skill order).
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/child_rows.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {
namespace {

constexpr ChildList kClerkSkills = {"clerk_skills", "clerk_id", "service_id"};

// The clerk without skills (they are child rows).
absl::StatusOr<domain::Clerk> ReadClerk(SQLite::Statement& q) {
  domain::Clerk clerk;
  clerk.id = q.getColumn(0).getString();
  clerk.name = q.getColumn(1).getString();
  clerk.home_office_id = q.getColumn(2).getString();
  return clerk;
}

}  // namespace

absl::StatusOr<domain::Clerk> SqliteTransaction::GetClerk(const std::string& id) {
  return Guard("get clerk", [&]() -> absl::StatusOr<domain::Clerk> {
    domain::Clerk clerk;
    {
      StatementLease q = Prepare("SELECT id, name, home_office_id FROM clerks WHERE id = ?");
      q->bindNoCopy(1, id);
      if (!q->executeStep()) return absl::NotFoundError(absl::StrCat("no clerk ", id));
      REBOOK_ASSIGN_OR_RETURN(clerk, ReadClerk(*q));
    }
    clerk.skills = ReadChildList(connection_, kClerkSkills, id);
    return clerk;
  });
}

absl::StatusOr<Page<domain::Clerk>> SqliteTransaction::ListClerks(const ClerkFilter& filter,
                                                                  const PageRequest& page) {
  return Guard("list clerks", [&]() -> absl::StatusOr<Page<domain::Clerk>> {
    SqlFilter where;
    if (filter.office_ids) {
      const std::string offices = JsonStringArray(*filter.office_ids);
      where.Add(
          "(home_office_id IN (SELECT value FROM json_each(?)) OR id IN (SELECT clerk_id FROM "
          "shifts WHERE office_id IN (SELECT value FROM json_each(?))))",
          {offices, offices});
    }
    static const PagedQuery* query =
        new PagedQuery{.listing = "clerks",
                       .select = "SELECT id, name, home_office_id FROM clerks",
                       .key = {{"id", KeyType::kText}}};
    REBOOK_ASSIGN_OR_RETURN(
        Page<domain::Clerk> result,
        ReadPage<domain::Clerk>(connection_, *query, std::move(where), page, ReadClerk,
                                [](const domain::Clerk& c) { return PageKey{c.id}; }));
    for (domain::Clerk& clerk : result.items) {
      clerk.skills = ReadChildList(connection_, kClerkSkills, clerk.id);
    }
    return result;
  });
}

absl::Status SqliteTransaction::PutClerk(const domain::Clerk& clerk) {
  return PutClerks({&clerk, 1});
}

absl::Status SqliteTransaction::PutClerks(std::span<const domain::Clerk> clerks) {
  if (clerks.empty()) return CheckWritable("put clerks");
  return WriteInChunks("put clerks", clerks.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const domain::Clerk& clerk = clerks[i];
      {
        StatementLease q = Prepare(
            "INSERT INTO clerks (id, name, home_office_id) VALUES (?, ?, ?) ON CONFLICT (id) DO "
            "UPDATE SET name = excluded.name, home_office_id = excluded.home_office_id");
        q->bindNoCopy(1, clerk.id);
        q->bindNoCopy(2, clerk.name);
        q->bindNoCopy(3, clerk.home_office_id);
        q->exec();
      }
      ReplaceChildList(connection_, kClerkSkills, clerk.id, clerk.skills);
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::DeleteClerk(const std::string& id) {
  return ExecExpectingRow("delete clerk", id, "DELETE FROM clerks WHERE id = ?",
                          [&](SQLite::Statement& q) { q.bindNoCopy(1, id); });
}

}  // namespace rebook::storage::sqlite_internal
