// Small building blocks of the PostgreSQL store's statements: parameters, filters, value
// encodings and keyset pagination.
//
// Every statement is sent with positional parameters ($1, $2, ...) as text; NULL is a missing
// value. Instants are `timestamptz` columns holding whole seconds: written as
// to_timestamp($n) from unix seconds and read as EXTRACT(EPOCH FROM col)::bigint (see Ts()).
// Enums are text columns holding the domain names. Lists are native arrays (text[]) or jsonb.
// Id and key columns are `COLLATE "C"`, so listings sort by bytes as SQLite's do, whatever
// the database's locale.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_SQL_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_SQL_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "services/common/clock.h"
#include "services/common/status_macros.h"
#include "services/domain/model.h"
#include "storage/paging.h"

namespace rebook::storage::postgres_internal {

inline std::int64_t UnixSeconds(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnixSeconds(std::int64_t s) { return Instant(std::chrono::seconds(s)); }

// "EXTRACT(EPOCH FROM col)::bigint": an instant column as unix seconds.
std::string Ts(std::string_view column);

// Parameters of one statement, numbered from 1 in the order they are added. The order of
// arguments of one absl::StrCat call is unspecified: never assume a placeholder's number,
// keep the one Add returns.
class Params {
 public:
  // Adds a value; returns its placeholder ("$3").
  std::string Add(std::string value);
  std::string Add(std::int64_t value);
  std::string AddNull();
  // "to_timestamp($n::bigint)" for an instant (NULL for nullopt).
  std::string AddInstant(Instant t);
  std::string AddInstant(const std::optional<Instant>& t);
  // "$n::text[]" holding the strings.
  std::string AddTextArray(const std::vector<std::string>& items);
  // "$n::bigint[]" holding the numbers.
  std::string AddBigintArray(const std::vector<std::int64_t>& items);
  // "decode($n, 'hex')": a bytea parameter.
  std::string AddBytes(std::string_view bytes);
  // "$n::float8": a double, as the shortest text that reads back as the same value.
  std::string AddDouble(double value);
  std::string AddDouble(const std::optional<double>& value);
  // Replaces the value of placeholder number `number` (1-based), keeping its place.
  void Set(int number, std::string value);

  int size() const { return static_cast<int>(values_.size()); }
  // A digest of the values, for page tokens.
  std::uint64_t Digest(std::uint64_t seed) const;

  pqxx::result Exec(pqxx::transaction_base& tx, const std::string& sql) const;

 private:
  std::deque<std::optional<std::string>> values_;
};

// A WHERE clause built from conditions that name placeholders of `params`.
class Filter {
 public:
  Params params;
  std::vector<std::string> conditions;
  void Add(std::string condition) { conditions.push_back(std::move(condition)); }
  // "column = ANY($n::text[])"; an empty list matches nothing. A list of one id is
  // "column = $n": the planner can then read an index on (column, key...) in the key's order
  // (it cannot know that an array parameter holds one element, so "= ANY" on an index's first
  // column gives no order and every page of, say, the open offers sorted all of them).
  void AddIn(std::string_view column, const std::vector<std::string>& ids);
  // Keeps of the AddIn list on `column` (if any) only ids >= `from` (<= when `descending`),
  // compared as bytes (COLLATE "C"). For keyset paging on that column: a btree scan of
  // "column = ANY(list) AND (column, ...) > (key)" walks every row of each listed id, also of
  // ids wholly before the key, so a late page of a long list cost as much as all pages before
  // it. Only the array's value changes, not the SQL (a list of one id is left alone: its
  // "column = $n" and the key condition bound the scan together). Call after the page token's
  // digest is taken: the rows stay the same only together with a key condition that excludes the
  // ids dropped.
  void NarrowIn(std::string_view column, std::string_view from, bool descending);
  // " WHERE c1 AND c2" or "".
  std::string Where() const;

 private:
  struct InList {
    std::string column;
    std::vector<std::string> ids;
    int param;  // the placeholder number of the array
  };
  std::vector<InList> in_lists_;
};

// A PostgreSQL array literal: {"a","b"}.
std::string TextArrayLiteral(const std::vector<std::string>& items);
std::string ToHex(std::string_view bytes);
// Decodes bytea text output ("\x0a0b...").
absl::StatusOr<std::string> FromByteaText(std::string_view text);
std::string DoubleText(double value);
absl::StatusOr<double> ParseDouble(std::string_view text);

// Field readers.
inline std::string Str(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }
inline std::int64_t Int(const pqxx::field& f) { return f.as<std::int64_t>(); }
inline Instant Time(const pqxx::field& f) { return FromUnixSeconds(f.as<std::int64_t>()); }
inline std::optional<Instant> OptTime(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return FromUnixSeconds(f.as<std::int64_t>());
}
absl::StatusOr<double> Double(const pqxx::field& f);
absl::StatusOr<std::optional<double>> OptDouble(const pqxx::field& f);
// A text[] column read as to_json(col)::text.
absl::StatusOr<std::vector<std::string>> JsonStrings(const pqxx::field& f);
// Intervals as the jsonb text of their columns: [[start, end], ...] in unix seconds.
std::string IntervalsJson(const std::vector<domain::TimeInterval>& items);

// INTERNAL for a name no encoder writes.
template <typename E>
absl::StatusOr<E> Decode(std::optional<E> parsed, std::string_view what, const pqxx::field& f) {
  if (!parsed) {
    return absl::InternalError(
        absl::StrCat("corrupt ", std::string(what), " column: '", Str(f), "'"));
  }
  return *parsed;
}

// Keyset pagination, with the token format of storage/sqlite/internal/paged_query.h: a page is
// <select> WHERE <filter> AND (keys) > (last key) ORDER BY keys LIMIT n + 1.
enum class KeyType { kText, kInteger, kInstant, kDate };
struct KeyColumn {
  const char* name;
  KeyType type;
};
struct PagedQuery {
  const char* listing;
  std::string select;  // "SELECT <columns> FROM <table>"
  std::vector<KeyColumn> key;
  bool descending = false;
};
using PageKey = std::vector<std::string>;  // text of each key part (unix seconds for instants)

int ClampPageSize(int page_size);

template <typename T, typename ReadRow, typename KeyOf>
absl::StatusOr<Page<T>> ReadPage(pqxx::transaction_base& tx, const PagedQuery& query, Filter where,
                                 const PageRequest& request, ReadRow read_row, KeyOf key_of);

// Internals of ReadPage.
absl::StatusOr<std::string> PlanPage(const PagedQuery& query, Filter& where,
                                     const PageRequest& request, std::uint64_t* digest);
std::string NextPageToken(std::uint64_t digest, const PageKey& key);

template <typename T, typename ReadRow, typename KeyOf>
absl::StatusOr<Page<T>> ReadPage(pqxx::transaction_base& tx, const PagedQuery& query, Filter where,
                                 const PageRequest& request, ReadRow read_row, KeyOf key_of) {
  std::uint64_t digest = 0;
  REBOOK_ASSIGN_OR_RETURN(const std::string sql, PlanPage(query, where, request, &digest));
  const int limit = ClampPageSize(request.page_size);
  const pqxx::result rows = where.params.Exec(tx, sql);
  Page<T> page;
  for (const pqxx::row& row : rows) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_page_token = NextPageToken(digest, key_of(page.items.back()));
      break;
    }
    REBOOK_ASSIGN_OR_RETURN(T item, read_row(row));
    page.items.push_back(std::move(item));
  }
  return page;
}

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_SQL_H_
