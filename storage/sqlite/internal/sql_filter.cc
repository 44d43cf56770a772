#include "storage/sqlite/internal/sql_filter.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
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

absl::Status BadToken() {
  return absl::InvalidArgumentError(
      "invalid page token (it must come from the previous page of the same listing and filter)");
}

}  // namespace

void SqlFilter::Add(std::string condition, std::vector<SqlValue> params) {
  conditions_.push_back(std::move(condition));
  for (SqlValue& p : params) params_.push_back(std::move(p));
}

void SqlFilter::AddIn(std::string_view column, const std::vector<std::string>& ids) {
  Add(absl::StrCat(std::string(column), " IN (SELECT value FROM json_each(?))"),
      {JsonStringArray(ids)});
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

int ClampPageSize(int page_size) { return std::clamp(page_size, 1, 1000); }

std::string EncodePageToken(std::uint64_t filter_digest, const std::vector<std::string>& key) {
  std::string raw = absl::StrCat(absl::Hex(filter_digest, absl::kZeroPad16));
  for (const std::string& part : key) absl::StrAppend(&raw, part.size(), ":", part);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token,
                                                         std::uint64_t filter_digest,
                                                         std::size_t key_parts) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw) ||
      raw.size() < 16 ||
      raw.substr(0, 16) != absl::StrCat(absl::Hex(filter_digest, absl::kZeroPad16))) {
    return BadToken();
  }
  std::vector<std::string> key;
  std::size_t pos = 16;
  while (pos < raw.size()) {
    std::size_t colon = raw.find(':', pos);
    std::size_t length = 0;
    if (colon == std::string::npos ||
        !absl::SimpleAtoi(absl::string_view(raw).substr(pos, colon - pos), &length) ||
        length > raw.size() - colon - 1) {
      return BadToken();
    }
    key.push_back(raw.substr(colon + 1, length));
    pos = colon + 1 + length;
  }
  if (key.size() != key_parts) return BadToken();
  return key;
}

}  // namespace rebook::storage::sqlite_internal
