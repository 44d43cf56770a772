// WriteScenarioBundle: writes a scenario as the CSV files of a bundle folder.
#include <fstream>
#include <string>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/bundle/appointments_csv.h"
#include "services/bundle/csv_reader.h"
#include "services/bundle/scenario_bundle.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"

namespace rebook::bundle {
namespace {

namespace fs = std::filesystem;
using domain::Scenario;

// Buffers rows and writes the file in one go.
class CsvFile {
 public:
  explicit CsvFile(const std::vector<std::string>& header) { AppendCsvRow(header, text_); }
  void Row(const std::vector<std::string>& fields) {
    AppendCsvRow(fields, text_);
    if (text_.size() > (8u << 20)) Flush();
  }
  absl::Status WriteTo(const fs::path& path) {
    if (!out_.is_open()) out_.open(path, std::ios::binary | std::ios::trunc);
    Flush();
    out_.close();
    if (out_.fail()) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
    return absl::OkStatus();
  }
  void OpenEarly(const fs::path& path) { out_.open(path, std::ios::binary | std::ios::trunc); }

 private:
  void Flush() {
    if (out_.is_open()) {
      out_ << text_;
      text_.clear();
    }
  }
  std::string text_;
  std::ofstream out_;
};

std::string Number(double x) { return absl::StrFormat("%.10g", x); }

std::string ZoneOf(const Scenario& s, const std::unordered_map<std::string, int>& offices,
                   const std::string& office_id) {
  auto it = offices.find(office_id);
  if (it != offices.end()) return s.offices[it->second].time_zone;
  return s.offices.empty() ? "Europe/Berlin" : s.offices[0].time_zone;
}

}  // namespace

absl::Status WriteScenarioBundle(const Scenario& s, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return absl::InternalError(absl::StrCat("cannot create ", dir.string(), ": ", ec.message()));
  std::unordered_map<std::string, int> offices;
  for (std::size_t i = 0; i < s.offices.size(); ++i) offices.emplace(s.offices[i].id, i);
  const std::string tz0 = s.offices.empty() ? "Europe/Berlin" : s.offices[0].time_zone;

  CsvFile params({"horizon_start", "horizon_end", "reserve_share", "w_unassigned",
                  "w_office_change", "w_overtime_min"});
  params.Row({domain::FormatLocal(tz0, s.params.horizon_start),
              domain::FormatLocal(tz0, s.params.horizon_end), Number(s.params.reserve_share),
              Number(s.params.w_unassigned), Number(s.params.w_office_change),
              Number(s.params.w_overtime_min)});
  REBOOK_RETURN_IF_ERROR(params.WriteTo(dir / "params.csv"));

  CsvFile office_csv({"office_id", "name", "state", "timezone", "address"});
  for (const auto& o : s.offices) office_csv.Row({o.id, o.name, o.state, o.time_zone, o.address});
  REBOOK_RETURN_IF_ERROR(office_csv.WriteTo(dir / "offices.csv"));

  CsvFile services({"service_id", "name", "category", "duration_min"});
  for (const auto& v : s.services) {
    services.Row(
        {v.id, v.name, std::string(domain::ToString(v.category)), absl::StrCat(v.duration_min)});
  }
  REBOOK_RETURN_IF_ERROR(services.WriteTo(dir / "services.csv"));

  CsvFile staff({"staff_id", "name", "skills", "home_office_id"});
  for (const auto& c : s.clerks) {
    staff.Row({c.id, c.name, absl::StrJoin(c.skills, ";"), c.home_office_id});
  }
  REBOOK_RETURN_IF_ERROR(staff.WriteTo(dir / "staff.csv"));

  CsvFile shifts({"staff_id", "office_id", "start", "end", "kind"});
  shifts.OpenEarly(dir / "shifts.csv");
  for (const auto& sh : s.shifts) {
    const std::string tz = ZoneOf(s, offices, sh.office_id);
    shifts.Row({sh.clerk_id, sh.office_id, domain::FormatLocal(tz, sh.time.start),
                domain::FormatLocal(tz, sh.time.end), std::string(domain::ToString(sh.kind))});
  }
  REBOOK_RETURN_IF_ERROR(shifts.WriteTo(dir / "shifts.csv"));

  CsvFile closures({"office_id", "date", "reason"});
  for (const auto& c : s.closures)
    closures.Row({c.office_id, domain::FormatLocalDate(c.date), c.reason});
  REBOOK_RETURN_IF_ERROR(closures.WriteTo(dir / "closures.csv"));

  // Bookings are written in the zone of the clerk's offices, as the reader expects.
  std::unordered_map<std::string, std::string> clerk_zone;
  for (const auto& sh : s.shifts) clerk_zone.emplace(sh.clerk_id, ZoneOf(s, offices, sh.office_id));
  CsvFile bookings({"booking_id", "staff_id", "start", "end"});
  bookings.OpenEarly(dir / "bookings.csv");
  for (const auto& b : s.bookings) {
    auto z = clerk_zone.find(b.clerk_id);
    const std::string& tz = z == clerk_zone.end() ? tz0 : z->second;
    bookings.Row({b.id, b.clerk_id, domain::FormatLocal(tz, b.time.start),
                  domain::FormatLocal(tz, b.time.end)});
  }
  REBOOK_RETURN_IF_ERROR(bookings.WriteTo(dir / "bookings.csv"));

  CsvFile appointments(AppointmentColumns());
  appointments.OpenEarly(dir / "appointments.csv");
  for (const auto& a : s.appointments) {
    appointments.Row(AppointmentRow(a, ZoneOf(s, offices, a.office_id)));
  }
  return appointments.WriteTo(dir / "appointments.csv");
}

}  // namespace rebook::bundle
