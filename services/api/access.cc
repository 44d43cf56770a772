#include "services/api/access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/api/names.h"

namespace rebook::api {

absl::Status NotFound(const std::string& what, const std::string& name) {
  return absl::NotFoundError(absl::StrCat(what, " \"", name, "\" not found"));
}

absl::Status RequireOffice(const Principal& who, const std::string& office_id,
                           const std::string& what, const std::string& name) {
  if (who.CanAccessOffice(office_id)) return absl::OkStatus();
  return NotFound(what, name);
}

absl::Status RequireAllOffices(const Principal& who, const std::vector<std::string>& office_ids) {
  for (const std::string& id : office_ids) {
    if (!who.CanAccessOffice(id)) {
      return NotFound("office", OfficeName(id));
    }
  }
  return absl::OkStatus();
}

absl::Status RequireEveryOffice(const Principal& who, const std::string& what) {
  if (who.all_offices) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("only principals of every office ('*') may change ", what));
}

void CheckAllowedOffices(const Principal& who, const std::vector<std::string>& offices,
                         const std::vector<std::string>& already, const std::string& field,
                         FieldViolations& v) {
  for (std::size_t i = 0; i < offices.size(); ++i) {
    if (who.CanAccessOffice(offices[i]) ||
        std::find(already.begin(), already.end(), offices[i]) != already.end()) {
      continue;
    }
    v.Add(absl::StrCat(field, ".allowed_offices[", i, "]"),
          absl::StrCat("unknown office \"", offices[i], "\""), "UNKNOWN_OFFICE");
  }
}

bool CanSeeOutage(const Principal& who, const domain::Outage& outage) {
  return std::any_of(outage.office_ids.begin(), outage.office_ids.end(),
                     [&](const std::string& o) { return who.CanAccessOffice(o); });
}

absl::StatusOr<std::optional<std::vector<std::string>>> ListScope(const Principal& who,
                                                                  const std::string& office_id) {
  if (office_id == kAnyOffice) return who.VisibleOffices();
  if (!who.CanAccessOffice(office_id)) return NotFound("office", OfficeName(office_id));
  return std::optional<std::vector<std::string>>(std::vector<std::string>{office_id});
}

std::string OfficeTimeZone(storage::Transaction& tx, const std::string& office_id) {
  absl::StatusOr<domain::Office> office = tx.GetOffice(office_id);
  return office.ok() ? office->time_zone : "Europe/Berlin";
}

absl::Status MapNotFound(const absl::Status& s, const std::string& what, const std::string& name) {
  if (s.code() == absl::StatusCode::kNotFound) return NotFound(what, name);
  return s;
}

}  // namespace rebook::api
