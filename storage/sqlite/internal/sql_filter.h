// Building WHERE clauses from the store's filter structs.
//
// A filter becomes a list of SQL conditions with positional parameters ('?', bound in order).
// Id lists are bound as one JSON array and expanded with json_each(), so a filter has one SQL
// shape (and one cached prepared statement) whatever the length of its lists.
//
// A filter's digest (its SQL and parameter values) binds page tokens to it (see paged_query.h).
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_SQL_FILTER_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_SQL_FILTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "SQLiteCpp/Statement.h"

namespace rebook::storage::sqlite_internal {

using SqlValue = std::variant<std::int64_t, std::string>;

class SqlFilter {
 public:
  // Adds `condition`, whose '?' placeholders take `params` in order.
  void Add(std::string condition, std::vector<SqlValue> params = {});
  // Adds "column IN (the ids)"; an empty list matches nothing.
  void AddIn(std::string_view column, const std::vector<std::string>& ids);

  // Keeps of the AddIn list on `column` (if any) only ids >= `from` (<= when `descending`).
  // For keyset paging on that column: SQLite seeks each id of the list and walks all its
  // rows, also those of ids wholly before the page key, so a late page of a long list cost
  // as much as all pages before it. Call after Digest: the rows stay the same only together
  // with a key condition that excludes the ids dropped.
  void NarrowIn(std::string_view column, const std::string& from, bool descending);

  // " WHERE c1 AND c2 ..." or "" without conditions.
  std::string Where() const;
  // Binds the parameters to `statement` starting at index `first`; returns the next free
  // index. Text is bound without copying: the filter must outlive the statement's execution.
  int Bind(SQLite::Statement& statement, int first = 1) const;
  // A digest of `listing` (e.g. "appointments"), the conditions and their values; page tokens
  // carry it.
  std::uint64_t Digest(std::string_view listing) const;

 private:
  std::vector<std::string> conditions_;
  std::vector<SqlValue> params_;
};

// A JSON array of strings, for json_each().
std::string JsonStringArray(const std::vector<std::string>& items);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_SQL_FILTER_H_
