#include "services/api/privacy_purpose.h"

namespace rebook::api {

bool IsPurposeRestricted(domain::ServiceCategory category) {
  return category == domain::ServiceCategory::kImmigration ||
         category == domain::ServiceCategory::kCitizenship;
}

bool PurposeFilter::Restricted(const std::string& service_id) {
  auto [it, inserted] = restricted_.try_emplace(service_id, true);
  if (inserted) {
    // An unreadable service type stays restricted: failing closed shows less, never more.
    absl::StatusOr<domain::Service> s = tx_.GetService(service_id);
    it->second = !s.ok() || IsPurposeRestricted(s->category);
  }
  return it->second;
}

void PurposeFilter::Apply(const domain::Appointment& a, v1::Appointment* out) {
  if (who_.role == Role::kAdmin) return;
  const bool holds_case = !who_.all_offices && who_.offices.count(a.office_id) > 0;
  if (holds_case || !Restricted(a.service_id)) return;
  out->clear_deadline_time();
  out->clear_status_reason();
}

void LimitMessageToRole(const Principal& who, v1::Message* out) {
  if (who.role != Role::kNotifier) return;
  out->clear_last_error();
  for (v1::MessageEvent& e : *out->mutable_history()) e.clear_reason();
}

}  // namespace rebook::api
