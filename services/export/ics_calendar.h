// iCalendar (RFC 5545) exports of a schedule for the staff's calendars: one VCALENDAR per office
// or per clerk. Written by hand like the e-mail attachment (services/notify/email/icalendar.h),
// sharing its escaping and folding (services/common/ical_text.h); libical would cost more code
// than the dozen properties written here. The tests parse the output with python3-icalendar.
//
//   IcsOptions options{.dtstamp = clock.Now()};
//   std::string ics = OfficeCalendar(schedule, "HAL", options);
//
// Events (one per appointment, UID "rebook/<outage>/<office>/<appointment>@<uid_domain>", stable
// across every change; SEQUENCE = seconds from 2020-01-01 to the appointment's update_time, so it
// grows with every change):
//   - rebooked (confirmed) appointments at their new slot, STATUS:CONFIRMED;
//   - slots held by open offers, STATUS:TENTATIVE;
//   - office calendars only: the outage's appointments without a slot (waiting, declined, closed,
//     ...) at their original time in their original office, STATUS:CANCELLED.
// DTSTART/DTEND carry the office's TZID with a VTIMEZONE built from the system's zone database
// for the period the events span. Personal data: none. SUMMARY is the service and cases,
// DESCRIPTION the appointment id, original time and office, the citizen's language and how the
// slot was confirmed; the citizen's name and contact stay in the day lists (day_list_pdf.h).
#ifndef REBOOK_SERVICES_EXPORT_ICS_CALENDAR_H_
#define REBOOK_SERVICES_EXPORT_ICS_CALENDAR_H_

#include <string>
#include <vector>

#include "services/common/clock.h"
#include "services/export/schedule.h"

namespace rebook::exports {

struct IcsOptions {
  Instant dtstamp{};  // when the calendar is written (DTSTAMP)
  std::string uid_domain = "rebook.invalid";
};

// The calendar of `office_id`: the slots at that office, and its unscheduled appointments.
std::string OfficeCalendar(const Schedule& schedule, const std::string& office_id,
                           const IcsOptions& options);
// The calendar of `clerk_id`: the slots of that clerk at any office.
std::string ClerkCalendar(const Schedule& schedule, const std::string& clerk_id,
                          const IcsOptions& options);

struct NamedCalendar {
  std::string file_name;  // "office-<id>.ics" or "clerk-<id>.ics"
  std::string text;
};
// One calendar per office of the outage's appointments and slots, or per clerk with a slot.
std::vector<NamedCalendar> CalendarsPerOffice(const Schedule& schedule, const IcsOptions& options);
std::vector<NamedCalendar> CalendarsPerClerk(const Schedule& schedule, const IcsOptions& options);

// A VTIMEZONE component (CRLF lines) for IANA zone `tz` whose observances cover [from, to]:
// one STANDARD or DAYLIGHT per offset change in that period. `tz` must be valid.
std::string VTimezone(const std::string& tz, Instant from, Instant to);

}  // namespace rebook::exports

#endif  // REBOOK_SERVICES_EXPORT_ICS_CALENDAR_H_
