// Reading and binding the nullable and enum columns of the store's tables (see row_codec.h for
// the encodings). Binding functions throw SQLite::Exception like SQLiteCpp.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_COLUMN_IO_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_COLUMN_IO_H_

#include <optional>
#include <string>
#include <string_view>

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Statement.h"
#include "storage/sqlite/internal/row_codec.h"

namespace rebook::storage::sqlite_internal {

// The column's text without a copy (valid until the statement steps), nullopt for NULL.
inline std::optional<std::string_view> NullableText(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return std::string_view(c.getText(), static_cast<std::size_t>(c.getBytes()));
}

inline std::optional<Instant> NullableInstant(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return FromUnixSeconds(c.getInt64());
}

inline std::optional<double> NullableDouble(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getDouble();
}

inline void BindNullable(SQLite::Statement& s, int index, const std::optional<std::string>& text) {
  if (text) {
    s.bind(index, *text);  // often a temporary: copied
  } else {
    s.bind(index);
  }
}

inline void BindNullable(SQLite::Statement& s, int index, const std::optional<Instant>& t) {
  if (t) {
    s.bind(index, ToUnixSeconds(*t));
  } else {
    s.bind(index);
  }
}

inline void BindNullable(SQLite::Statement& s, int index, const std::optional<double>& value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind(index);
  }
}

// Enum names are string literals (see model.cc, outreach.cc), so their data outlives the
// statement and needs no copy.
inline void BindName(SQLite::Statement& s, int index, std::string_view literal_name) {
  s.bindNoCopy(index, literal_name.data());
}

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_COLUMN_IO_H_
