// SQL text for the wide tables of plans, offers and messages, built from one column list so
// the INSERT, the upsert and the UPDATE of a table cannot disagree on order. Parameters are
// numbered ?1..?N in column order, so one bind function serves every statement.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_STATEMENT_TEXT_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_STATEMENT_TEXT_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace rebook::storage::sqlite_internal {

// "c1, c2, ..." for a SELECT.
std::string ColumnList(std::span<const char* const> columns);
// INSERT INTO table (columns) VALUES (?1, ..., ?N).
std::string InsertSql(const char* table, std::span<const char* const> columns);
// The INSERT, replacing every non-key column of the row with the same first `key_columns`
// columns if one exists.
std::string UpsertSql(const char* table, std::span<const char* const> columns,
                      std::size_t key_columns);
// " ON CONFLICT (the first `key_columns` columns) DO UPDATE SET" every other column from
// `excluded`: what UpsertSql appends to InsertSql.
std::string UpsertClause(std::span<const char* const> columns, std::size_t key_columns);
// UPDATE table SET (every non-key column) WHERE (the first `key_columns` columns) match.
std::string UpdateSql(const char* table, std::span<const char* const> columns,
                      std::size_t key_columns);

// The texts of a multi-row INSERT: `head` ("INSERT INTO t (c1, ..., cP) VALUES "), then rows
// of P parameters numbered on ("(?1, ..., ?P), (?P+1, ..., ?2P), ..."), then `tail` (e.g. an
// UpsertClause). A bulk write binds row r of a statement at parameter base P r. The row counts
// are 64, 32, 16, ..., 1: a bulk write runs 64 rows per statement and the rest in at most six
// smaller ones, so a table needs only seven statement texts (each stays prepared in the
// connection's cache). Immutable: share it.
class MultiRowInsert {
 public:
  static constexpr std::size_t kMaxRows = 64;

  MultiRowInsert(std::string_view head, std::size_t params, std::string_view tail);

  std::size_t params() const { return params_; }
  // The largest row count of a statement for `remaining` (> 0) rows still to write.
  static std::size_t RowsFor(std::size_t remaining);
  // The statement for `rows` rows, one of the counts RowsFor returns.
  const std::string& Sql(std::size_t rows) const;

 private:
  std::size_t params_;
  std::string texts_[7];  // texts_[k]: 2^k rows
};

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_STATEMENT_TEXT_H_
