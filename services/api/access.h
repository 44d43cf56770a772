// Office-scoped access checks shared by the services.
//
// Resources of offices a principal may not see are reported as NOT_FOUND, with the same
// message as a resource that does not exist, so that nothing about them leaks.
#ifndef REBOOK_SERVICES_API_ACCESS_H_
#define REBOOK_SERVICES_API_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/api/auth.h"
#include "services/common/field_violations.h"
#include "services/domain/model.h"
#include "storage/store.h"

namespace rebook::api {

// NOT_FOUND "<what> \"<name>\" not found".
absl::Status NotFound(const std::string& what, const std::string& name);

// OK if `who` may see `office_id`; otherwise NOT_FOUND for the resource `name`.
absl::Status RequireOffice(const Principal& who, const std::string& office_id,
                           const std::string& what, const std::string& name);

// OK if `who` may see every office in `office_ids`; otherwise NOT_FOUND naming the first
// foreign one (used for writes that list offices, e.g. declaring an outage).
absl::Status RequireAllOffices(const Principal& who, const std::vector<std::string>& office_ids);

// PERMISSION_DENIED unless `who` has every office (`*`): for records that belong to no office
// and so to all of them (service types, the simulated clock). An admin of some offices changing
// them would change the other offices' data too.
absl::Status RequireEveryOffice(const Principal& who, const std::string& what);

// Adds a violation on `field`.allowed_offices[i] (UNKNOWN_OFFICE) for every office of `offices`
// that `who` may not see and that `already` does not list: an appointment may be planned into
// another office's capacity only by someone who sees that office. Offices stored before (by a
// principal of every office) may stay.
void CheckAllowedOffices(const Principal& who, const std::vector<std::string>& offices,
                         const std::vector<std::string>& already, const std::string& field,
                         FieldViolations& v);

// True if `who` may see the outage (it touches at least one of their offices).
bool CanSeeOutage(const Principal& who, const domain::Outage& outage);

// The office filter for a List call on `parent_office_id` (an id or kAnyOffice): the
// principal's offices for the wildcard, or just that office after an access check.
absl::StatusOr<std::optional<std::vector<std::string>>> ListScope(const Principal& who,
                                                                  const std::string& office_id);

// The time zone of an office, "Europe/Berlin" if it cannot be read.
std::string OfficeTimeZone(storage::Transaction& tx, const std::string& office_id);

// Maps NOT_FOUND from storage to the API's message for `name`.
absl::Status MapNotFound(const absl::Status& s, const std::string& what, const std::string& name);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_ACCESS_H_
