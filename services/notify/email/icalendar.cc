#include "services/notify/email/icalendar.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "services/domain/local_time.h"

namespace rebook::notify {
namespace {

constexpr char kBerlin[] = "Europe/Berlin";

// The EU rules in force since 1996, which every date an office books lies under.
constexpr const char* kBerlinTimezone[] = {"BEGIN:VTIMEZONE",
                                           "TZID:Europe/Berlin",
                                           "BEGIN:DAYLIGHT",
                                           "TZOFFSETFROM:+0100",
                                           "TZOFFSETTO:+0200",
                                           "TZNAME:CEST",
                                           "DTSTART:19700329T020000",
                                           "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                                           "END:DAYLIGHT",
                                           "BEGIN:STANDARD",
                                           "TZOFFSETFROM:+0200",
                                           "TZOFFSETTO:+0100",
                                           "TZNAME:CET",
                                           "DTSTART:19701025T030000",
                                           "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                                           "END:STANDARD",
                                           "END:VTIMEZONE"};

std::string Basic(date::local_seconds t) {
  const date::local_days day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::seconds> hms(t - day);
  return absl::StrFormat("%04d%02u%02uT%02d%02d%02d", static_cast<int>(ymd.year()),
                         static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                         hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string UtcBasic(Instant t) { return Basic(date::local_seconds(t.time_since_epoch())) + "Z"; }

std::string DateProperty(std::string_view name, const std::string& tz, Instant t) {
  if (tz == kBerlin) {
    return absl::StrCat(std::string(name), ";TZID=", kBerlin, ":",
                        Basic(domain::InstantToLocal(tz, t)));
  }
  return absl::StrCat(std::string(name), ":", UtcBasic(t));
}

std::string CalAddress(std::string_view property, const std::string& name, const std::string& email,
                       std::string_view extra) {
  std::string cn;
  if (!name.empty()) {
    cn = absl::StrCat(";CN=\"", absl::StrReplaceAll(name, {{"\"", "'"}, {"\n", " "}}), "\"");
  }
  return absl::StrCat(std::string(property), cn, std::string(extra), ":mailto:", email);
}

}  // namespace

std::string CalendarMethod(const RenderedMessage& message, const CalendarOptions& options) {
  if (message.message.kind == MessageKind::kCancellation) return "CANCEL";
  if (options.method == "REQUEST" && !options.organizer_email.empty()) return "REQUEST";
  return "PUBLISH";
}

std::string BuildICalendar(const RenderedMessage& r, Instant dtstamp,
                           const CalendarOptions& options) {
  const OutgoingMessage& m = r.message;
  const std::string& tz = m.office.time_zone;
  const std::string method = CalendarMethod(r, options);
  std::string status = "CONFIRMED";
  if (m.kind == MessageKind::kOffer) status = "TENTATIVE";
  if (m.kind == MessageKind::kCancellation) status = "CANCELLED";

  std::vector<std::string> lines = {"BEGIN:VCALENDAR", "VERSION:2.0",
                                    "PRODID:-//rebook//notify 1.0//DE", "CALSCALE:GREGORIAN",
                                    absl::StrCat("METHOD:", method)};
  if (tz == kBerlin)
    lines.insert(lines.end(), std::begin(kBerlinTimezone), std::end(kBerlinTimezone));
  lines.push_back("BEGIN:VEVENT");
  lines.push_back(absl::StrCat("UID:rebook-", m.key.outage_id, "-", m.key.appointment_id, "@",
                               options.uid_domain));
  lines.push_back(absl::StrCat("SEQUENCE:", m.key.offer_version));
  lines.push_back(absl::StrCat("DTSTAMP:", UtcBasic(dtstamp)));
  lines.push_back(DateProperty("DTSTART", tz, m.appointment.start));
  lines.push_back(DateProperty("DTEND", tz, m.appointment.end));
  lines.push_back(absl::StrCat(
      "SUMMARY:", EscapeICalText(absl::StrCat(m.appointment.service_name, " – ", m.office.name))));
  lines.push_back(absl::StrCat(
      "LOCATION:",
      EscapeICalText(absl::StrCat(m.office.name, ", ",
                                  absl::StrReplaceAll(m.office.address, {{"\n", ", "}})))));
  lines.push_back(absl::StrCat("DESCRIPTION:", EscapeICalText(r.text)));
  if (!m.links.respond.empty()) lines.push_back(absl::StrCat("URL:", m.links.respond));
  lines.push_back(absl::StrCat("STATUS:", status));
  lines.push_back("TRANSP:OPAQUE");
  if (!options.organizer_email.empty()) {
    lines.push_back(CalAddress("ORGANIZER", options.organizer_name, options.organizer_email, ""));
    if (!m.recipient.email.empty()) {
      lines.push_back(CalAddress("ATTENDEE", m.recipient.name, m.recipient.email,
                                 ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"));
    }
  }
  lines.push_back("END:VEVENT");
  lines.push_back("END:VCALENDAR");
  std::string out;
  for (const std::string& line : lines) out += FoldICalLine(line);
  return out;
}

}  // namespace rebook::notify
