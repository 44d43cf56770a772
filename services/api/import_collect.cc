#include "services/api/import_collect.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/api/access.h"
#include "services/api/capacity_visibility.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/api/request_check.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/reference_cache.h"

namespace rebook::api {
namespace {

// Parses `offices/{office}/{collection}/{id}` and checks the office is the principal's.
bool OfficeChild(const std::string& name, const std::string& collection, const std::string& field,
                 const Principal& who, FieldViolations& v, OfficeChildName* out) {
  absl::StatusOr<OfficeChildName> n = ParseOfficeChildName(name, collection, field);
  if (!n.ok()) {
    v.AddFrom(n.status());
    return false;
  }
  if (!who.CanAccessOffice(n->office_id)) {
    v.Add(field, absl::StrCat("unknown office \"", n->office_id, "\""), "UNKNOWN_OFFICE");
    return false;
  }
  *out = *n;
  return true;
}

// From this many offices and clerks on, CheckImportOwners reads all stored ones at once.
constexpr std::size_t kReadAllFrom = 64;

}  // namespace

void CollectCapacity(const v1::ImportCapacityRequest& msg, const Principal& who,
                     rebooking::CapacityBatch& batch, FieldViolations& v) {
  for (const v1::Office& o : msg.offices()) {
    std::string field = absl::StrCat("offices[", batch.offices.size(), "]");
    CheckRequestFields(o, v, field);
    absl::StatusOr<std::string> id = ParseOfficeName(o.name(), field + ".name");
    if (!id.ok()) {
      v.AddFrom(id.status());
    } else if (!who.CanAccessOffice(*id)) {
      v.Add(field + ".name", "is not an office you may manage", "UNKNOWN_OFFICE");
    }
    batch.offices.push_back(FromProto(o, id.ok() ? *id : "", field, v));
  }
  for (const v1::ServiceType& s : msg.service_types()) {
    std::string field = absl::StrCat("service_types[", batch.services.size(), "]");
    CheckRequestFields(s, v, field);
    absl::StatusOr<std::string> id = ParseServiceTypeName(s.name(), field + ".name");
    if (!id.ok()) v.AddFrom(id.status());
    if (!who.all_offices || !who.Can(Permission::kManageOffices)) {
      v.Add(field, "only admins of every office may import service types", "FORBIDDEN");
    }
    batch.services.push_back(FromProto(s, id.ok() ? *id : "", field, v));
  }
  for (const v1::Clerk& c : msg.clerks()) {
    std::string field = absl::StrCat("clerks[", batch.clerks.size(), "]");
    CheckRequestFields(c, v, field);
    absl::StatusOr<std::string> id = ParseClerkName(c.name(), field + ".name");
    if (!id.ok()) v.AddFrom(id.status());
    domain::Clerk clerk = FromProto(c, id.ok() ? *id : "", field, v);
    if (!RequireClerkManager(who, clerk).ok()) {
      v.Add(field + ".home_office", "must be an office you manage", "FORBIDDEN");
    }
    batch.clerks.push_back(std::move(clerk));
  }
  OfficeChildName n;
  for (const v1::Shift& s : msg.shifts()) {
    std::string field = absl::StrCat("shifts[", batch.shifts.size(), "]");
    CheckRequestFields(s, v, field);
    if (OfficeChild(s.name(), "shifts", field + ".name", who, v, &n)) {
      batch.shifts.push_back(FromProto(s, n.office_id, n.child_id, field, v));
    }
  }
  for (const v1::Closure& c : msg.closures()) {
    std::string field = absl::StrCat("closures[", batch.closures.size(), "]");
    CheckRequestFields(c, v, field);
    if (OfficeChild(c.name(), "closures", field + ".name", who, v, &n)) {
      batch.closures.push_back(FromProto(c, n.office_id, field, v));
    }
  }
  for (const v1::StandingBooking& b : msg.standing_bookings()) {
    std::string field = absl::StrCat("standing_bookings[", batch.bookings.size(), "]");
    CheckRequestFields(b, v, field);
    if (OfficeChild(b.name(), "standingBookings", field + ".name", who, v, &n)) {
      batch.bookings.push_back(FromProto(b, n.office_id, n.child_id, field, v));
    }
  }
}

void CheckRepeatedClosures(const rebooking::CapacityBatch& batch, FieldViolations& v) {
  std::map<std::string, std::size_t> first;  // "office date" -> index of its first closure
  for (std::size_t i = 0; i < batch.closures.size(); ++i) {
    const domain::Closure& c = batch.closures[i];
    if (!c.date.ok()) continue;  // reported by CollectCapacity
    std::string key = absl::StrCat(c.office_id, " ", domain::FormatLocalDate(c.date));
    auto [at, inserted] = first.emplace(key, i);
    if (!inserted) {
      v.Add(
          absl::StrCat("closures[", i, "].date"),
          absl::StrCat("duplicate closure \"", key, "\"; the first is closures[", at->second, "]"),
          "DUPLICATE");
    }
  }
}

absl::Status CheckImportOwners(storage::Transaction& tx, const Principal& who,
                               const rebooking::CapacityBatch& batch) {
  FieldViolations v;
  // A large import reads all stored offices and clerks at once instead of one by one.
  rebooking::ReferenceCache stored(tx);
  if (batch.offices.size() + batch.clerks.size() >= kReadAllFrom) {
    REBOOK_RETURN_IF_ERROR(stored.ReadAll());
  }
  for (std::size_t i = 0; i < batch.offices.size(); ++i) {
    REBOOK_ASSIGN_OR_RETURN(const domain::Office* office, stored.FindOffice(batch.offices[i].id));
    std::string field = absl::StrCat("offices[", i, "].name");
    if (office != nullptr && !who.Can(Permission::kManageOfficeCapacity)) {
      v.Add(field, "is not an office you may manage", "FORBIDDEN");
    } else if (office == nullptr && !who.Can(Permission::kManageOffices)) {
      v.Add(field, "only admins may create offices", "FORBIDDEN");
    }
  }
  for (std::size_t i = 0; i < batch.clerks.size(); ++i) {
    REBOOK_ASSIGN_OR_RETURN(const domain::Clerk* clerk, stored.FindClerk(batch.clerks[i].id));
    if (clerk != nullptr && !RequireClerkManager(who, *clerk).ok()) {
      v.Add(absl::StrCat("clerks[", i, "].name"), "is a clerk managed by another office",
            "FORBIDDEN");
    }
  }
  // Shifts and standing bookings book a clerk's time: the clerk must be one the principal may
  // see (or one this import creates or updates, which passed RequireClerkManager above).
  auto check_clerk = [&](const std::string& clerk_id, const std::string& field) -> absl::Status {
    if (who.all_offices || clerk_id.empty()) return absl::OkStatus();
    for (const domain::Clerk& c : batch.clerks) {
      if (c.id == clerk_id) return absl::OkStatus();
    }
    absl::Status visible = RequireVisibleClerk(tx, who, clerk_id);
    if (visible.code() == absl::StatusCode::kNotFound) {
      v.Add(field, absl::StrCat("unknown clerk \"", clerk_id, "\""), "UNKNOWN_CLERK");
      return absl::OkStatus();
    }
    return visible;
  };
  for (std::size_t i = 0; i < batch.shifts.size(); ++i) {
    REBOOK_RETURN_IF_ERROR(
        check_clerk(batch.shifts[i].clerk_id, absl::StrCat("shifts[", i, "].clerk")));
  }
  for (std::size_t i = 0; i < batch.bookings.size(); ++i) {
    REBOOK_RETURN_IF_ERROR(
        check_clerk(batch.bookings[i].clerk_id, absl::StrCat("standing_bookings[", i, "].clerk")));
  }
  return v.ToStatus("invalid capacity");
}

void CollectAppointments(const v1::ImportAppointmentsRequest& msg, const Principal& who,
                         std::vector<domain::Appointment>& batch, FieldViolations& v) {
  // A record's path ("appointments[12]") is formatted only for a violation: the checks run
  // without it first and again with it when they found something.
  static const std::string kNoPath;
  for (const v1::Appointment& p : msg.appointments()) {
    const std::size_t index = batch.size();
    auto field = [index] { return absl::StrCat("appointments[", index, "]"); };
    FieldViolations local;
    CheckRequestFields(p, local, kNoPath);
    if (!local.empty()) CheckRequestFields(p, v, field());
    domain::Appointment a = FromProto(p, field, v);
    if (!a.office_id.empty() && !who.CanAccessOffice(a.office_id)) {
      v.Add(field() + ".name", absl::StrCat("unknown office \"", a.office_id, "\""),
            "UNKNOWN_OFFICE");
    }
    local = FieldViolations();
    CheckAllowedOffices(who, a.allowed_offices, {}, kNoPath, local);
    if (!local.empty()) CheckAllowedOffices(who, a.allowed_offices, {}, field(), v);
    batch.push_back(std::move(a));
  }
}

void ToProto(const rebooking::UpsertCounts& in, v1::ImportCapacityResponse* out) {
  out->Clear();
  out->set_created_count(in.created);
  out->set_updated_count(in.updated);
  out->set_unchanged_count(in.unchanged);
}

void ToProto(const rebooking::ImportResult& in, v1::ImportAppointmentsResponse* out) {
  out->Clear();
  out->set_received_count(in.received);
  out->set_created_count(in.created);
  out->set_unchanged_count(in.unchanged);
  out->set_cancelled_count(in.cancelled);
}

}  // namespace rebook::api
