// AuditTrail: the use cases of the audit log — record an event, list entries, verify the chain.
//
//   audit::AuditTrail trail(&audit_log, &clock);
//   REBOOK_RETURN_IF_ERROR(trail.Record(event, {}));
//   REBOOK_ASSIGN_OR_RETURN(audit::ChainVerdict v, trail.Verify({}));
//
// Who may read the log is decided by the caller (the API layer allows only the auditor role).
// Thread-safe as far as the storage::AuditLog is (SqliteAuditLog is).
#ifndef REBOOK_SERVICES_AUDIT_AUDIT_TRAIL_H_
#define REBOOK_SERVICES_AUDIT_AUDIT_TRAIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/audit/audit_entry.h"
#include "services/common/clock.h"
#include "storage/audit_log.h"

namespace rebook::audit {

// One audited call, as the API layer sees it. Holds no personal data: resource names are
// identifiers (e.g. "offices/HAL-MITTE/appointments/a-17"), never names or contact data.
struct AuditEvent {
  std::string principal;  // name from the token file ("public" for offer tokens)
  std::string role;
  std::vector<std::string> offices;  // {"*"} for every office
  std::string method;
  Category category = Category::kNone;
  std::vector<std::string> resources;
  std::int64_t record_count = 0;
  std::string outcome;     // status code name
  std::string request_id;  // "" if the request carries none
};

class AuditTrail {
 public:
  // Both pointers must outlive the trail.
  AuditTrail(storage::AuditLog* log, Clock* clock) : log_(log), clock_(clock) {}

  // Appends `event` at the clock's current time, chained to the last entry. INVALID_ARGUMENT
  // for kNone or an empty principal or method.
  absl::Status Record(const AuditEvent& event, const storage::TransactionOptions& options) const;

  absl::StatusOr<storage::Page<storage::AuditRecord>> List(
      const storage::AuditFilter& filter, const storage::PageRequest& page,
      const storage::TransactionOptions& options) const;

  // Checks the whole chain on one snapshot.
  absl::StatusOr<ChainVerdict> Verify(const storage::TransactionOptions& options) const;

 private:
  storage::AuditLog* log_;
  Clock* clock_;
};

}  // namespace rebook::audit

#endif  // REBOOK_SERVICES_AUDIT_AUDIT_TRAIL_H_
