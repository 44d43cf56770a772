// Clerks and their skills (the clerk_skills child table, in the clerk's skill order).
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {

absl::StatusOr<std::vector<std::string>> SqliteTransaction::ReadClerkSkills(
    const std::string& clerk_id) {
  StatementLease q =
      Prepare("SELECT service_id FROM clerk_skills WHERE clerk_id = ? ORDER BY position");
  q->bindNoCopy(1, clerk_id);
  std::vector<std::string> skills;
  while (q->executeStep()) skills.push_back(q->getColumn(0).getString());
  return skills;
}

absl::StatusOr<domain::Clerk> SqliteTransaction::GetClerk(const std::string& id) {
  return Guard("get clerk", [&]() -> absl::StatusOr<domain::Clerk> {
    domain::Clerk clerk;
    {
      StatementLease q = Prepare("SELECT name, home_office_id FROM clerks WHERE id = ?");
      q->bindNoCopy(1, id);
      if (!q->executeStep()) return absl::NotFoundError(absl::StrCat("no clerk ", id));
      clerk.id = id;
      clerk.name = q->getColumn(0).getString();
      clerk.home_office_id = q->getColumn(1).getString();
    }
    REBOOK_ASSIGN_OR_RETURN(clerk.skills, ReadClerkSkills(id));
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
    const std::uint64_t digest = where.Digest("clerks");
    if (!page.page_token.empty()) {
      REBOOK_ASSIGN_OR_RETURN(std::vector<std::string> key,
                              DecodePageToken(page.page_token, digest, 1));
      where.Add("id > ?", {key[0]});
    }
    const int limit = ClampPageSize(page.page_size);
    Page<domain::Clerk> result;
    {
      StatementLease q = Prepare(absl::StrCat("SELECT id, name, home_office_id FROM clerks",
                                              where.Where(), " ORDER BY id LIMIT ?"));
      q->bind(where.Bind(*q), limit + 1);
      while (q->executeStep()) {
        if (static_cast<int>(result.items.size()) == limit) {
          result.next_page_token = EncodePageToken(digest, {result.items.back().id});
          break;
        }
        domain::Clerk& clerk = result.items.emplace_back();
        clerk.id = q->getColumn(0).getString();
        clerk.name = q->getColumn(1).getString();
        clerk.home_office_id = q->getColumn(2).getString();
      }
    }
    for (domain::Clerk& clerk : result.items) {
      REBOOK_ASSIGN_OR_RETURN(clerk.skills, ReadClerkSkills(clerk.id));
    }
    return result;
  });
}

absl::Status SqliteTransaction::PutClerk(const domain::Clerk& clerk) {
  return WriteAtomically("put clerk", [&]() -> absl::Status {
    {
      StatementLease q = Prepare(
          "INSERT INTO clerks (id, name, home_office_id) VALUES (?, ?, ?) ON CONFLICT (id) DO "
          "UPDATE SET name = excluded.name, home_office_id = excluded.home_office_id");
      q->bindNoCopy(1, clerk.id);
      q->bindNoCopy(2, clerk.name);
      q->bindNoCopy(3, clerk.home_office_id);
      q->exec();
    }
    {
      StatementLease q = Prepare("DELETE FROM clerk_skills WHERE clerk_id = ?");
      q->bindNoCopy(1, clerk.id);
      q->exec();
    }
    StatementLease q =
        Prepare("INSERT INTO clerk_skills (clerk_id, position, service_id) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < clerk.skills.size(); ++i) {
      q->bindNoCopy(1, clerk.id);
      q->bind(2, static_cast<std::int64_t>(i));
      q->bindNoCopy(3, clerk.skills[i]);
      q->exec();
      q->reset();
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::DeleteClerk(const std::string& id) {
  return ExecExpectingRow("delete clerk", id, "DELETE FROM clerks WHERE id = ?",
                          [&](SQLite::Statement& q) { q.bindNoCopy(1, id); });
}

}  // namespace rebook::storage::sqlite_internal
