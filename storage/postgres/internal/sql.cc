#include "storage/postgres/internal/sql.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <system_error>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace rebook::storage::postgres_internal {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

// FNV-1a: stable across processes and builds, so tokens survive restarts and replicas.
void Mix(std::uint64_t& h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  h ^= 0xff;
  h *= kFnvPrime;
}

absl::Status BadToken() {
  return absl::InvalidArgumentError(
      "invalid page token (it must come from the previous page of the same listing and filter)");
}

std::string DigestHex(std::uint64_t digest) {
  return absl::StrCat(absl::Hex(digest, absl::kZeroPad16));
}

std::string Placeholder(int n) { return absl::StrCat("$", n); }

}  // namespace

std::string Ts(std::string_view column) {
  return absl::StrCat("EXTRACT(EPOCH FROM ", std::string(column), ")::bigint");
}

std::string Params::Add(std::string value) {
  values_.emplace_back(std::move(value));
  return Placeholder(size());
}

std::string Params::Add(std::int64_t value) { return Add(absl::StrCat(value)); }

std::string Params::AddNull() {
  values_.emplace_back(std::nullopt);
  return Placeholder(size());
}

std::string Params::AddInstant(Instant t) {
  return absl::StrCat("to_timestamp(", Add(UnixSeconds(t)), "::bigint)");
}

std::string Params::AddInstant(const std::optional<Instant>& t) {
  if (!t) return absl::StrCat(AddNull(), "::timestamptz");
  return AddInstant(*t);
}

std::string Params::AddTextArray(const std::vector<std::string>& items) {
  return absl::StrCat(Add(TextArrayLiteral(items)), "::text[]");
}

std::string Params::AddBigintArray(const std::vector<std::int64_t>& items) {
  return absl::StrCat(Add(absl::StrCat("{", absl::StrJoin(items, ","), "}")), "::bigint[]");
}

std::string Params::AddBytes(std::string_view bytes) {
  return absl::StrCat("decode(", Add(ToHex(bytes)), ", 'hex')");
}

std::string Params::AddDouble(double value) {
  return absl::StrCat(Add(DoubleText(value)), "::float8");
}

std::string Params::AddDouble(const std::optional<double>& value) {
  if (!value) return absl::StrCat(AddNull(), "::float8");
  return AddDouble(*value);
}

void Params::Set(int number, std::string value) {
  values_.at(static_cast<std::size_t>(number - 1)) = std::move(value);
}

std::uint64_t Params::Digest(std::uint64_t seed) const {
  std::uint64_t h = seed;
  for (const std::optional<std::string>& v : values_) Mix(h, v ? "v" + *v : "null");
  return h;
}

pqxx::result Params::Exec(pqxx::transaction_base& tx, const std::string& sql) const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const std::optional<std::string>& v : values_) {
    pointers.push_back(v ? v->c_str() : nullptr);
  }
  return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(pointers));
}

void Filter::AddIn(std::string_view column, const std::vector<std::string>& ids) {
  if (ids.size() == 1) {
    Add(absl::StrCat(std::string(column), " = ", params.Add(ids.front())));
    return;
  }
  Add(absl::StrCat(std::string(column), " = ANY(", params.AddTextArray(ids), ")"));
  in_lists_.push_back({std::string(column), ids, params.size()});
}

void Filter::NarrowIn(std::string_view column, std::string_view from, bool descending) {
  for (const InList& list : in_lists_) {
    if (list.column != column) continue;
    std::vector<std::string> kept;
    // std::string compares chars as unsigned bytes, as COLLATE "C" does.
    std::copy_if(list.ids.begin(), list.ids.end(), std::back_inserter(kept),
                 [&](const std::string& id) { return descending ? id <= from : id >= from; });
    params.Set(list.param, TextArrayLiteral(kept));
  }
}

std::string Filter::Where() const {
  if (conditions.empty()) return "";
  return absl::StrCat(" WHERE ", absl::StrJoin(conditions, " AND "));
}

std::string TextArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

std::string ToHex(std::string_view bytes) {
  return absl::BytesToHexString(absl::string_view(bytes.data(), bytes.size()));
}

absl::StatusOr<std::string> FromByteaText(std::string_view text) {
  if (text.size() < 2 || text.substr(0, 2) != "\\x" || text.size() % 2 != 0) {
    return absl::InternalError("corrupt bytea column (not in hex output format)");
  }
  return absl::HexStringToBytes(absl::string_view(text.data() + 2, text.size() - 2));
}

std::string DoubleText(double value) {
  char buffer[64];
  const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, r.ptr);
}

absl::StatusOr<double> ParseDouble(std::string_view text) {
  double value = 0.0;
  const std::from_chars_result r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return absl::InternalError(absl::StrCat("corrupt number column: '", std::string(text), "'"));
  }
  return value;
}

absl::StatusOr<double> Double(const pqxx::field& f) { return ParseDouble(f.c_str()); }

absl::StatusOr<std::optional<double>> OptDouble(const pqxx::field& f) {
  if (f.is_null()) return std::optional<double>();
  REBOOK_ASSIGN_OR_RETURN(double value, Double(f));
  return std::optional<double>(value);
}

absl::StatusOr<std::vector<std::string>> JsonStrings(const pqxx::field& f) {
  std::vector<std::string> items;
  if (f.is_null()) return items;
  try {
    for (const nlohmann::json& item : nlohmann::json::parse(f.c_str())) {
      items.push_back(item.get<std::string>());
    }
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt text[] column: ", e.what()));
  }
  return items;
}

std::string IntervalsJson(const std::vector<domain::TimeInterval>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const domain::TimeInterval& i : items) {
    out.push_back({UnixSeconds(i.start), UnixSeconds(i.end)});
  }
  return out.dump();
}

int ClampPageSize(int page_size) { return std::clamp(page_size, 1, 1000); }

absl::StatusOr<std::string> PlanPage(const PagedQuery& query, Filter& where,
                                     const PageRequest& request, std::uint64_t* digest) {
  std::uint64_t h = kFnvOffset;
  Mix(h, query.listing);
  for (const std::string& c : where.conditions) Mix(h, c);
  *digest = where.params.Digest(h);
  if (!request.page_token.empty()) {
    std::string raw;
    if (!absl::WebSafeBase64Unescape(request.page_token, &raw) || raw.size() < 16 ||
        raw.substr(0, 16) != DigestHex(*digest)) {
      return BadToken();
    }
    std::vector<std::string> parts;
    std::size_t pos = 16;
    while (pos < raw.size()) {
      const std::size_t colon = raw.find(':', pos);
      std::size_t length = 0;
      if (colon == std::string::npos ||
          !absl::SimpleAtoi(absl::string_view(raw).substr(pos, colon - pos), &length) ||
          length > raw.size() - colon - 1) {
        return BadToken();
      }
      parts.push_back(raw.substr(colon + 1, length));
      pos = colon + 1 + length;
    }
    if (parts.size() != query.key.size()) return BadToken();
    // The key excludes the ids of a filter's list on the first key column that sort before it.
    if (query.key.front().type == KeyType::kText) {
      where.NarrowIn(query.key.front().name, parts.front(), query.descending);
    }
    std::vector<std::string> columns;
    std::vector<std::string> values;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      columns.emplace_back(query.key[i].name);
      std::int64_t number = 0;
      switch (query.key[i].type) {
        case KeyType::kText:
          values.push_back(absl::StrCat(where.params.Add(parts[i]), " COLLATE \"C\""));
          break;
        case KeyType::kDate:
          values.push_back(absl::StrCat(where.params.Add(parts[i]), "::date"));
          break;
        case KeyType::kInteger:
        case KeyType::kInstant:
          if (!absl::SimpleAtoi(parts[i], &number)) return BadToken();
          values.push_back(query.key[i].type == KeyType::kInteger
                               ? absl::StrCat(where.params.Add(number), "::bigint")
                               : where.params.AddInstant(FromUnixSeconds(number)));
          break;
      }
    }
    where.Add(absl::StrCat("(", absl::StrJoin(columns, ", "), ")", query.descending ? " < " : " > ",
                           "(", absl::StrJoin(values, ", "), ")"));
  }
  const std::string order =
      absl::StrJoin(query.key, ", ", [&](std::string* out, const KeyColumn& column) {
        absl::StrAppend(out, column.name, query.descending ? " DESC" : "");
      });
  return absl::StrCat(query.select, where.Where(), " ORDER BY ", order, " LIMIT ",
                      ClampPageSize(request.page_size) + 1);
}

std::string NextPageToken(std::uint64_t digest, const PageKey& key) {
  std::string raw = DigestHex(digest);
  for (const std::string& part : key) absl::StrAppend(&raw, part.size(), ":", part);
  return absl::WebSafeBase64Escape(raw);
}

}  // namespace rebook::storage::postgres_internal
