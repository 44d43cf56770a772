#include "storage/sqlite/internal/paged_query.h"

#include <algorithm>
#include <utility>
#include <variant>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rebook::storage::sqlite_internal {
namespace {

absl::Status BadToken() {
  return absl::InvalidArgumentError(
      "invalid page token (it must come from the previous page of the same listing and filter)");
}

std::string DigestHex(std::uint64_t digest) {
  return absl::StrCat(absl::Hex(digest, absl::kZeroPad16));
}

// "k1, k2" or "k1 DESC, k2 DESC".
std::string OrderBy(const PagedQuery& query) {
  return absl::StrJoin(query.key, ", ", [&](std::string* out, const KeyColumn& column) {
    absl::StrAppend(out, column.name, query.descending ? " DESC" : "");
  });
}

// Rows after `after` in the listing's order: "k > ?" or "(k1, k2) > (?, ?)" (< when descending).
void AddKeyCondition(const PagedQuery& query, PageKey after, SqlFilter& where) {
  const char* op = query.descending ? " < " : " > ";
  if (query.key.size() == 1) {
    where.Add(absl::StrCat(query.key[0].name, op, "?"), std::move(after));
    return;
  }
  std::vector<std::string> placeholders(query.key.size(), "?");
  where.Add(absl::StrCat("(",
                         absl::StrJoin(query.key, ", ",
                                       [](std::string* out, const KeyColumn& column) {
                                         out->append(column.name);
                                       }),
                         ")", op, "(", absl::StrJoin(placeholders, ", "), ")"),
            std::move(after));
}

// The typed key of `token`.
absl::StatusOr<PageKey> DecodeKey(const PagedQuery& query, std::uint64_t digest,
                                  std::string_view token) {
  REBOOK_ASSIGN_OR_RETURN(std::vector<std::string> parts,
                          DecodePageToken(token, digest, query.key.size()));
  PageKey key;
  key.reserve(parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (query.key[i].type == KeyType::kText) {
      key.emplace_back(std::in_place_type<std::string>, std::move(parts[i]));
      continue;
    }
    std::int64_t value = 0;
    if (!absl::SimpleAtoi(parts[i], &value)) return BadToken();
    // Constructed in place: GCC 12 at -O2 warns (-Wmaybe-uninitialized) on a pushed temporary.
    key.emplace_back(std::in_place_type<std::int64_t>, value);
  }
  return key;
}

}  // namespace

absl::StatusOr<PagePlan> PlanPage(const PagedQuery& query, SqlFilter& where,
                                  const PageRequest& request) {
  PagePlan plan;
  plan.digest = where.Digest(query.listing);
  plan.limit = ClampPageSize(request.page_size);
  if (!request.page_token.empty()) {
    REBOOK_ASSIGN_OR_RETURN(PageKey after, DecodeKey(query, plan.digest, request.page_token));
    // The key excludes the ids of a filter's list on the first key column that sort before it.
    if (const auto* first = std::get_if<std::string>(&after.front())) {
      where.NarrowIn(query.key.front().name, *first, query.descending);
    }
    AddKeyCondition(query, std::move(after), where);
  }
  plan.sql = absl::StrCat(query.select, where.Where(), " ORDER BY ", OrderBy(query), " LIMIT ?");
  return plan;
}

std::string NextPageToken(const PagePlan& plan, const PageKey& last) {
  std::vector<std::string> parts;
  parts.reserve(last.size());
  for (const SqlValue& value : last) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
      parts.push_back(absl::StrCat(*i));
    } else {
      parts.push_back(std::get<std::string>(value));
    }
  }
  return EncodePageToken(plan.digest, parts);
}

int ClampPageSize(int page_size) { return std::clamp(page_size, 1, 1000); }

std::string EncodePageToken(std::uint64_t filter_digest, const std::vector<std::string>& key) {
  std::string raw = DigestHex(filter_digest);
  for (const std::string& part : key) absl::StrAppend(&raw, part.size(), ":", part);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(std::string_view token,
                                                         std::uint64_t filter_digest,
                                                         std::size_t key_parts) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw) ||
      raw.size() < 16 || raw.substr(0, 16) != DigestHex(filter_digest)) {
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
