// Resource names of API v1 (AIP-122): parsing and formatting.
//
//   absl::StatusOr<AppointmentName> n = ParseAppointmentName("offices/HAL/appointments/A-1");
//   n->office_id == "HAL"; n->appointment_id == "A-1";
//   FormatAppointmentName("HAL", "A-1") == "offices/HAL/appointments/A-1";
//
// Parse errors are INVALID_ARGUMENT with one field violation naming `field`. Part of the
// client-safe library rebook::api_client (no server, auth or storage): clients such as rebookctl
// and rebook-notifier read and build names with it too.
#ifndef REBOOK_SERVICES_API_NAMES_H_
#define REBOOK_SERVICES_API_NAMES_H_

#include <string>

#include "absl/status/statusor.h"

namespace rebook::api {

// The wildcard office of List calls: `offices/-`.
inline constexpr char kAnyOffice[] = "-";

struct AppointmentName {
  std::string office_id;
  std::string appointment_id;
};
struct OfficeChildName {
  std::string office_id;
  std::string child_id;
};
struct PlanName {
  std::string outage_id;
  std::string plan_id;
};
struct OfferName {
  std::string office_id;
  std::string appointment_id;
  int version = 0;  // >= 1
};

// `{collection}/{id}` with a single level. `field` is used in the error.
absl::StatusOr<std::string> ParseTopLevelName(const std::string& name,
                                              const std::string& collection,
                                              const std::string& field);
// `offices/{office}`; `allow_wildcard` accepts `offices/-` (returned as kAnyOffice).
absl::StatusOr<std::string> ParseOfficeName(const std::string& name, const std::string& field,
                                            bool allow_wildcard = false);
absl::StatusOr<std::string> ParseServiceTypeName(const std::string& name, const std::string& field);
absl::StatusOr<std::string> ParseClerkName(const std::string& name, const std::string& field);
absl::StatusOr<std::string> ParseOutageName(const std::string& name, const std::string& field);
absl::StatusOr<AppointmentName> ParseAppointmentName(const std::string& name,
                                                     const std::string& field);
// `offices/{office}/{collection}/{id}`, e.g. shifts, closures, standingBookings.
absl::StatusOr<OfficeChildName> ParseOfficeChildName(const std::string& name,
                                                     const std::string& collection,
                                                     const std::string& field);
absl::StatusOr<PlanName> ParsePlanName(const std::string& name, const std::string& field);
// `offices/{office}/appointments/{appointment}/offers/{version}`, version >= 1.
absl::StatusOr<OfferName> ParseOfferName(const std::string& name, const std::string& field);

std::string OfficeName(const std::string& office_id);
std::string ServiceTypeName(const std::string& service_id);
std::string ClerkName(const std::string& clerk_id);
std::string OutageName(const std::string& outage_id);
std::string AppointmentResourceName(const std::string& office_id,
                                    const std::string& appointment_id);
std::string OfficeChildResourceName(const std::string& office_id, const std::string& collection,
                                    const std::string& child_id);
std::string PlanResourceName(const std::string& outage_id, const std::string& plan_id);
std::string OfferResourceName(const std::string& office_id, const std::string& appointment_id,
                              int version);
// `offices/{office}/messages/{id}`.
std::string MessageResourceName(const std::string& office_id, const std::string& message_id);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_NAMES_H_
