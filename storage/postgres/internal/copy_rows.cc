#include "storage/postgres/internal/copy_rows.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace rebook::storage::postgres_internal {
namespace {

constexpr std::size_t kBlockBytes = 1 << 20;

}  // namespace

CopyRows::CopyRows(pqxx::dbtransaction& tx, const std::string& table,
                   const std::vector<std::string>& columns) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  writer_ = std::make_unique<pqxx::tablewriter>(tx, table, columns.begin(), columns.end());
#pragma GCC diagnostic pop
  buffer_.reserve(kBlockBytes + 4096);
}

void CopyRows::Separate() {
  if (row_open_) {
    buffer_.push_back('\t');
  } else {
    row_open_ = true;
  }
}

CopyRows& CopyRows::Text(std::string_view value) {
  Separate();
  // COPY's text format: backslash escapes for the delimiter, line ends and the backslash.
  for (char c : value) {
    switch (c) {
      case '\\':
        buffer_.append("\\\\");
        break;
      case '\t':
        buffer_.append("\\t");
        break;
      case '\n':
        buffer_.append("\\n");
        break;
      case '\r':
        buffer_.append("\\r");
        break;
      default:
        buffer_.push_back(c);
    }
  }
  return *this;
}

CopyRows& CopyRows::Null() {
  Separate();
  buffer_.append("\\N");
  return *this;
}

CopyRows& CopyRows::Int(std::int64_t value) {
  Separate();
  absl::StrAppend(&buffer_, value);
  return *this;
}

CopyRows& CopyRows::Time(Instant t) {
  Separate();
  const absl::CivilSecond c =
      absl::ToCivilSecond(absl::FromUnixSeconds(UnixSeconds(t)), absl::UTCTimeZone());
  // "2026-10-30 17:00:00+00"; years before 1000 or after 9999 do not occur in rebook's data
  // but are still written correctly (PostgreSQL reads any digit count).
  auto two = [&](int v) {
    buffer_.push_back(static_cast<char>('0' + v / 10));
    buffer_.push_back(static_cast<char>('0' + v % 10));
  };
  absl::StrAppend(&buffer_, c.year());
  buffer_.push_back('-');
  two(c.month());
  buffer_.push_back('-');
  two(c.day());
  buffer_.push_back(' ');
  two(c.hour());
  buffer_.push_back(':');
  two(c.minute());
  buffer_.push_back(':');
  two(c.second());
  buffer_.append("+00");
  return *this;
}

void CopyRows::EndRow() {
  buffer_.push_back('\n');
  row_open_ = false;
  if (buffer_.size() >= kBlockBytes) Flush();
}

void CopyRows::Flush() {
  if (buffer_.empty()) return;
  // The writer adds the last row's line end itself.
  if (buffer_.back() == '\n') buffer_.pop_back();
  writer_->write_raw_line(buffer_);
  buffer_.clear();
}

void CopyRows::Finish() {
  Flush();
  writer_->complete();
}

bool CopyOrRollBack(pqxx::dbtransaction& tx, absl::FunctionRef<void()> copy) {
  tx.exec("SAVEPOINT rebook_copy");
  try {
    copy();
    tx.exec("RELEASE SAVEPOINT rebook_copy");
    return true;
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate().rfind("23", 0) != 0) throw;
  }
  tx.exec("ROLLBACK TO SAVEPOINT rebook_copy");
  return false;
}

}  // namespace rebook::storage::postgres_internal
