#include "services/api/capacity_visibility.h"

#include "absl/strings/str_cat.h"
#include "services/api/access.h"
#include "services/common/status_macros.h"

namespace rebook::api {

absl::StatusOr<domain::Clerk> VisibleClerk(storage::Transaction& tx, const Principal& who,
                                           const std::string& clerk_id, const std::string& name) {
  absl::StatusOr<domain::Clerk> clerk = tx.GetClerk(clerk_id);
  if (!clerk.ok()) return MapNotFound(clerk.status(), "clerk", name);
  if (who.all_offices || who.CanAccessOffice(clerk->home_office_id)) return clerk;
  storage::ShiftFilter filter;
  filter.clerk_id = clerk_id;
  filter.office_ids = who.VisibleOffices();
  REBOOK_ASSIGN_OR_RETURN(auto shifts, tx.ListShifts(filter, {1, ""}));
  if (!shifts.items.empty()) return clerk;
  return NotFound("clerk", name);
}

absl::Status RequireVisibleClerk(storage::Transaction& tx, const Principal& who,
                                 const std::string& clerk_id) {
  if (clerk_id.empty() || who.all_offices) return absl::OkStatus();
  return VisibleClerk(tx, who, clerk_id, absl::StrCat("clerks/", clerk_id)).status();
}

absl::Status RequireClerkManager(const Principal& who, const domain::Clerk& clerk) {
  if (who.all_offices) return absl::OkStatus();
  if (!clerk.home_office_id.empty() && who.CanAccessOffice(clerk.home_office_id)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("clerk \"", clerk.id, "\" is managed by another office"));
}

}  // namespace rebook::api
