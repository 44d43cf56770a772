#include "services/rebooking/what_if.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/substitute.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/report/report_model.h"

namespace rebook::rebooking {
namespace {

constexpr std::size_t kMaxChanges = 50;

std::int64_t DayNumber(domain::LocalDate d) { return date::sys_days(d).time_since_epoch().count(); }

// The extra shift's start: as asked, else the office's earliest shift start that day, else 8:00.
absl::StatusOr<Instant> ExtraShiftStart(const domain::Scenario& s, const domain::Office& office,
                                        const ExtraShift& x) {
  const date::local_days day{x.day};
  if (x.start_minute.has_value()) {
    return domain::LocalToInstant(office.time_zone, day + std::chrono::minutes(*x.start_minute));
  }
  std::optional<Instant> earliest;
  for (const domain::Shift& sh : s.shifts) {
    if (sh.office_id != office.id ||
        domain::LocalDateOf(office.time_zone, sh.time.start) != x.day) {
      continue;
    }
    if (!earliest.has_value() || sh.time.start < *earliest) earliest = sh.time.start;
  }
  if (earliest.has_value()) return *earliest;
  return domain::LocalToInstant(office.time_zone, day + std::chrono::hours(8));
}

}  // namespace

absl::Status CheckCapacityChanges(const CapacityChanges& c, const std::string& prefix) {
  FieldViolations v;
  if (c.extra_shifts.size() > kMaxChanges) {
    v.Add(prefix + ".extra_shifts", "at most 50", "TOO_MANY");
  }
  if (c.absences.size() > kMaxChanges) v.Add(prefix + ".absences", "at most 50", "TOO_MANY");
  for (std::size_t i = 0; i < c.extra_shifts.size(); ++i) {
    const ExtraShift& x = c.extra_shifts[i];
    const std::string at = absl::StrCat(prefix, ".extra_shifts[", i, "]");
    if (x.minutes < 15 || x.minutes > 720) {
      v.Add(at + ".minutes", "must be 15 to 720", "OUT_OF_RANGE");
    }
    if (x.start_minute.has_value() && (*x.start_minute < 0 || *x.start_minute >= 24 * 60)) {
      v.Add(at + ".start_time", "must be a local time HH:MM", "BAD_TIME");
    }
    if (!x.day.ok()) v.Add(at + ".date", "must be a valid date", "BAD_DATE");
  }
  for (std::size_t i = 0; i < c.absences.size(); ++i) {
    const ClerkAbsence& a = c.absences[i];
    const std::string at = absl::StrCat(prefix, ".absences[", i, "]");
    if (!a.first.ok() || !a.last.ok()) {
      v.Add(at, "dates must be valid", "BAD_DATE");
    } else if (DayNumber(a.last) < DayNumber(a.first) ||
               DayNumber(a.last) - DayNumber(a.first) > 30) {
      v.Add(at + ".end_date", "must be on or after start_date, at most 31 days", "OUT_OF_RANGE");
    }
  }
  if (c.reserve_share.has_value() && !(*c.reserve_share >= 0.0 && *c.reserve_share < 1.0)) {
    v.Add(prefix + ".reserve_share", "must be at least 0 and below 1", "OUT_OF_RANGE");
  }
  return v.ToStatus("invalid capacity changes");
}

absl::Status ApplyCapacityChanges(const CapacityChanges& c, domain::Scenario& s) {
  if (c.reserve_share.has_value()) s.params.reserve_share = *c.reserve_share;
  std::map<std::string, std::string> zone_of_office;
  for (const domain::Office& o : s.offices) zone_of_office[o.id] = o.time_zone;
  for (std::size_t i = 0; i < c.absences.size(); ++i) {
    const ClerkAbsence& a = c.absences[i];
    const std::size_t removed = std::erase_if(s.shifts, [&](const domain::Shift& sh) {
      if (sh.clerk_id != a.clerk_id) return false;
      auto zone = zone_of_office.find(sh.office_id);
      if (zone == zone_of_office.end()) return false;
      const std::int64_t day = DayNumber(domain::LocalDateOf(zone->second, sh.time.start));
      return day >= DayNumber(a.first) && day <= DayNumber(a.last);
    });
    if (removed == 0) {
      return absl::FailedPreconditionError(absl::StrCat("absence ", i + 1, ": clerk \"", a.clerk_id,
                                                        "\" has no shift on those days at the "
                                                        "offices of the outage's citizens"));
    }
  }
  std::set<std::string> services;
  for (const domain::Service& sv : s.services) services.insert(sv.id);
  for (std::size_t i = 0; i < c.extra_shifts.size(); ++i) {
    const ExtraShift& x = c.extra_shifts[i];
    const domain::Office* office = domain::FindOffice(s.offices, x.office_id);
    if (office == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("extra shift ", i + 1, ": no citizen of the outage may go to office \"",
                       x.office_id, "\""));
    }
    if (services.count(x.service_id) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("extra shift ", i + 1, ": unknown service type \"", x.service_id, "\""));
    }
    REBOOK_ASSIGN_OR_RETURN(Instant start, ExtraShiftStart(s, *office, x));
    const std::string id = absl::StrCat("what-if-", i + 1);
    s.clerks.push_back({id, absl::StrCat("stand-in ", i + 1), {x.service_id}, x.office_id});
    s.shifts.push_back({id,
                        id,
                        x.office_id,
                        {start, start + std::chrono::minutes(x.minutes)},
                        domain::ShiftKind::kOvertime});
  }
  return absl::OkStatus();
}

absl::StatusOr<domain::Plan> SolveWhatIf(const PlanningInput& input,
                                         const solver::SolveOptions& options) {
  solver::ResolveRequest request;
  request.previous = input.held;
  request.pinned = input.confirmed;
  request.keep_unaffected = false;
  REBOOK_ASSIGN_OR_RETURN(solver::ResolveResult r,
                          solver::Resolve(input.scenario, request, options));
  if (!r.unfit_pinned.empty()) {
    // Their slots are gone in the what-if: they are planned again like everyone else.
    std::erase_if(request.pinned, [&](const std::string& id) {
      return std::find(r.unfit_pinned.begin(), r.unfit_pinned.end(), id) != r.unfit_pinned.end();
    });
    REBOOK_ASSIGN_OR_RETURN(r, solver::Resolve(input.scenario, request, options));
  }
  return std::move(r.plan);
}

absl::StatusOr<StaffFigures> PlanStaffFigures(
    storage::Transaction& tx, const domain::PlanRecord& plan,
    const std::optional<std::vector<std::string>>& office_ids) {
  std::vector<domain::Assignment> rows;
  REBOOK_RETURN_IF_ERROR(tx.ScanAssignments(
      plan.outage_id, plan.id, [&](const domain::Assignment& a) { rows.push_back(a); }));
  std::map<std::string, domain::Office> offices;
  auto office = [&](const std::string& id) -> const domain::Office& {
    auto it = offices.find(id);
    if (it == offices.end()) {
      absl::StatusOr<domain::Office> o = tx.GetOffice(id);
      it = offices.emplace(id, o.ok() ? *o : domain::Office{id, id, ""}).first;
    }
    return it->second;
  };
  std::vector<report::OfficeInfo> infos;
  StaffFigures f;
  struct Delay {
    std::string office_id;
    domain::LocalDate from, to;
  };
  std::vector<Delay> delays;
  for (const domain::Assignment& row : rows) {
    const std::string& home = row.appointment_office_id;
    if (office_ids.has_value() &&
        std::find(office_ids->begin(), office_ids->end(), home) == office_ids->end()) {
      continue;
    }
    ++f.citizens;
    if (row.status != domain::AssignmentStatus::kAssigned) continue;
    ++f.placed;
    absl::StatusOr<domain::Appointment> a = tx.GetAppointment(home, row.appointment_id);
    if (!a.ok()) continue;  // erased since: placed, but without a delay
    delays.push_back({home, domain::LocalDateOf(office(home).time_zone, a->original_start),
                      domain::LocalDateOf(office(row.office_id).time_zone, row.time.start)});
  }
  for (const auto& [id, o] : offices) infos.push_back({id, o.name, o.time_zone, o.state});
  report::WorkingDays working(infos);
  for (const Delay& d : delays) {
    const int work = working.Between(d.office_id, d.from, d.to);
    f.within_5_working_days += work <= 5 ? 1 : 0;
    f.mean_delay_days +=
        static_cast<double>(std::max<std::int64_t>(0, DayNumber(d.to) - DayNumber(d.from)));
    f.mean_delay_working_days += work;
  }
  if (!delays.empty()) {
    f.mean_delay_days /= static_cast<double>(delays.size());
    f.mean_delay_working_days /= static_cast<double>(delays.size());
  }
  f.overtime_hours = static_cast<double>(plan.summary.overtime_minutes) / 60.0;
  return f;
}

std::vector<std::string> CompareText(const StaffFigures& a, const StaffFigures& b,
                                     std::string_view language) {
  const bool en = language.substr(0, 2) == "en";
  auto number = [en](double x) {
    std::string s = absl::StrFormat("%.1f", x);
    if (!en) std::replace(s.begin(), s.end(), '.', ',');
    return s;
  };
  auto signed_number = [&](double x) { return (x > 0 ? "+" : "") + number(x); };
  auto signed_count = [](std::int64_t x) { return absl::StrCat(x > 0 ? "+" : "", x); };
  std::vector<std::string> lines;
  // Substitute, not StrFormat: the format is chosen at run time, which clang's compile-time
  // format check rejects; every argument is already a number or a formatted string.
  lines.push_back(absl::Substitute(
      en ? "Placed: $0 of $1 -> $2 of $3 ($4)" : "Untergebracht: $0 von $1 -> $2 von $3 ($4)",
      a.placed, a.citizens, b.placed, b.citizens, signed_count(b.placed - a.placed)));
  lines.push_back(absl::Substitute(
      en ? "Within 5 working days: $0 -> $1 ($2)" : "Innerhalb von 5 Arbeitstagen: $0 -> $1 ($2)",
      a.within_5_working_days, b.within_5_working_days,
      signed_count(b.within_5_working_days - a.within_5_working_days)));
  lines.push_back(
      absl::Substitute(en ? "Mean delay: $0 -> $1 days ($2; working days $3 -> $4)"
                          : "Mittlere Verschiebung: $0 -> $1 Tage ($2; Arbeitstage $3 -> $4)",
                       number(a.mean_delay_days), number(b.mean_delay_days),
                       signed_number(b.mean_delay_days - a.mean_delay_days),
                       number(a.mean_delay_working_days), number(b.mean_delay_working_days)));
  lines.push_back(
      absl::Substitute(en ? "Overtime: $0 -> $1 hours ($2)" : "Überstunden: $0 -> $1 Stunden ($2)",
                       number(a.overtime_hours), number(b.overtime_hours),
                       signed_number(b.overtime_hours - a.overtime_hours)));
  return lines;
}

}  // namespace rebook::rebooking
