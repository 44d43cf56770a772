// ReadZmsFolder: scopes, availabilities and processes of a ZMS export -> a rebook scenario.
#include "services/interop/zms_import.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/bundle/scenario_bundle.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/interop/zms_records.h"

namespace rebook::interop {
namespace {

using internal::ZmsAvailability;

// Process states that are no booking a citizen will come to (free, reserved for a few minutes,
// deleted, done, ...): skipped.
const std::set<std::string>& SkippedStates() {
  static const auto* s =
      new std::set<std::string>{"free",     "reserved", "deleted", "blocked", "anonymized",
                                "archived", "finished", "missed",  "conflict"};
  return *s;
}

struct Process {
  std::string path;
  std::string id;
  std::string office_id;
  Instant start;
  int slot_count = 1;
  std::string service_id;
  std::string service_name;
  int time_slot_count = 1;
  domain::Contact contact;
  bool has_language = false;
};

struct Reader {
  const ZmsImportOptions& options;
  ZmsImport out;
  std::map<std::string, std::string> zones;                // office -> zone
  std::map<std::string, int> slot_minutes;                 // office -> slot length
  std::map<std::string, std::vector<std::string>> clerks;  // office -> workstation clerks
  std::vector<Process> processes;
  std::vector<ZmsAvailability> availabilities;

  domain::Scenario& s() { return out.scenario; }

  absl::Status ReadScopes(const JsonCursor& recs);
  absl::Status ReadProcesses(const JsonCursor& recs);
  absl::Status ReadProcess(const JsonCursor& rec);
  absl::Status BuildCapacity();
  absl::Status BuildServices();
  void PlaceProcesses();
};

absl::StatusOr<std::string> Joined(std::initializer_list<JsonCursor> parts, const char* sep) {
  std::vector<std::string> texts;
  for (const JsonCursor& c : parts) {
    REBOOK_ASSIGN_OR_RETURN(std::string t, c.String());
    if (!t.empty()) texts.push_back(std::move(t));
  }
  return absl::StrJoin(texts, sep);
}

absl::Status Reader::ReadScopes(const JsonCursor& recs) {
  for (std::size_t i = 0; i < recs.Size(); ++i) {
    JsonCursor rec = recs.At(i);
    if (!rec.IsObject()) return rec.Error("is not an object");
    REBOOK_ASSIGN_OR_RETURN(std::int64_t id, rec.Get("id").Int());
    if (id <= 0) return rec.Get("id").Error("is not a scope id");
    domain::Office o;
    o.id = absl::StrCat(id);
    if (zones.count(o.id)) return rec.Get("id").Error(absl::StrCat("scope ", id, " twice"));
    JsonCursor contact = rec.Get("contact"), provider = rec.Get("provider");
    REBOOK_ASSIGN_OR_RETURN(std::string place, contact.Get("name").String());
    if (place.empty()) {
      REBOOK_ASSIGN_OR_RETURN(place, provider.Get("name").String());
    }
    REBOOK_ASSIGN_OR_RETURN(std::string short_name, rec.Get("shortName").String());
    o.name = short_name.empty() || place.empty() ? place + short_name
                                                 : absl::StrCat(place, " (", short_name, ")");
    if (o.name.empty()) o.name = absl::StrCat("Scope ", id);
    if (!contact.IsObject()) contact = provider.Get("contact");
    REBOOK_ASSIGN_OR_RETURN(std::string street,
                            Joined({contact.Get("street"), contact.Get("streetNumber")}, " "));
    REBOOK_ASSIGN_OR_RETURN(std::string city,
                            Joined({contact.Get("postalCode"), contact.Get("city")}, " "));
    o.address = street.empty() || city.empty() ? street + city : absl::StrCat(street, ", ", city);
    if (const domain::Office* known = domain::FindOffice(options.existing.offices, o.id)) {
      o.state = known->state;
      o.time_zone = known->time_zone;
      o.offer_ttl = known->offer_ttl;
      if (o.address.empty()) o.address = known->address;
    } else {
      o.state = options.state;
      o.time_zone = options.time_zone;
      out.notes.push_back(absl::StrCat("office ", o.id, " (", o.name, "): new, time zone ",
                                       o.time_zone, " and state ", o.state, " (defaults)"));
    }
    zones[o.id] = o.time_zone;
    s().offices.push_back(std::move(o));
  }
  if (s().offices.empty()) return recs.Error("holds no scope");
  return absl::OkStatus();
}

absl::Status Reader::ReadProcess(const JsonCursor& rec) {
  if (!rec.IsObject()) return rec.Error("is not an object");
  REBOOK_ASSIGN_OR_RETURN(std::string status, rec.Get("status").String());
  if (SkippedStates().count(status)) return absl::OkStatus();
  Process p;
  p.path = rec.path();
  REBOOK_ASSIGN_OR_RETURN(std::int64_t id, rec.Get("id").Int());
  if (id <= 0) return rec.Get("id").Error("is not a process id");
  p.id = absl::StrCat(id);
  JsonCursor appt = rec.Get("appointments").At(0);
  if (!appt.IsObject()) return appt.Error("is missing: a process without an appointment");
  REBOOK_ASSIGN_OR_RETURN(std::int64_t date, appt.Get("date").Int());
  if (date <= 0) return appt.Get("date").Error("is not a unix timestamp");
  p.start = Instant(std::chrono::seconds(date));
  JsonCursor scope_id = appt.Get("scope").Get("id");
  if (scope_id.IsNull()) scope_id = rec.Get("scope").Get("id");
  REBOOK_ASSIGN_OR_RETURN(std::int64_t scope, scope_id.Int());
  p.office_id = absl::StrCat(scope);
  if (!zones.count(p.office_id)) {
    return scope_id.Error(absl::StrCat("scope ", scope, " is not in scopes.json"));
  }
  REBOOK_ASSIGN_OR_RETURN(std::optional<std::int64_t> slots, appt.Get("slotCount").OptionalInt());
  if (slots && (*slots < 1 || *slots > 100)) {
    return appt.Get("slotCount").Error(absl::StrCat(*slots, " is not in [1, 100]"));
  }
  p.slot_count = slots ? static_cast<int>(*slots) : 1;
  JsonCursor request = rec.Get("requests").At(0);
  if (!request.IsObject()) return request.Error("is missing: a process without a request");
  REBOOK_ASSIGN_OR_RETURN(p.service_id, request.Get("id").String());
  if (!domain::IsValidId(p.service_id)) {
    return request.Get("id").Error(absl::StrCat("\"", p.service_id, "\" is not a service id"));
  }
  REBOOK_ASSIGN_OR_RETURN(p.service_name, request.Get("name").String());
  REBOOK_ASSIGN_OR_RETURN(std::optional<std::int64_t> tsc,
                          request.Get("timeSlotCount").OptionalInt());
  if (tsc && (*tsc < 1 || *tsc > 100)) {
    return request.Get("timeSlotCount").Error(absl::StrCat(*tsc, " is not in [1, 100]"));
  }
  p.time_slot_count = tsc ? static_cast<int>(*tsc) : 1;
  JsonCursor client = rec.Get("clients").At(0);
  REBOOK_ASSIGN_OR_RETURN(p.contact.name, client.Get("familyName").String());
  REBOOK_ASSIGN_OR_RETURN(p.contact.email, client.Get("email").String());
  REBOOK_ASSIGN_OR_RETURN(p.contact.phone, client.Get("telephone").String());
  REBOOK_ASSIGN_OR_RETURN(std::string language, client.Get("language").String());
  p.has_language = !language.empty();
  p.contact.language = p.has_language ? language : options.language;
  processes.push_back(std::move(p));
  return absl::OkStatus();
}

absl::Status Reader::ReadProcesses(const JsonCursor& recs) {
  std::map<std::string, std::string> seen;  // id -> path
  std::size_t skipped = 0;
  for (std::size_t i = 0; i < recs.Size(); ++i) {
    std::size_t before = processes.size();
    REBOOK_RETURN_IF_ERROR(ReadProcess(recs.At(i)));
    if (processes.size() == before) {
      ++skipped;
      continue;
    }
    const Process& p = processes.back();
    auto [it, fresh] = seen.emplace(p.id, p.path);
    if (!fresh) {
      return recs.At(i).Get("id").Error(absl::StrCat("process ", p.id, " also at ", it->second));
    }
  }
  if (skipped > 0) {
    out.notes.push_back(absl::StrCat(skipped,
                                     " process(es) skipped: their status is no booking "
                                     "(free, reserved, deleted, finished, ...)"));
  }
  return absl::OkStatus();
}

absl::Status Reader::BuildCapacity() {
  std::map<std::string, int> workstations;
  for (const ZmsAvailability& a : availabilities) {
    workstations[a.office_id] = std::max(workstations[a.office_id], a.workstations);
    if (a.slot_minutes && !slot_minutes.count(a.office_id)) {
      slot_minutes[a.office_id] = *a.slot_minutes;
    }
  }
  std::map<std::string, std::set<std::string>> services_at;
  std::set<std::string> all_services;
  for (const Process& p : processes) {
    services_at[p.office_id].insert(p.service_id);
    all_services.insert(p.service_id);
  }
  for (const domain::Office& o : s().offices) {
    if (!slot_minutes.count(o.id)) {
      slot_minutes[o.id] = 10;
      out.notes.push_back(
          absl::StrCat("office ", o.id, ": no slotTimeInMinutes, 10 minutes a slot (ZMS default)"));
    }
    std::vector<const domain::Clerk*> staff;
    for (const domain::Clerk& c : options.existing.clerks)
      if (c.home_office_id == o.id) staff.push_back(&c);
    std::sort(staff.begin(), staff.end(), [](auto* a, auto* b) { return a->id < b->id; });
    const std::set<std::string>& skills =
        services_at.count(o.id) ? services_at[o.id] : all_services;
    int defaults = 0;
    for (int n = 1; n <= workstations[o.id]; ++n) {
      domain::Clerk c;
      if (n <= static_cast<int>(staff.size())) {
        c = *staff[n - 1];
      } else {
        c.id = absl::StrCat(o.id, "-ws", n);
        c.name = absl::StrCat("Arbeitsplatz ", n);
        c.skills.assign(skills.begin(), skills.end());
        c.home_office_id = o.id;
        ++defaults;
      }
      clerks[o.id].push_back(c.id);
      s().clerks.push_back(std::move(c));
    }
    if (defaults > 0) {
      out.notes.push_back(
          absl::StrCat("office ", o.id, ": ", defaults,
                       " workstation(s) without a clerk in the current "
                       "capacity: clerks \"",
                       o.id, "-ws<n>\" named \"Arbeitsplatz <n>\" with the skills ",
                       skills.empty() ? std::string("(none)") : absl::StrJoin(skills, ";")));
    }
  }
  // One shift per workstation and day the availability applies on, in the horizon.
  domain::LocalDate first = options.days.front();
  std::map<std::string, std::vector<std::pair<domain::TimeInterval, std::string>>> taken;
  for (int d = 0; d < options.horizon_days; ++d) {
    domain::LocalDate day{date::sys_days{first} + date::days{d}};
    for (const ZmsAvailability& a : availabilities) {
      if (!a.AppliesOn(day)) continue;
      const std::string& tz = zones[a.office_id];
      date::local_seconds midnight{date::local_days{day}};
      domain::LocalDateTime from = midnight + std::chrono::minutes(a.start_min);
      REBOOK_ASSIGN_OR_RETURN(Instant start, domain::LocalToInstant(tz, from));
      REBOOK_ASSIGN_OR_RETURN(
          Instant end, domain::LocalToInstant(tz, midnight + std::chrono::minutes(a.end_min)));
      for (int n = 0; n < a.workstations; ++n) {
        const std::string& clerk = clerks[a.office_id][n];
        domain::TimeInterval t{start, end};
        for (const auto& [other, path] : taken[clerk]) {
          if (other.Overlaps(t)) {
            return absl::InvalidArgumentError(
                absl::StrCat("availabilities.json: ", a.path, ": overlaps ", path, " on ",
                             domain::FormatLocalDate(day), " (workstation ", n + 1,
                             "): merge them or lower a workstationCount"));
          }
        }
        taken[clerk].push_back({t, a.path});
        domain::Shift sh;
        sh.id = bundle::ShiftId(clerk, domain::FormatLocalDateTime(from));
        sh.clerk_id = clerk;
        sh.office_id = a.office_id;
        sh.time = t;
        s().shifts.push_back(std::move(sh));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Reader::BuildServices() {
  std::map<std::string, std::size_t> index;
  for (const Process& p : processes) {
    if (index.count(p.service_id)) continue;
    domain::Service v;
    v.id = p.service_id;
    v.name = p.service_name.empty() ? p.service_id : p.service_name;
    v.duration_min = slot_minutes[p.office_id] * p.time_slot_count;
    for (const domain::Service& known : options.existing.services)
      if (known.id == v.id) v.category = known.category;
    index[v.id] = s().services.size();
    s().services.push_back(std::move(v));
  }
  return absl::OkStatus();
}

// Processes of the outage days -> appointments; later ones in the horizon -> standing bookings
// on the first workstation whose shift holds them and which is still free.
void Reader::PlaceProcesses() {
  std::set<domain::LocalDate> days(options.days.begin(), options.days.end());
  domain::LocalDate last{date::sys_days{options.days.front()} +
                         date::days{options.horizon_days - 1}};
  std::map<std::string, std::vector<domain::TimeInterval>> busy;
  std::size_t unplaced = 0, outside = 0, without_language = 0;
  for (const Process& p : processes) {
    domain::LocalDate day = domain::LocalDateOf(zones[p.office_id], p.start);
    int minutes = slot_minutes[p.office_id] * p.slot_count;
    if (days.count(day)) {
      domain::Appointment a;
      a.id = p.id;
      a.office_id = p.office_id;
      a.service_id = p.service_id;
      a.original_start = p.start;
      a.cases = std::max(1, (p.slot_count + p.time_slot_count - 1) / p.time_slot_count);
      a.contact = p.contact;
      if (!p.has_language) ++without_language;
      s().appointments.push_back(std::move(a));
      continue;
    }
    if (day < *days.begin() || day > last) {
      ++outside;
      continue;
    }
    domain::TimeInterval t{p.start, p.start + std::chrono::minutes(minutes)};
    bool placed = false;
    for (const domain::Shift& sh : s().shifts) {
      if (sh.office_id != p.office_id || !sh.time.Contains(t)) continue;
      auto& mine = busy[sh.clerk_id];
      if (std::any_of(mine.begin(), mine.end(), [&](auto& b) { return b.Overlaps(t); })) continue;
      mine.push_back(t);
      s().bookings.push_back({absl::StrCat("zms-", p.id), sh.clerk_id, p.office_id, t});
      placed = true;
      break;
    }
    if (!placed) ++unplaced;
  }
  if (without_language > 0) {
    out.notes.push_back(absl::StrCat(without_language, " client(s) without a language: \"",
                                     options.language, "\""));
  }
  if (outside > 0) {
    out.notes.push_back(absl::StrCat(outside, " process(es) outside the outage days and the ",
                                     options.horizon_days, "-day horizon: not imported"));
  }
  if (unplaced > 0) {
    out.notes.push_back(absl::StrCat(unplaced,
                                     " later process(es) fit no free workstation of "
                                     "their scope's availability: they block nothing"));
  }
}

absl::StatusOr<nlohmann::json> Parse(std::string_view text, const char* file) {
  return ParseJson(text, file);
}

}  // namespace

absl::StatusOr<ZmsImport> ReadZmsTexts(std::string_view scopes, std::string_view availabilities,
                                       std::string_view processes,
                                       const ZmsImportOptions& options) {
  if (options.horizon_days < 1 || options.horizon_days > 366) {
    return absl::InvalidArgumentError("the horizon must be 1 to 366 days");
  }
  REBOOK_ASSIGN_OR_RETURN(nlohmann::json scope_doc, Parse(scopes, "scopes.json"));
  REBOOK_ASSIGN_OR_RETURN(nlohmann::json avail_doc, Parse(availabilities, "availabilities.json"));
  REBOOK_ASSIGN_OR_RETURN(nlohmann::json process_doc, Parse(processes, "processes.json"));
  REBOOK_ASSIGN_OR_RETURN(JsonCursor scope_recs, ZmsRecords(scope_doc, "scopes.json"));
  REBOOK_ASSIGN_OR_RETURN(JsonCursor avail_recs, ZmsRecords(avail_doc, "availabilities.json"));
  REBOOK_ASSIGN_OR_RETURN(JsonCursor process_recs, ZmsRecords(process_doc, "processes.json"));

  ZmsImportOptions opts = options;
  Reader r{opts, {}, {}, {}, {}, {}, {}};
  REBOOK_RETURN_IF_ERROR(r.ReadScopes(scope_recs));
  for (std::size_t i = 0; i < avail_recs.Size(); ++i) {
    REBOOK_ASSIGN_OR_RETURN(std::optional<ZmsAvailability> a,
                            internal::ReadAvailability(avail_recs.At(i), r.zones));
    if (a) r.availabilities.push_back(std::move(*a));
  }
  if (r.availabilities.empty())
    return avail_recs.Error("holds no availability of type appointment");
  REBOOK_RETURN_IF_ERROR(r.ReadProcesses(process_recs));
  if (opts.days.empty()) {
    if (r.processes.empty()) return process_recs.Error("holds no booked process");
    auto first = std::min_element(r.processes.begin(), r.processes.end(),
                                  [](auto& a, auto& b) { return a.start < b.start; });
    opts.days.push_back(domain::LocalDateOf(r.zones[first->office_id], first->start));
    r.out.notes.push_back(absl::StrCat("outage day ", domain::FormatLocalDate(opts.days[0]),
                                       " (the earliest process; --day chooses)"));
  }
  std::sort(opts.days.begin(), opts.days.end());
  REBOOK_RETURN_IF_ERROR(r.BuildCapacity());
  REBOOK_RETURN_IF_ERROR(r.BuildServices());
  r.PlaceProcesses();
  domain::Scenario& s = r.s();
  const std::string& tz = s.offices.front().time_zone;
  s.params.horizon_start = domain::StartOfLocalDay(tz, opts.days.front());
  s.params.horizon_end = domain::StartOfLocalDay(
      tz, domain::LocalDate{date::sys_days{opts.days.front()} + date::days{opts.horizon_days}});
  return std::move(r.out);
}

absl::StatusOr<ZmsImport> ReadZmsFolder(const std::filesystem::path& dir,
                                        const ZmsImportOptions& options) {
  std::string texts[3];
  const char* names[3] = {"scopes.json", "availabilities.json", "processes.json"};
  for (int i = 0; i < 3; ++i) {
    std::ifstream in(dir / names[i], std::ios::binary);
    if (!in) {
      return absl::NotFoundError(
          absl::StrCat(names[i], ": cannot open ", (dir / names[i]).string()));
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    texts[i] = buf.str();
  }
  return ReadZmsTexts(texts[0], texts[1], texts[2], options);
}

}  // namespace rebook::interop
