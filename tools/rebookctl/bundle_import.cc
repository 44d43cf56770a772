#include "tools/rebookctl/bundle_import.h"

#include <map>
#include <regex>

#include "absl/strings/str_cat.h"
#include "services/api/convert.h"
#include "services/bundle/csv_reader.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

struct FileColumns {
  const char* file;
  std::map<std::string, std::string> columns;  // API field (first path segment) -> CSV column
};

const std::map<std::string, FileColumns>& Files() {
  static const auto* files = new std::map<std::string, FileColumns>{
      {"offices",
       {"offices.csv",
        {{"name", "office_id"},
         {"display_name", "name"},
         {"state", "state"},
         {"time_zone", "timezone"}}}},
      {"service_types",
       {"services.csv",
        {{"name", "service_id"},
         {"display_name", "name"},
         {"category", "category"},
         {"duration_minutes", "duration_min"}}}},
      {"clerks",
       {"staff.csv", {{"name", "staff_id"}, {"display_name", "name"}, {"skills", "skills"}}}},
      {"shifts",
       {"shifts.csv",
        {{"name", "office_id"},
         {"clerk", "staff_id"},
         {"interval", "start"},
         {"interval.end_time", "end"},
         {"kind", "kind"}}}},
      {"closures",
       {"closures.csv", {{"name", "office_id"}, {"date", "date"}, {"reason", "reason"}}}},
      {"standing_bookings",
       {"bookings.csv",
        {{"name", "booking_id"},
         {"clerk", "staff_id"},
         {"interval", "start"},
         {"interval.end_time", "end"}}}},
      {"appointments",
       {"appointments.csv",
        {{"name", "appointment_id"},
         {"service_type", "service_id"},
         {"original_start_time", "original_start"},
         {"earliest_start_time", "earliest_start"},
         {"deadline_time", "deadline"},
         {"priority", "priority"},
         {"cases", "cases"},
         {"allowed_offices", "allowed_offices"},
         {"unavailable", "unavailable"},
         {"kind", "kind"},
         {"contact.name", "citizen_name"},
         {"contact.phone", "phone"},
         {"contact.email", "email"},
         {"contact.postal_address", "postal_address"},
         {"contact.language", "language"},
         {"contact.channel", "channel"}}}},
  };
  return *files;
}

// The office of the clerk's shift that overlaps `t` most; "" if none does.
std::string OfficeOfBooking(const std::vector<domain::Shift>& shifts, const std::string& clerk,
                            const domain::TimeInterval& t) {
  std::string best;
  std::chrono::seconds best_overlap{0};
  for (const domain::Shift& s : shifts) {
    if (s.clerk_id != clerk || !s.time.Overlaps(t)) continue;
    auto overlap = std::min(s.time.end, t.end) - std::max(s.time.start, t.start);
    if (overlap > best_overlap) {
      best_overlap = overlap;
      best = s.office_id;
    }
  }
  return best;
}

}  // namespace

std::string ApiShiftId(const std::string& bundle_shift_id) {
  std::string id = bundle_shift_id;
  for (char& c : id) {
    if (c == '@') c = '.';
    if (c == ':') c = '-';
  }
  return id;
}

BundleImport ToImport(const domain::Scenario& s) {
  BundleImport out;
  std::map<std::string, std::string> zone, home;
  for (const domain::Office& o : s.offices) {
    api::ToProto(o, out.capacity.add_offices());
    zone[o.id] = o.time_zone;
  }
  for (const domain::Service& x : s.services) api::ToProto(x, out.capacity.add_service_types());
  for (const domain::Shift& sh : s.shifts) home.emplace(sh.clerk_id, sh.office_id);
  for (domain::Clerk c : s.clerks) {
    if (c.home_office_id.empty() && home.count(c.id)) c.home_office_id = home[c.id];
    api::ToProto(c, out.capacity.add_clerks());
  }
  for (domain::Shift sh : s.shifts) {
    sh.id = ApiShiftId(sh.id);
    api::ToProto(sh, zone[sh.office_id], out.capacity.add_shifts());
  }
  for (const domain::Closure& c : s.closures) api::ToProto(c, out.capacity.add_closures());
  for (std::size_t i = 0; i < s.bookings.size(); ++i) {
    domain::StandingBooking b = s.bookings[i];
    if (b.office_id.empty()) b.office_id = OfficeOfBooking(s.shifts, b.clerk_id, b.time);
    if (b.office_id.empty()) {
      out.warnings.push_back(absl::StrCat("bookings.csv: booking \"", b.id,
                                          "\" lies in no shift of its clerk; skipped"));
      continue;
    }
    api::ToProto(b, zone[b.office_id], out.capacity.add_standing_bookings());
    out.booking_rows.push_back(static_cast<int>(i));
  }
  out.appointments.reserve(s.appointments.size());
  for (const domain::Appointment& a : s.appointments) {
    api::ToProto(
        a, [&](const std::string& office) { return zone[office]; },
        &out.appointments.emplace_back());
  }
  return out;
}

std::string LocateViolation(const std::filesystem::path& dir, const FieldViolation& v,
                            const BundleImport& import) {
  // "<collection>[<row>]", then a dotted field path, then maybe "[<i>]..." inside a list field.
  static const std::regex kPath(R"(^([a-z_]+)\[(\d+)\](?:\.([a-z_.]+))?(?:\[\d+\].*)?$)");
  std::smatch m;
  std::string plain = absl::StrCat(v.field, ": ", v.description);
  if (!std::regex_match(v.field, m, kPath)) return plain;
  auto file = Files().find(m[1].str());
  if (file == Files().end()) return plain;
  int row = std::stoi(m[2].str());
  if (m[1].str() == "standing_bookings") {
    if (row >= static_cast<int>(import.booking_rows.size())) return plain;
    row = import.booking_rows[row];
  }
  std::string field = m[3].matched ? m[3].str() : "name";
  auto column = file->second.columns.find(field);
  if (column == file->second.columns.end()) {
    column = file->second.columns.find(field.substr(0, field.find('.')));
  }
  auto csv = bundle::CsvReader::Open(dir / file->second.file, file->second.file);
  if (!csv.ok()) return plain;
  for (int i = 0; i <= row; ++i) {
    absl::StatusOr<bool> more = (*csv)->Next();
    if (!more.ok() || !*more) return plain;
  }
  int col = column == file->second.columns.end() ? -1 : (*csv)->Find(column->second);
  absl::Status located = col >= 0 ? (*csv)->Error(col, v.description)
                                  : (*csv)->RecordError(absl::StrCat(v.field, ": ", v.description));
  return std::string(located.message());
}

}  // namespace rebook::ctl
