#include "services/export/ics_calendar.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "date/tz.h"
#include "services/common/ical_text.h"
#include "services/domain/local_time.h"

namespace rebook::exports {
namespace {

// SEQUENCE counts seconds from here, so that it fits a 32-bit integer until 2088.
constexpr Instant kSequenceEpoch{std::chrono::seconds(1577836800)};  // 2020-01-01T00:00:00Z

std::string Basic(date::local_seconds t) { return date::format("%Y%m%dT%H%M%S", t); }
std::string UtcBasic(Instant t) { return date::format("%Y%m%dT%H%M%SZ", t); }

std::string Offset(std::chrono::seconds offset) {
  const long s = offset.count();
  const long a = s < 0 ? -s : s;
  if (a % 60 != 0) {
    return absl::StrFormat("%c%02d%02d%02d", s < 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
  }
  return absl::StrFormat("%c%02d%02d", s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

std::string DateProperty(const char* name, const std::string& tz, Instant t) {
  return absl::StrCat(name, ";TZID=", tz, ":", Basic(domain::InstantToLocal(tz, t)));
}

// One event's content lines (unfolded).
struct Event {
  const domain::Appointment* appointment;
  const domain::Office* office;  // where it takes place
  domain::TimeInterval time;
  const char* status;
  std::string clerk_name;
  std::string service_name;
};

class CalendarWriter {
 public:
  CalendarWriter(const Schedule& schedule, const IcsOptions& options, std::string name)
      : schedule_(schedule), options_(options), name_(std::move(name)) {}

  void Add(Event e) { events_.push_back(std::move(e)); }

  std::string Finish() {
    std::vector<std::string> lines = {"BEGIN:VCALENDAR",
                                      "VERSION:2.0",
                                      "PRODID:-//rebook//export 1.0//DE",
                                      "CALSCALE:GREGORIAN",
                                      "METHOD:PUBLISH",
                                      absl::StrCat("X-WR-CALNAME:", EscapeICalText(name_))};
    std::string out;
    for (const std::string& l : lines) out += FoldICalLine(l);
    std::map<std::string, std::pair<Instant, Instant>> zones;  // zone -> period its events span
    for (const Event& e : events_) {
      auto [it, fresh] = zones.try_emplace(e.office->time_zone, e.time.start, e.time.end);
      it->second.first = std::min(it->second.first, e.time.start);
      it->second.second = std::max(it->second.second, e.time.end);
    }
    for (const auto& [tz, span] : zones) out += VTimezone(tz, span.first, span.second);
    for (const Event& e : events_) AppendEvent(e, out);
    out += FoldICalLine("END:VCALENDAR");
    return out;
  }

 private:
  void AppendEvent(const Event& e, std::string& out) const {
    const domain::Appointment& a = *e.appointment;
    const std::string& tz = e.office->time_zone;
    const std::string& original_tz = schedule_.FindOffice(a.office_id)->time_zone;
    std::string description = absl::StrCat("Vorgang ", a.office_id, "/", a.id, "\nUrsprünglich ",
                                           domain::FormatLocal(original_tz, a.original_start), " (",
                                           a.office_id, ")", "\nSprache ", a.contact.language);
    if (!e.clerk_name.empty()) absl::StrAppend(&description, "\nSachbearbeitung ", e.clerk_name);
    if (a.rebooked_slot.has_value()) {
      absl::StrAppend(&description, "\nBestätigt über ",
                      std::string(domain::ToString(a.rebooked_slot->confirmed_via)), " am ",
                      domain::FormatLocal(tz, a.rebooked_slot->confirm_time));
    }
    const long sequence = std::max<long>(0, (a.update_time - kSequenceEpoch).count());
    std::vector<std::string> lines = {
        "BEGIN:VEVENT",
        absl::StrCat("UID:rebook/", a.outage_id.empty() ? schedule_.data().outage_id : a.outage_id,
                     "/", a.office_id, "/", a.id, "@", options_.uid_domain),
        absl::StrCat("DTSTAMP:", UtcBasic(options_.dtstamp)),
        absl::StrCat("LAST-MODIFIED:", UtcBasic(a.update_time)),
        absl::StrCat("SEQUENCE:", sequence),
        DateProperty("DTSTART", tz, e.time.start),
        DateProperty("DTEND", tz, e.time.end),
        absl::StrCat("SUMMARY:",
                     EscapeICalText(absl::StrCat(e.service_name, " (", a.cases, "x) ", a.id))),
        absl::StrCat("LOCATION:", EscapeICalText(absl::StrCat(
                                      e.office->name, ", ",
                                      absl::StrReplaceAll(e.office->address, {{"\n", ", "}})))),
        absl::StrCat("DESCRIPTION:", EscapeICalText(description)),
        absl::StrCat("STATUS:", e.status),
        std::string("TRANSP:") +
            (std::string_view(e.status) == "CANCELLED" ? "TRANSPARENT" : "OPAQUE"),
        "END:VEVENT"};
    for (const std::string& l : lines) out += FoldICalLine(l);
  }

  const Schedule& schedule_;
  const IcsOptions& options_;
  std::string name_;
  std::vector<Event> events_;
};

Event SlotEvent(const ScheduleEntry& e) {
  return {e.appointment, e.office,
          e.slot->time,  e.state == SlotState::kRebooked ? "CONFIRMED" : "TENTATIVE",
          e.clerk_name,  e.service_name};
}

// The outage's entries (rebooked, then held) for which `keep` holds.
template <typename Keep>
void AddSlots(const Schedule& schedule, Keep keep, CalendarWriter& w) {
  for (const auto* list : {&schedule.rebooked(), &schedule.held()}) {
    for (const ScheduleEntry& e : *list) {
      if (keep(e)) w.Add(SlotEvent(e));
    }
  }
}

}  // namespace

std::string VTimezone(const std::string& tz, Instant from, Instant to) {
  const date::time_zone* zone = date::locate_zone(tz);
  std::vector<std::string> lines = {"BEGIN:VTIMEZONE", absl::StrCat("TZID:", tz)};
  date::sys_info info = zone->get_info(from);
  while (true) {
    const bool first_ever = info.begin <= date::sys_seconds(std::chrono::seconds(0));
    const std::chrono::seconds before =
        first_ever ? info.offset : zone->get_info(info.begin - std::chrono::seconds(1)).offset;
    const date::local_seconds start =
        first_ever ? date::local_seconds(std::chrono::seconds(0))
                   : date::local_seconds((info.begin + before).time_since_epoch());
    const char* kind = info.save != std::chrono::minutes(0) ? "DAYLIGHT" : "STANDARD";
    lines.push_back(absl::StrCat("BEGIN:", kind));
    lines.push_back(absl::StrCat("DTSTART:", Basic(start)));
    lines.push_back(absl::StrCat("TZOFFSETFROM:", Offset(before)));
    lines.push_back(absl::StrCat("TZOFFSETTO:", Offset(info.offset)));
    if (!info.abbrev.empty() && info.abbrev[0] != '+' && info.abbrev[0] != '-') {
      lines.push_back(absl::StrCat("TZNAME:", info.abbrev));
    }
    lines.push_back(absl::StrCat("END:", kind));
    if (info.end > to || info.end >= date::sys_days(date::year(9999) / 1 / 1)) break;
    info = zone->get_info(info.end);
  }
  lines.push_back("END:VTIMEZONE");
  std::string out;
  for (const std::string& l : lines) out += FoldICalLine(l);
  return out;
}

std::string OfficeCalendar(const Schedule& schedule, const std::string& office_id,
                           const IcsOptions& options) {
  const domain::Office* office = schedule.FindOffice(office_id);
  CalendarWriter w(schedule, options,
                   absl::StrCat("rebook ", office != nullptr ? office->name : office_id));
  AddSlots(
      schedule, [&](const ScheduleEntry& e) { return e.slot->office_id == office_id; }, w);
  for (const domain::Appointment* a : schedule.unscheduled()) {
    if (a->office_id != office_id) continue;
    const Instant end =
        a->original_start + std::chrono::minutes(a->cases * schedule.ServiceMinutes(a->service_id));
    w.Add({a,
           office,
           {a->original_start, end},
           "CANCELLED",
           "",
           schedule.ServiceName(a->service_id)});
  }
  return w.Finish();
}

std::string ClerkCalendar(const Schedule& schedule, const std::string& clerk_id,
                          const IcsOptions& options) {
  std::string name = clerk_id;
  for (const domain::Clerk& c : schedule.data().clerks) {
    if (c.id == clerk_id && !c.name.empty()) name = c.name;
  }
  CalendarWriter w(schedule, options, absl::StrCat("rebook ", name));
  AddSlots(
      schedule, [&](const ScheduleEntry& e) { return e.slot->clerk_id == clerk_id; }, w);
  return w.Finish();
}

std::vector<NamedCalendar> CalendarsPerOffice(const Schedule& schedule, const IcsOptions& options) {
  std::set<std::string> ids;
  for (const domain::Appointment* a : schedule.unscheduled()) ids.insert(a->office_id);
  for (const auto* list : {&schedule.rebooked(), &schedule.held()}) {
    for (const ScheduleEntry& e : *list) ids.insert(e.slot->office_id);
  }
  std::vector<NamedCalendar> out;
  for (const std::string& id : ids) {
    out.push_back({absl::StrCat("office-", id, ".ics"), OfficeCalendar(schedule, id, options)});
  }
  return out;
}

std::vector<NamedCalendar> CalendarsPerClerk(const Schedule& schedule, const IcsOptions& options) {
  std::set<std::string> ids;
  for (const auto* list : {&schedule.rebooked(), &schedule.held()}) {
    for (const ScheduleEntry& e : *list) ids.insert(e.slot->clerk_id);
  }
  std::vector<NamedCalendar> out;
  for (const std::string& id : ids) {
    out.push_back({absl::StrCat("clerk-", id, ".ics"), ClerkCalendar(schedule, id, options)});
  }
  return out;
}

}  // namespace rebook::exports
