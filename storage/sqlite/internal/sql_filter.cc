#include "storage/sqlite/internal/sql_filter.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rebook::storage::sqlite_internal {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

// FNV-1a: stable across processes and builds, unlike absl::Hash, so tokens survive restarts.
void Mix(std::uint64_t& h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  h ^= 0xff;  // separator, so ("ab","c") and ("a","bc") differ
  h *= kFnvPrime;
}

constexpr const char* kInTail = " IN (SELECT value FROM json_each(?))";

}  // namespace

void SqlFilter::Add(std::string condition, std::vector<SqlValue> params) {
  conditions_.push_back(std::move(condition));
  for (SqlValue& p : params) params_.push_back(std::move(p));
}

void SqlFilter::AddIn(std::string_view column, const std::vector<std::string>& ids) {
  Add(absl::StrCat(std::string(column), kInTail), {JsonStringArray(ids)});
}

void SqlFilter::NarrowIn(std::string_view column, const std::string& from, bool descending) {
  const std::string in = absl::StrCat(std::string(column), kInTail);
  std::size_t param = 0;  // the index in params_ of condition i's first parameter
  for (std::string& condition : conditions_) {
    if (condition == in) {
      condition =
          absl::StrCat(std::string(column), " IN (SELECT value FROM json_each(?) WHERE value ",
                       descending ? "<=" : ">=", " ?)");
      params_.insert(params_.begin() + static_cast<std::ptrdiff_t>(param + 1), from);
      return;
    }
    param += static_cast<std::size_t>(std::count(condition.begin(), condition.end(), '?'));
  }
}

std::string SqlFilter::Where() const {
  if (conditions_.empty()) return "";
  return absl::StrCat(" WHERE ", absl::StrJoin(conditions_, " AND "));
}

int SqlFilter::Bind(SQLite::Statement& statement, int first) const {
  int index = first;
  for (const SqlValue& p : params_) {
    if (const auto* i = std::get_if<std::int64_t>(&p)) {
      statement.bind(index++, *i);
    } else {
      statement.bindNoCopy(index++, std::get<std::string>(p));
    }
  }
  return index;
}

std::uint64_t SqlFilter::Digest(std::string_view listing) const {
  std::uint64_t h = kFnvOffset;
  Mix(h, listing);
  for (const std::string& c : conditions_) Mix(h, c);
  for (const SqlValue& p : params_) {
    if (const auto* i = std::get_if<std::int64_t>(&p)) {
      Mix(h, absl::StrCat("i", *i));
    } else {
      Mix(h, absl::StrCat("s", std::get<std::string>(p)));
    }
  }
  return h;
}

std::string JsonStringArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (unsigned char c : items[i]) {
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c < 0x20) {
        absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    out.push_back('"');
  }
  out.push_back(']');
  return out;
}

}  // namespace rebook::storage::sqlite_internal
