// An RFC 5545 iCalendar object for one appointment, attached to e-mails.
//
// Hand-written: Debian 12 packages libical, but its C API costs more code than the dozen
// properties written here; the output is checked against python3-icalendar in the tests.
//
//   std::string ics = BuildICalendar(rendered, clock.Now(), {.method = "PUBLISH", ...});
//
// Properties: UID "rebook-<outage>-<appointment>@<uid_domain>" (the same for every offer
// version and kind, so calendars update one event), SEQUENCE = offer version, DTSTAMP,
// DTSTART/DTEND with TZID=Europe/Berlin and a VTIMEZONE block (other zones are written in
// UTC), SUMMARY, LOCATION = office name and address, DESCRIPTION = the plain-text body,
// URL = the respond link, STATUS (TENTATIVE for offers, CONFIRMED, CANCELLED), ORGANIZER and
// ATTENDEE when known. Cancellations use METHOD:CANCEL. Lines end in CRLF and are folded at
// 75 octets without splitting UTF-8 sequences.
#ifndef REBOOK_SERVICES_NOTIFY_EMAIL_ICALENDAR_H_
#define REBOOK_SERVICES_NOTIFY_EMAIL_ICALENDAR_H_

#include <string>
#include <string_view>

#include "services/common/clock.h"
#include "services/common/ical_text.h"  // EscapeICalText, FoldICalLine
#include "services/notify/message.h"

namespace rebook::notify {

struct CalendarOptions {
  std::string method = "PUBLISH";  // PUBLISH or REQUEST; cancellations always CANCEL
  std::string uid_domain = "rebook.invalid";
  std::string organizer_email;  // optional; REQUEST needs it
  std::string organizer_name;
};

std::string BuildICalendar(const RenderedMessage& message, Instant dtstamp,
                           const CalendarOptions& options);

// The METHOD the object for `message` carries under `options`.
std::string CalendarMethod(const RenderedMessage& message, const CalendarOptions& options);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_EMAIL_ICALENDAR_H_
