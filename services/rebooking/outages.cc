#include "services/rebooking/outages.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/appointments.h"
#include "services/rebooking/reference_cache.h"
#include "services/rebooking/time_checks.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;

absl::Status CheckCommand(storage::Transaction& tx, const DeclareOutageCommand& c) {
  FieldViolations v;
  if (!c.outage_id.empty() && !domain::IsValidId(c.outage_id)) {
    v.Add("outage_id", "must be 1 to 128 characters of [A-Za-z0-9._~-]", "BAD_ID");
  }
  if (c.office_ids.empty()) v.Add("outage.offices", "at least one office is required", "REQUIRED");
  ReferenceCache refs(tx);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.office_ids.size(); ++i) {
    std::string field = absl::StrCat("outage.offices[", i, "]");
    REBOOK_ASSIGN_OR_RETURN(const domain::Office* office, refs.FindOffice(c.office_ids[i]));
    if (office == nullptr) {
      v.Add(field, absl::StrCat("unknown office \"", c.office_ids[i], "\""), "UNKNOWN_OFFICE");
    } else if (!seen.insert(c.office_ids[i]).second) {
      v.Add(field, "office listed twice", "DUPLICATE");
    }
  }
  if (c.window.end <= c.window.start) {
    v.Add("outage.window.end_time", "must be after start_time", "EMPTY_INTERVAL");
  } else if (c.window.Duration() > kMaxOutageWindow) {
    v.Add("outage.window", "an outage window may last at most 92 days", "TOO_LONG");
  }
  if (c.cause.size() > 500) v.Add("outage.cause", "is longer than 500 bytes", "TOO_LONG");
  return v.ToStatus("invalid outage");
}

bool SameDeclaration(const domain::Outage& o, const DeclareOutageCommand& c) {
  std::vector<std::string> a = o.office_ids, b = c.office_ids;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b && o.window == c.window && o.cause == c.cause;
}

}  // namespace

absl::StatusOr<domain::Outage> DeclareOutage(storage::Transaction& tx,
                                             const DeclareOutageCommand& command, Instant now,
                                             IdGenerator& ids) {
  REBOOK_RETURN_IF_ERROR(CheckCommand(tx, command));
  if (!command.outage_id.empty()) {
    absl::StatusOr<domain::Outage> existing = tx.GetOutage(command.outage_id);
    if (existing.ok()) {
      if (SameDeclaration(*existing, command)) return *existing;
      return absl::AlreadyExistsError(
          absl::StrCat("outage \"", command.outage_id,
                       "\" is already declared with other offices, window or cause"));
    }
    if (existing.status().code() != absl::StatusCode::kNotFound) return existing.status();
  }
  // After the replay above: a retry of yesterday's declaration still gets the stored outage.
  std::vector<std::string> time_zones;
  for (const std::string& office_id : command.office_ids) {
    REBOOK_ASSIGN_OR_RETURN(domain::Office office, tx.GetOffice(office_id));
    time_zones.push_back(office.time_zone);
  }
  REBOOK_RETURN_IF_ERROR(CheckOutageWindow(command.window, time_zones, now));

  domain::Outage outage;
  outage.id = command.outage_id.empty() ? ids.NewId("outage") : command.outage_id;
  outage.office_ids = command.office_ids;
  outage.window = command.window;
  outage.cause = command.cause;
  outage.state = domain::OutageState::kActive;
  outage.declare_time = now;
  REBOOK_RETURN_IF_ERROR(tx.PutOutage(outage));

  storage::AppointmentFilter booked;
  booked.office_ids = command.office_ids;
  booked.statuses = {AppointmentStatus::kBooked};
  booked.original_start_in = command.window;
  REBOOK_ASSIGN_OR_RETURN(
      outage.cancelled_appointments,
      tx.SetAppointmentStatus(booked, AppointmentStatus::kCancelled, outage.id, "outage", now));
  // Walk-ins turned away in the window were waiting before the declaration: they belong to it.
  storage::AppointmentFilter walk_ins;
  walk_ins.office_ids = command.office_ids;
  walk_ins.kind = domain::AppointmentKind::kWalkIn;
  walk_ins.statuses = {AppointmentStatus::kCancelled};
  walk_ins.original_start_in = command.window;
  std::vector<domain::Appointment> unlinked;
  REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(walk_ins, [&](const domain::Appointment& a) {
    if (a.outage_id.empty()) unlinked.push_back(a);
  }));
  for (domain::Appointment& a : unlinked) {
    a.outage_id = outage.id;
    a.status_reason = "walk-in turned away during the outage";
    a.update_time = now;
    REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
  }
  outage.cancelled_appointments += static_cast<std::int64_t>(unlinked.size());
  REBOOK_RETURN_IF_ERROR(tx.PutOutage(outage));
  return outage;
}

absl::StatusOr<domain::Outage> CloseOutage(storage::Transaction& tx, const std::string& id,
                                           bool force, const std::string& reason, Instant now) {
  if (force && reason.empty()) return InvalidField("reason", "is required with force");
  if (reason.size() > 500) return InvalidField("reason", "is longer than 500 bytes");
  REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(id));
  if (outage.state == domain::OutageState::kClosed) return outage;

  storage::AppointmentFilter open;
  open.outage_id = id;
  open.statuses = {AppointmentStatus::kCancelled, AppointmentStatus::kOffered,
                   AppointmentStatus::kDeclined};
  REBOOK_ASSIGN_OR_RETURN(std::int64_t still_open, tx.CountAppointments(open));
  if (still_open > 0 && !force) {
    return absl::FailedPreconditionError(absl::StrCat(
        still_open, " citizens of outage \"", id,
        "\" have neither a confirmed appointment nor a recorded reason; close with force and a "
        "reason to close anyway"));
  }
  outage.state = domain::OutageState::kClosed;
  outage.close_time = now;
  outage.close_reason = reason.empty() ? "all citizens rebooked" : reason;
  REBOOK_RETURN_IF_ERROR(tx.PutOutage(outage));
  return outage;
}

absl::StatusOr<OutageImpact> ComputeOutageImpact(
    storage::Transaction& tx, const domain::Outage& outage,
    const std::optional<std::vector<std::string>>& visible_offices) {
  OutageImpact impact;
  impact.outage_id = outage.id;
  storage::AppointmentFilter filter;
  filter.outage_id = outage.id;
  filter.office_ids = visible_offices;

  ReferenceCache refs(tx);
  using Key = std::tuple<std::string, std::string, int, unsigned, unsigned>;
  std::map<Key, OutageImpactRow> rows;
  absl::Status lookup_error;
  REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(filter, [&](const domain::Appointment& a) {
    absl::StatusOr<const domain::Office*> office = refs.FindOffice(a.office_id);
    absl::StatusOr<const domain::Service*> service = refs.FindService(a.service_id);
    if (!office.ok() || !service.ok()) {
      lookup_error = office.ok() ? service.status() : office.status();
      return;
    }
    std::string tz = *office ? (*office)->time_zone : "Europe/Berlin";
    domain::LocalDate day = domain::LocalDateOf(tz, a.original_start);
    Key key{a.office_id, a.service_id, static_cast<int>(day.year()),
            static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day())};
    OutageImpactRow& row = rows[key];
    row.office_id = a.office_id;
    row.service_id = a.service_id;
    row.original_date = day;
    int minutes = (*service ? (*service)->duration_min : 0) * a.cases;
    row.appointments += 1;
    row.walk_ins += a.kind == domain::AppointmentKind::kWalkIn ? 1 : 0;
    row.cases += a.cases;
    row.work_minutes += minutes;
    impact.office_statuses[a.office_id][a.status] += 1;
    impact.total_appointments += 1;
    impact.total_cases += a.cases;
    impact.total_work_minutes += minutes;
  }));
  REBOOK_RETURN_IF_ERROR(lookup_error);
  for (auto& [key, row] : rows) impact.rows.push_back(std::move(row));
  return impact;
}

}  // namespace rebook::rebooking
