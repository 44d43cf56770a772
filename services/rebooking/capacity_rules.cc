// The Check* rules of capacity.h.
#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/capacity.h"
#include "services/rebooking/capacity_internal.h"

namespace rebook::rebooking {
namespace {

constexpr std::chrono::hours kMaxShift{24};

void CheckId(const std::string& id, const std::string& field, FieldViolations& v) {
  if (!domain::IsValidId(id)) {
    v.Add(field, "the id must be 1 to 128 characters of [A-Za-z0-9._~-]", "BAD_ID");
  }
}

void CheckLength(const std::string& s, const std::string& field, std::size_t max,
                 FieldViolations& v) {
  if (s.size() > max) v.Add(field, absl::StrCat("is longer than ", max, " bytes"), "TOO_LONG");
}

void CheckInterval(const domain::TimeInterval& t, const std::string& field, FieldViolations& v) {
  if (t.end <= t.start) {
    v.Add(field + ".end_time", "must be after start_time", "EMPTY_INTERVAL");
  } else if (t.Duration() > kMaxShift) {
    v.Add(field, "may last at most 24 hours", "TOO_LONG");
  }
}

absl::Status CheckClerkRef(const std::string& clerk_id, const std::string& field,
                           ReferenceCache& refs, FieldViolations& v) {
  REBOOK_ASSIGN_OR_RETURN(const domain::Clerk* clerk, refs.FindClerk(clerk_id));
  if (clerk == nullptr) {
    v.Add(field, absl::StrCat("unknown clerk \"", clerk_id, "\""), "UNKNOWN_CLERK");
  }
  return absl::OkStatus();
}

absl::Status CheckOfficeRef(const std::string& office_id, const std::string& field,
                            ReferenceCache& refs, FieldViolations& v) {
  REBOOK_ASSIGN_OR_RETURN(const domain::Office* office, refs.FindOffice(office_id));
  if (office == nullptr) {
    v.Add(field, absl::StrCat("unknown office \"", office_id, "\""), "UNKNOWN_OFFICE");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckOffice(const domain::Office& o, const std::string& prefix, FieldViolations& v) {
  CheckId(o.id, prefix + ".name", v);
  if (o.name.empty()) v.Add(prefix + ".display_name", "is required", "REQUIRED");
  CheckLength(o.name, prefix + ".display_name", 200, v);
  if (!domain::IsGermanState(o.state)) {
    v.Add(
        prefix + ".state",
        absl::StrCat("\"", o.state, "\" is not the ISO 3166-2 code of a German state (e.g. DE-ST)"),
        "UNKNOWN_STATE");
  }
  if (!domain::ValidateTimeZone(o.time_zone).ok()) {
    v.Add(prefix + ".time_zone", absl::StrCat("unknown IANA time zone \"", o.time_zone, "\""),
          "UNKNOWN_TIME_ZONE");
  }
  CheckLength(o.address, prefix + ".address", 500, v);
  if (o.offer_ttl < std::chrono::hours(1) || o.offer_ttl > std::chrono::hours(24 * 30)) {
    v.Add(prefix + ".offer_ttl", "must be between 1 hour and 30 days", "OUT_OF_RANGE");
  }
  return absl::OkStatus();
}

absl::Status CheckService(const domain::Service& s, const std::string& prefix, FieldViolations& v) {
  CheckId(s.id, prefix + ".name", v);
  if (s.name.empty()) v.Add(prefix + ".display_name", "is required", "REQUIRED");
  CheckLength(s.name, prefix + ".display_name", 200, v);
  if (s.duration_min < 1 || s.duration_min > 1440) {
    v.Add(prefix + ".duration_minutes",
          absl::StrCat("must be 1 to 1440 minutes, not ", s.duration_min), "OUT_OF_RANGE");
  }
  return absl::OkStatus();
}

absl::Status CheckClerk(const domain::Clerk& c, const std::string& prefix, ReferenceCache& refs,
                        FieldViolations& v) {
  CheckId(c.id, prefix + ".name", v);
  if (c.name.empty()) v.Add(prefix + ".display_name", "is required", "REQUIRED");
  CheckLength(c.name, prefix + ".display_name", 200, v);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.skills.size(); ++i) {
    std::string field = absl::StrCat(prefix, ".skills[", i, "]");
    REBOOK_ASSIGN_OR_RETURN(const domain::Service* s, refs.FindService(c.skills[i]));
    if (s == nullptr) {
      v.Add(field, absl::StrCat("unknown service type \"", c.skills[i], "\""),
            "UNKNOWN_SERVICE_TYPE");
    } else if (!seen.insert(c.skills[i]).second) {
      v.Add(field, "skill listed twice", "DUPLICATE");
    }
  }
  if (!c.home_office_id.empty()) {
    REBOOK_RETURN_IF_ERROR(CheckOfficeRef(c.home_office_id, prefix + ".home_office", refs, v));
  }
  return absl::OkStatus();
}

namespace capacity_internal {

absl::Status CheckShiftFields(const domain::Shift& s, const std::string& prefix,
                              ReferenceCache& refs, FieldViolations& v) {
  CheckId(s.id, prefix + ".name", v);
  REBOOK_RETURN_IF_ERROR(CheckOfficeRef(s.office_id, prefix + ".name", refs, v));
  REBOOK_RETURN_IF_ERROR(CheckClerkRef(s.clerk_id, prefix + ".clerk", refs, v));
  CheckInterval(s.time, prefix + ".interval", v);
  return absl::OkStatus();
}

void AddOverlap(const domain::Shift& other, const std::string& prefix, FieldViolations& v) {
  v.Add(prefix + ".interval",
        absl::StrCat("overlaps shift \"", other.id, "\" of the same clerk at office \"",
                     other.office_id, "\""),
        "OVERLAPPING_SHIFT");
}

}  // namespace capacity_internal

absl::Status CheckShift(storage::Transaction& tx, const domain::Shift& s, const std::string& prefix,
                        ReferenceCache& refs, FieldViolations& v) {
  REBOOK_RETURN_IF_ERROR(capacity_internal::CheckShiftFields(s, prefix, refs, v));
  if (s.time.end <= s.time.start) return absl::OkStatus();
  storage::ShiftFilter overlapping;
  overlapping.clerk_id = s.clerk_id;
  overlapping.overlapping = s.time;
  REBOOK_ASSIGN_OR_RETURN(auto page, tx.ListShifts(overlapping, {10, ""}));
  for (const domain::Shift& other : page.items) {
    if (other.office_id == s.office_id && other.id == s.id) continue;
    capacity_internal::AddOverlap(other, prefix, v);
    break;
  }
  return absl::OkStatus();
}

absl::Status CheckClosure(const domain::Closure& c, const std::string& prefix, ReferenceCache& refs,
                          FieldViolations& v) {
  REBOOK_RETURN_IF_ERROR(CheckOfficeRef(c.office_id, prefix + ".name", refs, v));
  if (!c.date.ok()) v.Add(prefix + ".date", "is not a valid date", "BAD_DATE");
  CheckLength(c.reason, prefix + ".reason", 500, v);
  return absl::OkStatus();
}

absl::Status CheckStandingBooking(const domain::StandingBooking& b, const std::string& prefix,
                                  ReferenceCache& refs, FieldViolations& v) {
  CheckId(b.id, prefix + ".name", v);
  REBOOK_RETURN_IF_ERROR(CheckOfficeRef(b.office_id, prefix + ".name", refs, v));
  REBOOK_RETURN_IF_ERROR(CheckClerkRef(b.clerk_id, prefix + ".clerk", refs, v));
  CheckInterval(b.time, prefix + ".interval", v);
  return absl::OkStatus();
}

}  // namespace rebook::rebooking
