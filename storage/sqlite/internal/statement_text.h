// SQL text for the wide tables of plans, offers and messages, built from one column list so
// the INSERT, the upsert and the UPDATE of a table cannot disagree on order. Parameters are
// numbered ?1..?N in column order, so one bind function serves every statement.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_STATEMENT_TEXT_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_STATEMENT_TEXT_H_

#include <cstddef>
#include <span>
#include <string>

namespace rebook::storage::sqlite_internal {

// "c1, c2, ..." for a SELECT.
std::string ColumnList(std::span<const char* const> columns);
// INSERT INTO table (columns) VALUES (?1, ..., ?N).
std::string InsertSql(const char* table, std::span<const char* const> columns);
// The INSERT, replacing every non-key column of the row with the same first `key_columns`
// columns if one exists.
std::string UpsertSql(const char* table, std::span<const char* const> columns,
                      std::size_t key_columns);
// UPDATE table SET (every non-key column) WHERE (the first `key_columns` columns) match.
std::string UpdateSql(const char* table, std::span<const char* const> columns,
                      std::size_t key_columns);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_STATEMENT_TEXT_H_
