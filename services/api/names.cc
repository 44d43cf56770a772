#include "services/api/names.h"

#include <charconv>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/field_violations.h"
#include "services/domain/model.h"

namespace rebook::api {
namespace {

// Splits `name` into segments and checks the literal collection segments at even positions.
// "offices/{office}/appointments/{appointment}" for {"offices", "appointments"}: the form an
// error names (built only for an error: every record of an import passes here).
std::string Pattern(const std::vector<std::string>& collections) {
  std::string pattern;
  for (const std::string& c : collections) {
    absl::StrAppend(&pattern, pattern.empty() ? "" : "/", c, "/{", c.substr(0, c.size() - 1), "}");
  }
  return pattern;
}

absl::StatusOr<std::vector<std::string>> Split(const std::string& name,
                                               const std::vector<std::string>& collections,
                                               const std::string& field, bool wildcard_first) {
  if (name.empty()) {
    return InvalidField(field, absl::StrCat("is required (", Pattern(collections), ")"),
                        "REQUIRED");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  bool ok = parts.size() == 2 * collections.size();
  std::vector<std::string> ids;
  ids.reserve(collections.size());
  for (std::size_t i = 0; ok && i < collections.size(); ++i) {
    const std::string_view id(parts[2 * i + 1].data(), parts[2 * i + 1].size());
    bool wildcard = wildcard_first && i == 0 && id == kAnyOffice;
    ok = std::string_view(parts[2 * i].data(), parts[2 * i].size()) == collections[i] &&
         (wildcard || domain::IsValidId(id));
    ids.emplace_back(id);
  }
  if (!ok) {
    return InvalidField(
        field, absl::StrCat("\"", name, "\" is not a name of the form ", Pattern(collections)),
        "BAD_NAME");
  }
  return ids;
}

}  // namespace

absl::StatusOr<std::string> ParseTopLevelName(const std::string& name,
                                              const std::string& collection,
                                              const std::string& field) {
  auto ids = Split(name, {collection}, field, false);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

absl::StatusOr<std::string> ParseOfficeName(const std::string& name, const std::string& field,
                                            bool allow_wildcard) {
  auto ids = Split(name, {"offices"}, field, allow_wildcard);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

absl::StatusOr<std::string> ParseServiceTypeName(const std::string& name,
                                                 const std::string& field) {
  return ParseTopLevelName(name, "serviceTypes", field);
}

absl::StatusOr<std::string> ParseClerkName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "clerks", field);
}

absl::StatusOr<std::string> ParseOutageName(const std::string& name, const std::string& field) {
  return ParseTopLevelName(name, "outages", field);
}

absl::StatusOr<AppointmentName> ParseAppointmentName(const std::string& name,
                                                     const std::string& field) {
  auto ids = Split(name, {"offices", "appointments"}, field, false);
  if (!ids.ok()) return ids.status();
  return AppointmentName{(*ids)[0], (*ids)[1]};
}

absl::StatusOr<OfficeChildName> ParseOfficeChildName(const std::string& name,
                                                     const std::string& collection,
                                                     const std::string& field) {
  auto ids = Split(name, {"offices", collection}, field, false);
  if (!ids.ok()) return ids.status();
  return OfficeChildName{(*ids)[0], (*ids)[1]};
}

absl::StatusOr<PlanName> ParsePlanName(const std::string& name, const std::string& field) {
  auto ids = Split(name, {"outages", "plans"}, field, false);
  if (!ids.ok()) return ids.status();
  return PlanName{(*ids)[0], (*ids)[1]};
}

absl::StatusOr<OfferName> ParseOfferName(const std::string& name, const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  OfferName n;
  bool ok = parts.size() == 6 && parts[0] == "offices" && parts[2] == "appointments" &&
            parts[4] == "offers" && domain::IsValidId(parts[1]) && domain::IsValidId(parts[3]);
  if (ok) {
    const std::string& v = parts[5];
    // Canonical decimal only: "offers/01" would name offer 1 a second way (found by fuzzing).
    ok = !v.empty() && v[0] != '0';
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n.version);
    ok = ok && ec == std::errc() && end == v.data() + v.size() && n.version >= 1;
  }
  if (!ok) {
    return InvalidField(
        field, "must be offices/{office}/appointments/{appointment}/offers/{version}", "BAD_NAME");
  }
  n.office_id = parts[1];
  n.appointment_id = parts[3];
  return n;
}

std::string OfficeName(const std::string& id) { return absl::StrCat("offices/", id); }
std::string ServiceTypeName(const std::string& id) { return absl::StrCat("serviceTypes/", id); }
std::string ClerkName(const std::string& id) { return absl::StrCat("clerks/", id); }
std::string OutageName(const std::string& id) { return absl::StrCat("outages/", id); }
std::string AppointmentResourceName(const std::string& office_id, const std::string& id) {
  return absl::StrCat("offices/", office_id, "/appointments/", id);
}
std::string OfficeChildResourceName(const std::string& office_id, const std::string& collection,
                                    const std::string& id) {
  return absl::StrCat("offices/", office_id, "/", collection, "/", id);
}
std::string PlanResourceName(const std::string& outage_id, const std::string& plan_id) {
  return absl::StrCat("outages/", outage_id, "/plans/", plan_id);
}
std::string OfferResourceName(const std::string& office_id, const std::string& appointment_id,
                              int version) {
  return absl::StrCat(AppointmentResourceName(office_id, appointment_id), "/offers/", version);
}
std::string MessageResourceName(const std::string& office_id, const std::string& message_id) {
  return OfficeChildResourceName(office_id, "messages", message_id);
}

}  // namespace rebook::api
