// Keyset pagination: the one page reader behind every paged List* method of the SQLite store.
//
// A listing is ordered by a sort key that is unique per row (one or more columns). A page is
//   <select> WHERE <filter> AND (k1, k2) > (last key of the previous page) ORDER BY k1, k2
//   LIMIT page_size + 1
// where the extra row only tells whether another page follows. The page token is the last key
// of the page plus the filter's digest (SqlFilter::Digest of the listing), web-safe base64:
//   base64(16 hex digits of the digest, then "<byte length>:<bytes>" per key part)
// with integer parts in decimal. Tokens outlive releases (sqlite_store_test pins their bytes),
// so a change to the listing name, the filter's SQL or the key invalidates the tokens in use.
// A token from another listing or filter, or a mangled one, is INVALID_ARGUMENT. A row deleted
// between two pages does not break the walk: the next page starts after its key.
//
//   const PagedQuery kOutages = {.listing = "outages",
//                                .select = "SELECT id, cause FROM outages",
//                                .key = {{"id", KeyType::kText}}};
//   REBOOK_ASSIGN_OR_RETURN(
//       Page<domain::Outage> page,
//       ReadPage<domain::Outage>(connection, kOutages, std::move(where), request, ReadOutage,
//                                [](const domain::Outage& o) { return PageKey{o.id}; }));
//
// A PostgreSQL backend mirrors this file: the same PagedQuery, row-value key conditions and
// token format, with its own placeholders and statements.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_PAGED_QUERY_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_PAGED_QUERY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/status_macros.h"
#include "storage/paging.h"
#include "storage/sqlite/internal/connection.h"
#include "storage/sqlite/internal/sql_filter.h"

namespace rebook::storage::sqlite_internal {

enum class KeyType { kInteger, kText };

struct KeyColumn {
  const char* name;
  KeyType type;
};

// The values of a row's sort key, one per KeyColumn (std::int64_t for kInteger).
using PageKey = std::vector<SqlValue>;

struct PagedQuery {
  // Names the listing in the token's digest (by convention its table).
  const char* listing;
  // "SELECT <columns> FROM <table>", without WHERE or ORDER BY.
  std::string select;
  // The sort key, unique per row, most significant column first.
  std::vector<KeyColumn> key;
  // Every key column descending (newest first) instead of ascending.
  bool descending = false;
};

// One page's statement, for ReadPage (and a backend that binds its own statements).
struct PagePlan {
  std::string sql;           // ends in "LIMIT ?"; bind the filter's parameters, then limit + 1
  int limit = 0;             // the clamped page size
  std::uint64_t digest = 0;  // of the listing and the filter, as the request's token carries it
};

// Narrows `where` to the rows after the key in `request.page_token` (if any) and builds the
// page's SQL. INVALID_ARGUMENT if the token does not belong to this listing and filter.
absl::StatusOr<PagePlan> PlanPage(const PagedQuery& query, SqlFilter& where,
                                  const PageRequest& request);

// The token of the page after the row whose key is `last`.
std::string NextPageToken(const PagePlan& plan, const PageKey& last);

// One page of `query` under `where`. `read_row(SQLite::Statement&)` returns absl::StatusOr<T>
// for the current row; `key_of(const T&)` returns its PageKey. Throws SQLite::Exception like
// the connection (the transaction maps it).
template <typename T, typename ReadRow, typename KeyOf>
absl::StatusOr<Page<T>> ReadPage(Connection& connection, const PagedQuery& query, SqlFilter where,
                                 const PageRequest& request, ReadRow read_row, KeyOf key_of) {
  REBOOK_ASSIGN_OR_RETURN(const PagePlan plan, PlanPage(query, where, request));
  StatementLease q = connection.Prepare(plan.sql);
  q->bind(where.Bind(*q), plan.limit + 1);
  Page<T> page;
  while (q->executeStep()) {
    if (static_cast<int>(page.items.size()) == plan.limit) {
      page.next_page_token = NextPageToken(plan, key_of(page.items.back()));
      break;
    }
    REBOOK_ASSIGN_OR_RETURN(T row, read_row(*q));
    page.items.push_back(std::move(row));
  }
  return page;
}

// 1..1000, as store.h promises.
int ClampPageSize(int page_size);

// The token format above, with the key's parts as text.
std::string EncodePageToken(std::uint64_t filter_digest, const std::vector<std::string>& key);
// The key of a token made by EncodePageToken with the same digest and `key_parts` parts;
// INVALID_ARGUMENT otherwise.
absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token,
                                                         std::uint64_t filter_digest,
                                                         std::size_t key_parts);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_PAGED_QUERY_H_
