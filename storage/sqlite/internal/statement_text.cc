#include "storage/sqlite/internal/statement_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rebook::storage::sqlite_internal {
namespace {

std::string Assignments(std::span<const char* const> columns, std::size_t from, std::size_t to,
                        const char* separator, bool excluded) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    absl::StrAppend(&out, i > from ? separator : "", columns[i], " = ",
                    excluded ? absl::StrCat("excluded.", columns[i]) : absl::StrCat("?", i + 1));
  }
  return out;
}

}  // namespace

std::string ColumnList(std::span<const char* const> columns) {
  return absl::StrJoin(columns, ", ");
}

std::string InsertSql(const char* table, std::span<const char* const> columns) {
  std::string values;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    absl::StrAppend(&values, i > 0 ? ", " : "", "?", i + 1);
  }
  return absl::StrCat("INSERT INTO ", table, " (", ColumnList(columns), ") VALUES (", values, ")");
}

std::string UpsertClause(std::span<const char* const> columns, std::size_t key_columns) {
  return absl::StrCat(" ON CONFLICT (", ColumnList(columns.first(key_columns)), ") DO UPDATE SET ",
                      Assignments(columns, key_columns, columns.size(), ", ", true));
}

std::string UpsertSql(const char* table, std::span<const char* const> columns,
                      std::size_t key_columns) {
  return absl::StrCat(InsertSql(table, columns), UpsertClause(columns, key_columns));
}

std::string UpdateSql(const char* table, std::span<const char* const> columns,
                      std::size_t key_columns) {
  return absl::StrCat("UPDATE ", table, " SET ",
                      Assignments(columns, key_columns, columns.size(), ", ", false), " WHERE ",
                      Assignments(columns, 0, key_columns, " AND ", false));
}

MultiRowInsert::MultiRowInsert(std::string_view head, std::size_t params, std::string_view tail)
    : params_(params) {
  for (std::size_t k = 0; k < 7; ++k) {
    std::string& sql = texts_[k];
    sql = std::string(head);
    std::size_t next = 1;
    for (std::size_t row = 0; row < (std::size_t{1} << k); ++row) {
      sql += row > 0 ? ", (" : "(";
      for (std::size_t p = 0; p < params; ++p) absl::StrAppend(&sql, p > 0 ? ", ?" : "?", next++);
      sql += ")";
    }
    sql += tail;
  }
}

std::size_t MultiRowInsert::RowsFor(std::size_t remaining) {
  std::size_t rows = kMaxRows;
  while (rows > remaining) rows /= 2;
  return rows;
}

const std::string& MultiRowInsert::Sql(std::size_t rows) const {
  std::size_t k = 0;
  while ((std::size_t{1} << k) < rows) ++k;
  return texts_[k];
}

}  // namespace rebook::storage::sqlite_internal
