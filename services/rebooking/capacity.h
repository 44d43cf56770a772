// Use cases on capacity: offices, service types, clerks, shifts, closures, standing bookings.
//
// Create* returns the stored record when the same record (same id, same content) is created
// again, and ALREADY_EXISTS when the id is taken by different content. Update* is NOT_FOUND for
// unknown ids. Field paths of violations are under `prefix` (the API passes e.g. "office").
#ifndef REBOOK_SERVICES_REBOOKING_CAPACITY_H_
#define REBOOK_SERVICES_REBOOKING_CAPACITY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/field_violations.h"
#include "services/domain/model.h"
#include "services/rebooking/reference_cache.h"
#include "storage/store.h"

namespace rebook::rebooking {

// Rules per record; each adds violations and returns an error only on storage failure.
absl::Status CheckOffice(const domain::Office& o, const std::string& prefix, FieldViolations& v);
absl::Status CheckService(const domain::Service& s, const std::string& prefix, FieldViolations& v);
absl::Status CheckClerk(const domain::Clerk& c, const std::string& prefix, ReferenceCache& refs,
                        FieldViolations& v);
// Also checks that the clerk has no other shift overlapping this one, at any office.
absl::Status CheckShift(storage::Transaction& tx, const domain::Shift& s, const std::string& prefix,
                        ReferenceCache& refs, FieldViolations& v);
absl::Status CheckClosure(const domain::Closure& c, const std::string& prefix, ReferenceCache& refs,
                          FieldViolations& v);
absl::Status CheckStandingBooking(const domain::StandingBooking& b, const std::string& prefix,
                                  ReferenceCache& refs, FieldViolations& v);

absl::StatusOr<domain::Office> CreateOffice(storage::Transaction& tx, const domain::Office& o);
absl::StatusOr<domain::Office> UpdateOffice(storage::Transaction& tx, const domain::Office& o);
absl::StatusOr<domain::Service> CreateService(storage::Transaction& tx, const domain::Service& s);
absl::StatusOr<domain::Service> UpdateService(storage::Transaction& tx, const domain::Service& s);
absl::StatusOr<domain::Clerk> CreateClerk(storage::Transaction& tx, const domain::Clerk& c);
absl::StatusOr<domain::Clerk> UpdateClerk(storage::Transaction& tx, const domain::Clerk& c);
absl::StatusOr<domain::Shift> CreateShift(storage::Transaction& tx, const domain::Shift& s);
absl::StatusOr<domain::Closure> CreateClosure(storage::Transaction& tx, const domain::Closure& c);
absl::StatusOr<domain::StandingBooking> CreateStandingBooking(storage::Transaction& tx,
                                                              const domain::StandingBooking& b);

// Deletes an office that nothing refers to any more. NOT_FOUND if there is no such office;
// FAILED_PRECONDITION naming what still refers to it (appointments, outages, shifts, closures,
// standing bookings, clerks of that home office) otherwise.
absl::Status DeleteOffice(storage::Transaction& tx, const std::string& office_id);

// A clerk is absent during `interval`: shifts inside it are deleted, shifts overlapping it are
// cut (one overlapping the middle is split in two). Returns the shifts as they were before.
absl::StatusOr<std::vector<domain::Shift>> ReportClerkAbsence(storage::Transaction& tx,
                                                              const std::string& clerk_id,
                                                              const domain::TimeInterval& interval);

struct CapacityBatch {
  std::vector<domain::Office> offices;
  std::vector<domain::Service> services;
  std::vector<domain::Clerk> clerks;
  std::vector<domain::Shift> shifts;
  std::vector<domain::Closure> closures;
  std::vector<domain::StandingBooking> bookings;
};

struct UpsertCounts {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
};

// Upserts everything in dependency order (offices, services, clerks, shifts, closures,
// bookings). INVALID_ARGUMENT with violations under "offices[i]", "service_types[i]",
// "clerks[i]", "shifts[i]", "closures[i]", "standing_bookings[i]" (indices over the whole
// batch). The caller's transaction must be rolled back on error.
absl::StatusOr<UpsertCounts> ImportCapacity(storage::Transaction& tx, const CapacityBatch& batch);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_CAPACITY_H_
