// The words of "Why this slot?": staff lines (de, en) and the citizen's sentence.
#include <algorithm>
#include <array>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/domain/local_time.h"
#include "services/rebooking/slot_explanation.h"

namespace rebook::rebooking {
namespace {

bool English(std::string_view language) { return language.substr(0, 2) == "en"; }

std::string Day(domain::LocalDate d, bool en) {
  static constexpr std::array<const char*, 7> kDe = {"So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"};
  static constexpr std::array<const char*, 7> kEn = {"Sun", "Mon", "Tue", "Wed",
                                                     "Thu", "Fri", "Sat"};
  const unsigned wd = date::weekday(date::sys_days(d)).c_encoding();
  const unsigned day = static_cast<unsigned>(d.day()), month = static_cast<unsigned>(d.month());
  if (en)
    return absl::StrFormat("%s %04d-%02u-%02u", kEn[wd], static_cast<int>(d.year()), month, day);
  return absl::StrFormat("%s %02u.%02u.%04d", kDe[wd], day, month, static_cast<int>(d.year()));
}

// "YYYY-MM-DDTHH:MM" local -> "DD.MM.YYYY HH:MM" (de) or "YYYY-MM-DD HH:MM" (en).
std::string When(std::string_view zone, Instant t, bool en) {
  const domain::LocalDateTime local = domain::InstantToLocal(zone, t);
  const auto day = date::floor<date::days>(local);
  const date::hh_mm_ss<std::chrono::seconds> time{local - day};
  return absl::StrCat(Day(domain::LocalDate(day), en),
                      absl::StrFormat(" %02d:%02d", time.hours().count(), time.minutes().count()));
}

std::string OfficeName(const domain::Scenario& s, const std::string& id) {
  const domain::Office* o = domain::FindOffice(s.offices, id);
  return o != nullptr && !o->name.empty() ? o->name : id;
}

std::string ServiceName(const domain::Scenario& s, const std::string& id) {
  for (const domain::Service& sv : s.services) {
    if (sv.id == id) return sv.name.empty() ? id : sv.name;
  }
  return id;
}

std::string ReasonText(const DayExplanation& d, const std::string& service, bool en) {
  const std::int64_t need = d.needed_minutes;
  switch (d.reason) {
    case DayReason::kOfficeClosed:
      return en ? absl::StrCat("closed (", d.detail, ")")
                : absl::StrCat("geschlossen (", d.detail, ")");
    case DayReason::kHoliday:
      return en ? absl::StrCat("public holiday (", d.detail, ")")
                : absl::StrCat("Feiertag (", d.detail, ")");
    case DayReason::kNoOpening:
      return en ? "no opening hours" : "keine Sprechzeiten";
    case DayReason::kNoQualifiedClerk:
      return en ? absl::StrCat("no clerk on duty who handles \"", service, "\"")
                : absl::StrCat("niemand im Dienst, der \"", service, "\" bearbeitet");
    case DayReason::kBeforeNotice:
      return en ? "too soon: offers need the minimum notice"
                : "zu kurzfristig: Angebote brauchen den Mindestvorlauf";
    case DayReason::kBeforeEarliest:
      return en ? "before the earliest date the citizen gave"
                : "vor dem frühesten Termin, den die Person genannt hat";
    case DayReason::kAfterDeadline:
      return en ? "after the citizen's deadline" : "nach der Frist der Person";
    case DayReason::kFull:
      return en ? absl::StrFormat(
                      "fully booked: qualified clerks have %d min free, at most %d min "
                      "in one piece; %d min are needed",
                      d.free_minutes, d.longest_free_minutes, need)
                : absl::StrFormat(
                      "ausgebucht: bei den zuständigen Sachbearbeitern %d Min. frei, "
                      "am Stück höchstens %d Min.; benötigt werden %d Min.",
                      d.free_minutes, d.longest_free_minutes, need);
    case DayReason::kDeadlinePriority:
      return en ? absl::StrFormat(
                      "fully booked: %d of the %d rebooked places went to citizens "
                      "with an earlier deadline (rule: deadlines first); %d min free, "
                      "%d min needed",
                      d.priority_places, d.places_taken, d.free_minutes, need)
                : absl::StrFormat(
                      "ausgebucht: %d der %d umgebuchten Termine gingen an Personen "
                      "mit früherer Frist (Regel: Fristen gehen vor); %d Min. frei, "
                      "%d Min. benötigt",
                      d.priority_places, d.places_taken, d.free_minutes, need);
    case DayReason::kCitizenUnavailable:
      return en ? absl::StrFormat(
                      "free time (%d min) only when the citizen cannot come "
                      "(unavailable times or a declined offer)",
                      d.free_minutes)
                : absl::StrFormat(
                      "frei (%d Min.) nur zu Zeiten, an denen die Person verhindert "
                      "ist (angegebene Zeiten oder abgelehntes Angebot)",
                      d.free_minutes);
    case DayReason::kReserve:
      return en ? absl::StrFormat(
                      "reserve for regular bookings reached: %d %% of the free time "
                      "stays bookable; %d of %d min for rebookings used, %d min needed",
                      d.reserve_percent, d.rebooked_minutes, d.regular_cap_minutes, need)
                : absl::StrFormat(
                      "Reserve für reguläre Buchungen erreicht: %d %% der freien Zeit "
                      "bleiben buchbar; %d von %d Min. für Umbuchungen vergeben, %d "
                      "Min. benötigt",
                      d.reserve_percent, d.rebooked_minutes, d.regular_cap_minutes, need);
    case DayReason::kFreeUnused:
      return en ? absl::StrFormat(
                      "now free (%d min in one piece, %d min needed): a re-plan can "
                      "offer this day",
                      d.longest_free_minutes, need)
                : absl::StrFormat(
                      "jetzt frei (%d Min. am Stück, %d Min. benötigt): eine "
                      "Neuplanung kann diesen Tag anbieten",
                      d.longest_free_minutes, need);
  }
  return "";
}

}  // namespace

std::vector<std::string> StaffText(const SlotExplanation& e, const domain::Scenario& s,
                                   std::string_view language) {
  const bool en = English(language);
  std::vector<std::string> lines;
  const domain::Office* home = domain::FindOffice(s.offices, e.appointment_office_id);
  const std::string zone = home != nullptr ? home->time_zone : "Europe/Berlin";
  if (e.slot.has_value()) {
    const domain::Office* at = domain::FindOffice(s.offices, e.slot->office_id);
    lines.push_back(absl::StrCat(en ? "Slot: " : "Termin: ",
                                 When(at != nullptr ? at->time_zone : zone, e.slot->time.start, en),
                                 ", ", OfficeName(s, e.slot->office_id)));
  } else {
    lines.push_back(en ? "No slot yet: the plan could not place this appointment."
                       : "Noch kein Termin: der Plan konnte diesen Termin nicht unterbringen.");
  }
  lines.push_back(absl::StrCat(en ? "Earliest possible start (minimum notice, earliest date): "
                                  : "Frühestmöglicher Beginn (Mindestvorlauf, frühester Wunsch): ",
                               When(zone, e.earliest_possible, en)));
  std::vector<std::string> names;
  for (const std::string& id : e.allowed_offices) names.push_back(OfficeName(s, id));
  lines.push_back(absl::StrCat(
      en ? "Offices in question: " : "In Frage kommende Standorte: ", absl::StrJoin(names, ", "),
      e.only_original_office ? (en ? " (the citizen allowed no other office)"
                                   : " (die Person hat keinen anderen Standort zugelassen)")
                             : ""));
  if (e.days.empty()) {
    lines.push_back(en ? "No earlier day lies in the planning horizon."
                       : "Kein früherer Tag liegt im Planungszeitraum.");
  }
  const std::string service = ServiceName(s, e.service_id);
  for (const DayExplanation& d : e.days) {
    std::string where = names.size() > 1 ? absl::StrCat(" ", OfficeName(s, d.office_id)) : "";
    lines.push_back(absl::StrCat(Day(d.day, en), where, ": ", ReasonText(d, service, en)));
  }
  return lines;
}

std::string CitizenText(const SlotExplanation& e, std::string_view language) {
  const bool en = English(language);
  if (e.days.empty()) return "";
  // The reasons in words for the citizen, most frequent first; the rest is for staff.
  std::map<std::string, int> count;
  for (const DayExplanation& d : e.days) {
    std::string phrase;
    switch (d.reason) {
      case DayReason::kOfficeClosed:
      case DayReason::kHoliday:
      case DayReason::kNoOpening:
        phrase = en ? "the office was closed" : "das Amt geschlossen war";
        break;
      case DayReason::kNoQualifiedClerk:
        phrase = en ? "no one who handles your matter was on duty"
                    : "niemand für Ihr Anliegen im Dienst war";
        break;
      case DayReason::kBeforeNotice:
        phrase = en ? "appointments need some notice" : "Termine einen Mindestvorlauf brauchen";
        break;
      case DayReason::kBeforeEarliest:
      case DayReason::kAfterDeadline:
      case DayReason::kCitizenUnavailable:
        phrase =
            en ? "you cannot come at the free times" : "Sie zu den freien Zeiten verhindert sind";
        break;
      case DayReason::kFull:
      case DayReason::kDeadlinePriority:
        phrase = en ? "all appointments were taken" : "alle Termine vergeben waren";
        break;
      case DayReason::kReserve:
        phrase = en ? "part of the time stays free for regular bookings"
                    : "ein Teil der Zeit für reguläre Buchungen frei bleibt";
        break;
      case DayReason::kFreeUnused:
        continue;
    }
    count[phrase] += 1;
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [phrase, n] : count) ranked.push_back({-n, phrase});
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> phrases;
  for (std::size_t i = 0; i < ranked.size() && i < 3; ++i) phrases.push_back(ranked[i].second);
  if (phrases.empty()) {
    return en ? "An earlier appointment has become free; the office can offer it to you."
              : "Inzwischen ist ein früherer Termin frei geworden; das Amt kann ihn Ihnen "
                "anbieten.";
  }
  std::string joined = phrases.front();
  for (std::size_t i = 1; i < phrases.size(); ++i) {
    joined += (i + 1 == phrases.size() ? (en ? " and " : " und ") : ", ") + phrases[i];
  }
  return absl::StrCat(
      en ? "No earlier appointment was possible because " : "Früher war kein Termin frei, weil ",
      joined, ".");
}

}  // namespace rebook::rebooking
