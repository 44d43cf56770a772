// What capacity.cc (one record per call) and capacity_import.cc (ImportCapacity) share: the
// Create/Update/Upsert rule of storing a checked record, and the per-record Save* use cases of
// the record kinds an import writes one by one (few records). Only those two files include it.
#ifndef REBOOK_SERVICES_REBOOKING_CAPACITY_INTERNAL_H_
#define REBOOK_SERVICES_REBOOKING_CAPACITY_INTERNAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/rebooking/capacity.h"

namespace rebook::rebooking::capacity_internal {

enum class Mode { kCreate, kUpdate, kUpsert };

// Stores `record` after its rules passed, following the Create/Update/Upsert contract, and
// counts what happened. `get` reads the current record (NOT_FOUND if none); `put` writes.
template <typename T, typename Get, typename Put>
absl::StatusOr<T> Store(const T& record, const std::string& what, const std::string& key, Mode mode,
                        Get get, Put put, UpsertCounts* counts = nullptr) {
  absl::StatusOr<T> current = get();
  if (!current.ok() && current.status().code() != absl::StatusCode::kNotFound) {
    return current.status();
  }
  bool exists = current.ok();
  if (exists && *current == record) {
    if (counts) ++counts->unchanged;
    return *current;
  }
  if (exists && mode == Mode::kCreate) {
    return absl::AlreadyExistsError(
        absl::StrCat(what, " \"", key, "\" already exists with other content"));
  }
  if (!exists && mode == Mode::kUpdate) {
    return absl::NotFoundError(absl::StrCat(what, " \"", key, "\" not found"));
  }
  REBOOK_RETURN_IF_ERROR(put());
  if (counts) ++(exists ? counts->updated : counts->created);
  return record;
}

absl::StatusOr<domain::Office> SaveOffice(storage::Transaction& tx, const domain::Office& o,
                                          Mode mode, const std::string& prefix,
                                          UpsertCounts* counts = nullptr);
absl::StatusOr<domain::Service> SaveService(storage::Transaction& tx, const domain::Service& s,
                                            Mode mode, const std::string& prefix,
                                            UpsertCounts* counts = nullptr);
absl::StatusOr<domain::Clerk> SaveClerk(storage::Transaction& tx, const domain::Clerk& c, Mode mode,
                                        const std::string& prefix, ReferenceCache& refs,
                                        UpsertCounts* counts = nullptr);
absl::StatusOr<domain::Closure> SaveClosure(storage::Transaction& tx, const domain::Closure& c,
                                            Mode mode, const std::string& prefix,
                                            ReferenceCache& refs, UpsertCounts* counts = nullptr);

// CheckShift without its overlap query: ids, references and interval.
absl::Status CheckShiftFields(const domain::Shift& s, const std::string& prefix,
                              ReferenceCache& refs, FieldViolations& v);
// The violation of a shift under `prefix` that overlaps `other` of the same clerk.
void AddOverlap(const domain::Shift& other, const std::string& prefix, FieldViolations& v);

}  // namespace rebook::rebooking::capacity_internal

#endif  // REBOOK_SERVICES_REBOOKING_CAPACITY_INTERNAL_H_
