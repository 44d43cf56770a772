// ReadScenarioBundle: the strict, all-or-nothing reader of a scenario bundle folder.
#include <string>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "services/bundle/appointments_csv.h"
#include "services/bundle/internal/fields.h"
#include "services/bundle/scenario_bundle.h"
#include "services/common/status_macros.h"
#include "services/domain/calendar.h"
#include "services/domain/holidays.h"
#include "services/domain/local_time.h"

namespace rebook::bundle {
namespace {

namespace fs = std::filesystem;
using domain::Scenario;
using internal::IdIndex;

absl::StatusOr<std::unique_ptr<CsvReader>> OpenCsv(const fs::path& dir, const char* name) {
  return CsvReader::Open(dir / name, name);
}

// Calls `row` for each record of `csv` until the end or the first error.
template <typename F>
absl::Status ForEachRow(CsvReader& csv, F row) {
  while (true) {
    REBOOK_ASSIGN_OR_RETURN(bool more, csv.Next());
    if (!more) return absl::OkStatus();
    REBOOK_RETURN_IF_ERROR(row());
  }
}

absl::Status ReadOffices(const fs::path& dir, Scenario& s, IdIndex& ids) {
  REBOOK_ASSIGN_OR_RETURN(auto csv, OpenCsv(dir, "offices.csv"));
  REBOOK_ASSIGN_OR_RETURN(int id, csv->Require("office_id"));
  REBOOK_ASSIGN_OR_RETURN(int state, csv->Require("state"));
  int name = csv->Find("name"), tz = csv->Find("timezone"), address = csv->Find("address");
  return ForEachRow(*csv, [&]() -> absl::Status {
    domain::Office o;
    REBOOK_ASSIGN_OR_RETURN(o.id, internal::IdField(*csv, id));
    o.name = std::string(csv->Field(name));
    o.state = std::string(csv->Field(state));
    if (!domain::IsGermanStateCode(o.state)) {
      return csv->Error(
          state, absl::StrCat("\"", o.state, "\" is not a German state code (DE-BW ... DE-TH)"));
    }
    if (std::string_view z = csv->Field(tz); !z.empty()) o.time_zone = std::string(z);
    if (!domain::ValidateTimeZone(o.time_zone).ok()) {
      return csv->Error(tz, absl::StrCat("unknown time zone \"", o.time_zone, "\""));
    }
    o.address = std::string(csv->Field(address));
    REBOOK_RETURN_IF_ERROR(internal::AddUnique(*csv, id, o.id, s.offices.size(), ids));
    s.offices.push_back(std::move(o));
    return absl::OkStatus();
  });
}

absl::Status ReadServices(const fs::path& dir, Scenario& s, IdIndex& ids) {
  REBOOK_ASSIGN_OR_RETURN(auto csv, OpenCsv(dir, "services.csv"));
  REBOOK_ASSIGN_OR_RETURN(int id, csv->Require("service_id"));
  REBOOK_ASSIGN_OR_RETURN(int duration, csv->Require("duration_min"));
  int name = csv->Find("name"), category = csv->Find("category");
  return ForEachRow(*csv, [&]() -> absl::Status {
    domain::Service v;
    REBOOK_ASSIGN_OR_RETURN(v.id, internal::IdField(*csv, id));
    v.name = std::string(csv->Field(name));
    if (std::string_view c = csv->Field(category); !c.empty()) {
      std::optional<domain::ServiceCategory> cat = domain::ParseServiceCategory(c);
      if (!cat)
        return csv->Error(category, absl::StrCat("\"", std::string(c), "\" is not a category"));
      v.category = *cat;
    }
    if (csv->Field(duration).empty()) return csv->Error(duration, "is empty");
    REBOOK_ASSIGN_OR_RETURN(v.duration_min, internal::IntField(*csv, duration, 0, 1, 24 * 60));
    REBOOK_RETURN_IF_ERROR(internal::AddUnique(*csv, id, v.id, s.services.size(), ids));
    s.services.push_back(std::move(v));
    return absl::OkStatus();
  });
}

absl::Status ReadStaff(const fs::path& dir, Scenario& s, const IdIndex& services, IdIndex& ids) {
  REBOOK_ASSIGN_OR_RETURN(auto csv, OpenCsv(dir, "staff.csv"));
  REBOOK_ASSIGN_OR_RETURN(int id, csv->Require("staff_id"));
  REBOOK_ASSIGN_OR_RETURN(int skills, csv->Require("skills"));
  int name = csv->Find("name"), home = csv->Find("home_office_id");
  return ForEachRow(*csv, [&]() -> absl::Status {
    domain::Clerk c;
    REBOOK_ASSIGN_OR_RETURN(c.id, internal::IdField(*csv, id));
    c.name = std::string(csv->Field(name));
    for (const std::string& skill : SplitList(csv->Field(skills))) {
      REBOOK_RETURN_IF_ERROR(internal::Lookup(*csv, skills, skill, services, "service").status());
      c.skills.push_back(skill);
    }
    c.home_office_id = std::string(csv->Field(home));
    REBOOK_RETURN_IF_ERROR(internal::AddUnique(*csv, id, c.id, s.clerks.size(), ids));
    s.clerks.push_back(std::move(c));
    return absl::OkStatus();
  });
}

absl::Status ReadParams(const fs::path& dir, Scenario& s, std::string_view tz) {
  REBOOK_ASSIGN_OR_RETURN(auto csv, OpenCsv(dir, "params.csv"));
  REBOOK_ASSIGN_OR_RETURN(int hs, csv->Require("horizon_start"));
  REBOOK_ASSIGN_OR_RETURN(int he, csv->Require("horizon_end"));
  REBOOK_ASSIGN_OR_RETURN(bool more, csv->Next());
  if (!more) return absl::InvalidArgumentError("params.csv:2: a data row is required");
  domain::PlanParams& p = s.params;
  REBOOK_ASSIGN_OR_RETURN(p.horizon_start, internal::TimeField(*csv, hs, tz));
  REBOOK_ASSIGN_OR_RETURN(p.horizon_end, internal::TimeField(*csv, he, tz));
  if (p.horizon_end <= p.horizon_start) return csv->Error(he, "is not after horizon_start");
  constexpr double kBig = 1e12;
  REBOOK_ASSIGN_OR_RETURN(p.reserve_share,
                          internal::NumberField(*csv, csv->Find("reserve_share"), 0.0, 0.0, 1.0));
  REBOOK_ASSIGN_OR_RETURN(
      p.w_unassigned, internal::NumberField(*csv, csv->Find("w_unassigned"), 100000.0, 0.0, kBig));
  REBOOK_ASSIGN_OR_RETURN(
      p.w_office_change,
      internal::NumberField(*csv, csv->Find("w_office_change"), 48.0, 0.0, kBig));
  REBOOK_ASSIGN_OR_RETURN(p.w_overtime_min,
                          internal::NumberField(*csv, csv->Find("w_overtime_min"), 1.0, 0.0, kBig));
  REBOOK_ASSIGN_OR_RETURN(more, csv->Next());
  if (more) return csv->RecordError("params.csv has exactly one data row");
  return absl::OkStatus();
}

absl::Status ReadShifts(const fs::path& dir, Scenario& s, const IdIndex& offices,
                        const IdIndex& staff) {
  REBOOK_ASSIGN_OR_RETURN(auto csv, OpenCsv(dir, "shifts.csv"));
  REBOOK_ASSIGN_OR_RETURN(int clerk, csv->Require("staff_id"));
  REBOOK_ASSIGN_OR_RETURN(int office, csv->Require("office_id"));
  REBOOK_ASSIGN_OR_RETURN(int start, csv->Require("start"));
  REBOOK_ASSIGN_OR_RETURN(int end, csv->Require("end"));
  int kind = csv->Find("kind");
  IdIndex ids;
  return ForEachRow(*csv, [&]() -> absl::Status {
    domain::Shift sh;
    REBOOK_ASSIGN_OR_RETURN(sh.clerk_id, internal::IdField(*csv, clerk));
    REBOOK_RETURN_IF_ERROR(internal::Lookup(*csv, clerk, sh.clerk_id, staff, "staff").status());
    REBOOK_ASSIGN_OR_RETURN(sh.office_id, internal::IdField(*csv, office));
    REBOOK_ASSIGN_OR_RETURN(int o, internal::Lookup(*csv, office, sh.office_id, offices, "office"));
    const std::string& tz = s.offices[o].time_zone;
    REBOOK_ASSIGN_OR_RETURN(sh.time.start, internal::TimeField(*csv, start, tz));
    REBOOK_ASSIGN_OR_RETURN(sh.time.end, internal::TimeField(*csv, end, tz));
    if (sh.time.end <= sh.time.start) return csv->Error(end, "is not after start");
    if (std::string_view k = csv->Field(kind); !k.empty()) {
      std::optional<domain::ShiftKind> parsed = domain::ParseShiftKind(k);
      if (!parsed) {
        return csv->Error(kind, absl::StrCat("\"", std::string(k),
                                             "\" is not a shift kind (regular or overtime)"));
      }
      sh.kind = *parsed;
    }
    sh.id = ShiftId(sh.clerk_id, domain::FormatLocal(tz, sh.time.start));
    // One shift per clerk and start, as the shift's id says.
    REBOOK_RETURN_IF_ERROR(internal::AddUnique(*csv, start, sh.id, s.shifts.size(), ids, "shift"));
    s.shifts.push_back(std::move(sh));
    return absl::OkStatus();
  });
}

absl::Status ReadClosures(const fs::path& dir, Scenario& s, const IdIndex& offices) {
  if (!fs::exists(dir / "closures.csv")) return absl::OkStatus();
  REBOOK_ASSIGN_OR_RETURN(auto csv, OpenCsv(dir, "closures.csv"));
  REBOOK_ASSIGN_OR_RETURN(int office, csv->Require("office_id"));
  REBOOK_ASSIGN_OR_RETURN(int date, csv->Require("date"));
  int reason = csv->Find("reason");
  IdIndex keys;
  return ForEachRow(*csv, [&]() -> absl::Status {
    domain::Closure c;
    REBOOK_ASSIGN_OR_RETURN(c.office_id, internal::IdField(*csv, office));
    REBOOK_RETURN_IF_ERROR(internal::Lookup(*csv, office, c.office_id, offices, "office").status());
    absl::StatusOr<domain::LocalDate> d = domain::ParseLocalDate(csv->Field(date));
    if (!d.ok()) {
      return csv->Error(date, absl::StrCat("\"", std::string(csv->Field(date)),
                                           "\" is not a valid date (YYYY-MM-DD)"));
    }
    c.date = *d;
    c.reason = std::string(csv->Field(reason));
    // One closure per office and date, as the server keys them.
    REBOOK_RETURN_IF_ERROR(internal::AddUnique(
        *csv, date, absl::StrCat(c.office_id, " ", domain::FormatLocalDate(c.date)),
        s.closures.size(), keys, "closure"));
    s.closures.push_back(std::move(c));
    return absl::OkStatus();
  });
}

absl::Status ReadBookings(const fs::path& dir, Scenario& s, const IdIndex& offices,
                          const IdIndex& staff) {
  // A clerk's bookings are in the zone of the clerk's offices: the zone of the first shift's
  // office.
  std::unordered_map<std::string, std::string> clerk_zone;
  for (const domain::Shift& sh : s.shifts) {
    clerk_zone.emplace(sh.clerk_id, s.offices[offices.at(sh.office_id).index].time_zone);
  }
  const std::string fallback = s.offices.empty() ? "Europe/Berlin" : s.offices[0].time_zone;
  REBOOK_ASSIGN_OR_RETURN(auto csv, OpenCsv(dir, "bookings.csv"));
  REBOOK_ASSIGN_OR_RETURN(int id, csv->Require("booking_id"));
  REBOOK_ASSIGN_OR_RETURN(int clerk, csv->Require("staff_id"));
  REBOOK_ASSIGN_OR_RETURN(int start, csv->Require("start"));
  REBOOK_ASSIGN_OR_RETURN(int end, csv->Require("end"));
  IdIndex ids;
  return ForEachRow(*csv, [&]() -> absl::Status {
    domain::StandingBooking b;
    REBOOK_ASSIGN_OR_RETURN(b.id, internal::IdField(*csv, id));
    REBOOK_ASSIGN_OR_RETURN(b.clerk_id, internal::IdField(*csv, clerk));
    REBOOK_RETURN_IF_ERROR(internal::Lookup(*csv, clerk, b.clerk_id, staff, "staff").status());
    auto z = clerk_zone.find(b.clerk_id);
    const std::string& tz = z == clerk_zone.end() ? fallback : z->second;
    REBOOK_ASSIGN_OR_RETURN(b.time.start, internal::TimeField(*csv, start, tz));
    REBOOK_ASSIGN_OR_RETURN(b.time.end, internal::TimeField(*csv, end, tz));
    if (b.time.end <= b.time.start) return csv->Error(end, "is not after start");
    REBOOK_RETURN_IF_ERROR(internal::AddUnique(*csv, id, b.id, s.bookings.size(), ids));
    s.bookings.push_back(std::move(b));
    return absl::OkStatus();
  });
}

}  // namespace

std::string ShiftId(std::string_view clerk_id, std::string_view local_start) {
  return absl::StrCat(std::string(clerk_id), "@", std::string(local_start));
}

absl::StatusOr<Scenario> ReadScenarioCapacity(const fs::path& dir) {
  if (!fs::is_directory(dir)) {
    return absl::NotFoundError(absl::StrCat(dir.string(), " is not a folder"));
  }
  Scenario s;
  IdIndex offices, services, staff;
  REBOOK_RETURN_IF_ERROR(ReadOffices(dir, s, offices));
  REBOOK_RETURN_IF_ERROR(ReadServices(dir, s, services));
  REBOOK_RETURN_IF_ERROR(ReadStaff(dir, s, services, staff));
  const std::string tz = s.offices.empty() ? "Europe/Berlin" : s.offices[0].time_zone;
  REBOOK_RETURN_IF_ERROR(ReadParams(dir, s, tz));
  REBOOK_RETURN_IF_ERROR(ReadShifts(dir, s, offices, staff));
  REBOOK_RETURN_IF_ERROR(ReadClosures(dir, s, offices));
  REBOOK_RETURN_IF_ERROR(ReadBookings(dir, s, offices, staff));
  domain::AssignBookingOffices(s);
  return s;
}

absl::StatusOr<Scenario> ReadScenarioBundle(const fs::path& dir) {
  return ReadScenarioBundle(dir, BundleReadOptions{});
}

absl::StatusOr<Scenario> ReadScenarioBundle(const fs::path& dir, const BundleReadOptions& options) {
  REBOOK_ASSIGN_OR_RETURN(Scenario s, ReadScenarioCapacity(dir));
  REBOOK_ASSIGN_OR_RETURN(auto csv, OpenCsv(dir, "appointments.csv"));
  REBOOK_RETURN_IF_ERROR(
      ForEachAppointment(*csv, s.offices, s.services, [&](domain::Appointment&& a) {
        if (!options.contacts) a.contact = domain::Contact{};
        s.appointments.push_back(std::move(a));
        return absl::OkStatus();
      }));
  return s;
}

}  // namespace rebook::bundle
