#include "storage/sqlite/internal/child_rows.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace rebook::storage::sqlite_internal {

std::vector<std::string> ReadChildList(Connection& connection, const ChildList& list,
                                       const std::string& parent_id) {
  StatementLease q =
      connection.Prepare(absl::StrCat("SELECT ", list.value_column, " FROM ", list.table, " WHERE ",
                                      list.parent_column, " = ? ORDER BY position"));
  q->bindNoCopy(1, parent_id);
  std::vector<std::string> items;
  while (q->executeStep()) items.push_back(q->getColumn(0).getString());
  return items;
}

void ReplaceChildList(Connection& connection, const ChildList& list, const std::string& parent_id,
                      const std::vector<std::string>& items) {
  {
    StatementLease q = connection.Prepare(
        absl::StrCat("DELETE FROM ", list.table, " WHERE ", list.parent_column, " = ?"));
    q->bindNoCopy(1, parent_id);
    q->exec();
  }
  StatementLease q =
      connection.Prepare(absl::StrCat("INSERT INTO ", list.table, " (", list.parent_column,
                                      ", position, ", list.value_column, ") VALUES (?, ?, ?)"));
  for (std::size_t i = 0; i < items.size(); ++i) {
    q->bindNoCopy(1, parent_id);
    q->bind(2, static_cast<std::int64_t>(i));
    q->bindNoCopy(3, items[i]);
    q->exec();
    q->reset();
  }
}

}  // namespace rebook::storage::sqlite_internal
