#include "services/api/convert_explain.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "services/api/convert.h"
#include "services/api/names.h"

namespace rebook::api {
namespace {

v1::DayExplanation::Reason DayReasonToProto(rebooking::DayReason r) {
  using R = rebooking::DayReason;
  switch (r) {
    case R::kOfficeClosed:
      return v1::DayExplanation::OFFICE_CLOSED;
    case R::kHoliday:
      return v1::DayExplanation::HOLIDAY;
    case R::kNoOpening:
      return v1::DayExplanation::NO_OPENING;
    case R::kNoQualifiedClerk:
      return v1::DayExplanation::NO_QUALIFIED_CLERK;
    case R::kBeforeNotice:
      return v1::DayExplanation::MINIMUM_NOTICE;
    case R::kBeforeEarliest:
      return v1::DayExplanation::BEFORE_EARLIEST_START;
    case R::kAfterDeadline:
      return v1::DayExplanation::AFTER_DEADLINE;
    case R::kFull:
      return v1::DayExplanation::FULL;
    case R::kDeadlinePriority:
      return v1::DayExplanation::DEADLINE_PRIORITY;
    case R::kCitizenUnavailable:
      return v1::DayExplanation::CITIZEN_UNAVAILABLE;
    case R::kReserve:
      return v1::DayExplanation::RESERVE;
    case R::kFreeUnused:
      return v1::DayExplanation::FREE;
  }
  return v1::DayExplanation::REASON_UNSPECIFIED;
}

// "HH:MM" -> minutes after midnight; nullopt for anything else.
std::optional<int> ParseClock(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  int h = 0, m = 0;
  if (parts.size() != 2 || parts[0].size() != 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) || h < 0 || h > 23 ||
      m < 0 || m > 59) {
    return std::nullopt;
  }
  return h * 60 + m;
}

}  // namespace

void ToProto(const rebooking::SlotExplanationResult& in, std::string_view language,
             v1::SlotExplanation* out) {
  const rebooking::SlotExplanation& e = in.explanation;
  out->Clear();
  out->set_appointment(AppointmentResourceName(e.appointment_office_id, e.appointment_id));
  out->set_plan(PlanResourceName(in.outage_id, in.plan_id));
  if (e.slot.has_value()) {
    out->set_office(OfficeName(e.slot->office_id));
    out->set_clerk(ClerkName(e.slot->clerk_id));
    ToIntervalProto(e.slot->time, out->mutable_interval());
  }
  *out->mutable_earliest_possible_time() = ToTimestamp(e.earliest_possible);
  for (const std::string& o : e.allowed_offices) out->add_allowed_offices(OfficeName(o));
  for (const rebooking::DayExplanation& d : e.days) {
    v1::DayExplanation* x = out->add_days();
    ToDateProto(d.day, x->mutable_date());
    x->set_office(OfficeName(d.office_id));
    x->set_reason(DayReasonToProto(d.reason));
    x->set_detail(d.detail);
    x->set_needed_minutes(d.needed_minutes);
    x->set_free_minutes(d.free_minutes);
    x->set_longest_free_minutes(d.longest_free_minutes);
    x->set_regular_cap_minutes(d.regular_cap_minutes);
    x->set_rebooked_minutes(d.rebooked_minutes);
    x->set_reserve_percent(d.reserve_percent);
    x->set_priority_places(d.priority_places);
    x->set_places_taken(d.places_taken);
  }
  for (std::string& line : rebooking::StaffText(e, in.scenario, language)) {
    out->add_staff_text(std::move(line));
  }
  out->set_citizen_text(rebooking::CitizenText(e, language));
}

rebooking::CapacityChanges FromProto(const v1::CapacityChanges& in, const std::string& field,
                                     FieldViolations& v) {
  rebooking::CapacityChanges c;
  for (int i = 0; i < in.extra_shifts_size(); ++i) {
    const v1::CapacityChanges::ExtraShift& x = in.extra_shifts(i);
    const std::string at = absl::StrCat(field, ".extra_shifts[", i, "]");
    rebooking::ExtraShift shift;
    absl::StatusOr<std::string> office = ParseOfficeName(x.office(), at + ".office");
    absl::StatusOr<std::string> service =
        ParseServiceTypeName(x.service_type(), at + ".service_type");
    if (!office.ok()) v.Add(at + ".office", "must be offices/{office}", "BAD_NAME");
    if (!service.ok()) {
      v.Add(at + ".service_type", "must be serviceTypes/{service_type}", "BAD_NAME");
    }
    shift.office_id = office.value_or("");
    shift.service_id = service.value_or("");
    shift.day = FromDateProto(x.date(), at + ".date", v);
    shift.minutes = x.minutes();
    if (!x.start_time().empty()) {
      shift.start_minute = ParseClock(x.start_time());
      if (!shift.start_minute.has_value()) {
        v.Add(at + ".start_time", "must be a local time HH:MM", "BAD_TIME");
      }
    }
    c.extra_shifts.push_back(std::move(shift));
  }
  for (int i = 0; i < in.absences_size(); ++i) {
    const v1::CapacityChanges::ClerkAbsence& a = in.absences(i);
    const std::string at = absl::StrCat(field, ".absences[", i, "]");
    absl::StatusOr<std::string> clerk = ParseClerkName(a.clerk(), at + ".clerk");
    if (!clerk.ok()) v.Add(at + ".clerk", "must be clerks/{clerk}", "BAD_NAME");
    rebooking::ClerkAbsence absence{clerk.value_or(""), {}, {}};
    absence.first = FromDateProto(a.start_date(), at + ".start_date", v);
    absence.last =
        a.has_end_date() ? FromDateProto(a.end_date(), at + ".end_date", v) : absence.first;
    c.absences.push_back(std::move(absence));
  }
  if (in.has_reserve_share()) c.reserve_share = in.reserve_share();
  return c;
}

void ToProto(const rebooking::CapacityChanges& in, v1::CapacityChanges* out) {
  out->Clear();
  for (const rebooking::ExtraShift& x : in.extra_shifts) {
    v1::CapacityChanges::ExtraShift* s = out->add_extra_shifts();
    s->set_office(OfficeName(x.office_id));
    ToDateProto(x.day, s->mutable_date());
    s->set_service_type(ServiceTypeName(x.service_id));
    s->set_minutes(x.minutes);
    if (x.start_minute.has_value()) {
      s->set_start_time(absl::StrFormat("%02d:%02d", *x.start_minute / 60, *x.start_minute % 60));
    }
  }
  for (const rebooking::ClerkAbsence& a : in.absences) {
    v1::CapacityChanges::ClerkAbsence* s = out->add_absences();
    s->set_clerk(ClerkName(a.clerk_id));
    ToDateProto(a.first, s->mutable_start_date());
    ToDateProto(a.last, s->mutable_end_date());
  }
  if (in.reserve_share.has_value()) out->set_reserve_share(*in.reserve_share);
}

void ToProto(const rebooking::StaffFigures& in, v1::StaffFigures* out) {
  out->set_citizens(in.citizens);
  out->set_placed(in.placed);
  out->set_placed_within_5_working_days(in.within_5_working_days);
  out->set_mean_delay_days(in.mean_delay_days);
  out->set_mean_delay_working_days(in.mean_delay_working_days);
  out->set_overtime_hours(in.overtime_hours);
}

}  // namespace rebook::api
