// Typed access to CSV fields, with errors that point at the field (file:line:col (column)).
#ifndef REBOOK_SERVICES_BUNDLE_INTERNAL_FIELDS_H_
#define REBOOK_SERVICES_BUNDLE_INTERNAL_FIELDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/bundle/csv_reader.h"
#include "services/common/clock.h"
#include "services/domain/model.h"

namespace rebook::bundle::internal {

// A non-empty resource id (domain::IsValidId).
absl::StatusOr<std::string> IdField(const CsvReader& csv, int col);
// A required local time in `tz`; rejects malformed and nonexistent (DST) times.
absl::StatusOr<Instant> TimeField(const CsvReader& csv, int col, std::string_view tz);
// As TimeField, but an empty or missing field gives nullopt.
absl::StatusOr<std::optional<Instant>> OptionalTimeField(const CsvReader& csv, int col,
                                                         std::string_view tz);
// An integer in [lo, hi]; empty or missing gives `fallback`.
absl::StatusOr<int> IntField(const CsvReader& csv, int col, int fallback, int lo, int hi);
// A number in [lo, hi]; empty or missing gives `fallback`.
absl::StatusOr<double> NumberField(const CsvReader& csv, int col, double fallback, double lo,
                                   double hi);
// "start/end;start/end" local-time intervals with end > start.
absl::StatusOr<std::vector<domain::TimeInterval>> IntervalListField(const CsvReader& csv, int col,
                                                                    std::string_view tz);

// Where an id was read: its record's index, and its 1-based line (0 if not from a file).
struct IdEntry {
  int index;
  int line = 0;
};
// Index of ids read so far, for duplicate and reference checks.
using IdIndex = std::unordered_map<std::string, IdEntry>;
// Error unless `id` is new, naming the lines of both occurrences; then records it with `index`
// and the current record's line. `what` names the key in the message ("id", "closure", ...).
absl::Status AddUnique(const CsvReader& csv, int col, const std::string& id, int index,
                       IdIndex& ids, std::string_view what = "id");
// The index of `id`, or an error naming `what` ("office", "service", ...).
absl::StatusOr<int> Lookup(const CsvReader& csv, int col, const std::string& id, const IdIndex& ids,
                           std::string_view what);

}  // namespace rebook::bundle::internal

#endif  // REBOOK_SERVICES_BUNDLE_INTERNAL_FIELDS_H_
