// Which clerks a principal may see and manage.
//
// Clerks are not owned by one office: they are managed by their home office and may work
// shifts anywhere. A principal sees a clerk managed by, or working at, one of their offices,
// and manages a clerk whose home office is theirs.
#ifndef REBOOK_SERVICES_API_CAPACITY_VISIBILITY_H_
#define REBOOK_SERVICES_API_CAPACITY_VISIBILITY_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/api/auth.h"
#include "services/domain/model.h"
#include "storage/store.h"

namespace rebook::api {

// NOT_FOUND unless `who` may see the clerk.
absl::StatusOr<domain::Clerk> VisibleClerk(storage::Transaction& tx, const Principal& who,
                                           const std::string& clerk_id, const std::string& name);

// NOT_FOUND unless `who` may see the clerk `clerk_id` (OK for an empty id: the caller's own
// validation reports it). A shift or standing booking may only name a visible clerk: one of
// another office that works nowhere near the caller's offices stays hidden, and its time is not
// the caller's to book.
absl::Status RequireVisibleClerk(storage::Transaction& tx, const Principal& who,
                                 const std::string& clerk_id);

// PERMISSION_DENIED unless `who` may manage `clerk` (all offices, or the clerk's home office).
absl::Status RequireClerkManager(const Principal& who, const domain::Clerk& clerk);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CAPACITY_VISIBILITY_H_
