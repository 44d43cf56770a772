#include "services/bundle/internal/fields.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/domain/local_time.h"

namespace rebook::bundle::internal {
namespace {

std::string Quoted(std::string_view v) { return absl::StrCat("\"", std::string(v), "\""); }

absl::StatusOr<Instant> ParseTime(const CsvReader& csv, int col, std::string_view text,
                                  std::string_view tz) {
  absl::StatusOr<domain::LocalDateTime> local = domain::ParseLocalDateTime(text);
  if (!local.ok()) {
    return csv.Error(col,
                     absl::StrCat(Quoted(text), " is not a valid local time (YYYY-MM-DDTHH:MM)"));
  }
  absl::StatusOr<Instant> t = domain::LocalToInstant(tz, *local);
  if (!t.ok()) {
    return csv.Error(col, absl::StrCat(Quoted(text), " does not exist in ", std::string(tz),
                                       " (skipped when daylight saving time starts)"));
  }
  return *t;
}

}  // namespace

absl::StatusOr<std::string> IdField(const CsvReader& csv, int col) {
  std::string_view v = csv.Field(col);
  if (v.empty()) return csv.Error(col, "is empty");
  if (!domain::IsValidId(v)) {
    return csv.Error(
        col, absl::StrCat(Quoted(v), " is not a valid id (1 to 128 of A-Z a-z 0-9 . _ ~ -)"));
  }
  return std::string(v);
}

absl::StatusOr<Instant> TimeField(const CsvReader& csv, int col, std::string_view tz) {
  std::string_view v = csv.Field(col);
  if (v.empty()) return csv.Error(col, "is empty; a local time YYYY-MM-DDTHH:MM is required");
  return ParseTime(csv, col, v, tz);
}

absl::StatusOr<std::optional<Instant>> OptionalTimeField(const CsvReader& csv, int col,
                                                         std::string_view tz) {
  std::string_view v = csv.Field(col);
  if (v.empty()) return std::optional<Instant>();
  absl::StatusOr<Instant> t = ParseTime(csv, col, v, tz);
  if (!t.ok()) return t.status();
  return std::optional<Instant>(*t);
}

absl::StatusOr<int> IntField(const CsvReader& csv, int col, int fallback, int lo, int hi) {
  std::string_view v = csv.Field(col);
  if (v.empty()) return fallback;
  int n = 0;
  if (!absl::SimpleAtoi(absl::string_view(v.data(), v.size()), &n)) {
    return csv.Error(col, absl::StrCat(Quoted(v), " is not an integer"));
  }
  if (n < lo || n > hi) {
    return csv.Error(col, absl::StrCat(n, " is out of range [", lo, ", ", hi, "]"));
  }
  return n;
}

absl::StatusOr<double> NumberField(const CsvReader& csv, int col, double fallback, double lo,
                                   double hi) {
  std::string_view v = csv.Field(col);
  if (v.empty()) return fallback;
  double x = 0;
  if (!absl::SimpleAtod(absl::string_view(v.data(), v.size()), &x) || !std::isfinite(x)) {
    return csv.Error(col, absl::StrCat(Quoted(v), " is not a number"));
  }
  if (x < lo || x > hi) {
    return csv.Error(col, absl::StrCat(std::string(v), " is out of range [", lo, ", ", hi, "]"));
  }
  return x;
}

absl::StatusOr<std::vector<domain::TimeInterval>> IntervalListField(const CsvReader& csv, int col,
                                                                    std::string_view tz) {
  std::vector<domain::TimeInterval> out;
  for (const std::string& item : SplitList(csv.Field(col))) {
    std::vector<std::string> ends = absl::StrSplit(item, '/');
    if (ends.size() != 2) {
      return csv.Error(col, absl::StrCat(Quoted(item), " is not an interval start/end"));
    }
    absl::string_view a = absl::StripAsciiWhitespace(ends[0]);
    absl::string_view b = absl::StripAsciiWhitespace(ends[1]);
    absl::StatusOr<Instant> start = ParseTime(csv, col, std::string_view(a.data(), a.size()), tz);
    if (!start.ok()) return start.status();
    absl::StatusOr<Instant> end = ParseTime(csv, col, std::string_view(b.data(), b.size()), tz);
    if (!end.ok()) return end.status();
    if (*end <= *start) {
      return csv.Error(col, absl::StrCat(Quoted(item), ": the end is not after the start"));
    }
    out.push_back({*start, *end});
  }
  return out;
}

absl::Status AddUnique(const CsvReader& csv, int col, const std::string& id, int index,
                       IdIndex& ids, std::string_view what) {
  auto [it, fresh] = ids.emplace(id, IdEntry{index, csv.line()});
  if (!fresh) {
    return csv.Error(
        col, absl::StrCat("duplicate ", std::string(what), " ", Quoted(id), "; the first is at ",
                          csv.display_name(), ":", it->second.line));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Lookup(const CsvReader& csv, int col, const std::string& id, const IdIndex& ids,
                           std::string_view what) {
  auto it = ids.find(id);
  if (it == ids.end()) {
    return csv.Error(col, absl::StrCat("unknown ", std::string(what), " ", Quoted(id)));
  }
  return it->second.index;
}

}  // namespace rebook::bundle::internal
