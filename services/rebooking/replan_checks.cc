// FindBrokenHeld: which held slots a capacity change broke, and how to tell the citizen.
#include <algorithm>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/offers.h"
#include "services/rebooking/replan.h"
#include "services/solver/plan_checker.h"

namespace rebook::rebooking {
namespace {

struct Where {
  std::string office_id;
  std::string zone = "Europe/Berlin";
  domain::LocalDate day;
};

Where Locate(const domain::Scenario& s, const domain::Assignment& a) {
  Where w;
  w.office_id = a.office_id;
  for (const domain::Office& o : s.offices) {
    if (o.id == a.office_id) w.zone = o.time_zone;
  }
  w.day = domain::LocalDateOf(w.zone, a.time.start);
  return w;
}

}  // namespace

std::string ExplainBrokenSlot(const domain::Scenario& s, const domain::Assignment& held, int rule,
                              const std::string& language) {
  const Where w = Locate(s, held);
  const std::string when = domain::FormatLocal(w.zone, held.time.start);
  std::string de = absl::StrCat("Ihr Termin am ", when, " muss verlegt werden: ");
  std::string en = absl::StrCat("Your appointment on ", when, " has to move: ");
  const domain::Closure* closure = nullptr;
  for (const domain::Closure& c : s.closures) {
    if (c.office_id == w.office_id && c.date == w.day) closure = &c;
  }
  if (rule == 2 && closure != nullptr) {
    const std::string day = domain::FormatLocalDate(w.day);
    absl::StrAppend(&de, "Das Büro ist am ", day, " geschlossen (", closure->reason, ").");
    absl::StrAppend(&en, "the office is closed on ", day, " (", closure->reason, ").");
  } else if (rule == 2 || rule == 1) {
    absl::StrAppend(&de, "Die zuständige Sachbearbeitung ist zu dieser Zeit nicht im Dienst.");
    absl::StrAppend(&en, "the clerk for your appointment is not available at that time.");
  } else if (rule == 3) {
    absl::StrAppend(&de, "Die Zeit ist durch eine andere Buchung belegt.");
    absl::StrAppend(&en, "the time is now taken by another booking.");
  } else if (rule == 6) {
    absl::StrAppend(&de, "Das Büro hat an diesem Tag weniger Personal.");
    absl::StrAppend(&en, "the office has fewer staff on that day.");
  } else {
    absl::StrAppend(&de, "Die Zeit passt nicht mehr zu Ihren Angaben.");
    absl::StrAppend(&en, "the time no longer fits what you told us.");
  }
  return InLanguage(language, de, en);
}

namespace {

std::vector<domain::Assignment> Rows(const domain::Scenario& s,
                                     const std::map<std::string, domain::Assignment>& held,
                                     const std::set<std::string>& include) {
  std::vector<domain::Assignment> rows;
  rows.reserve(s.appointments.size());
  for (const domain::Appointment& a : s.appointments) {
    auto it = held.find(a.id);
    if (it != held.end() && include.count(a.id)) {
      rows.push_back(it->second);
    } else {
      domain::Assignment x;
      x.appointment_id = a.id;
      x.appointment_office_id = a.office_id;
      rows.push_back(x);
    }
  }
  return rows;
}

}  // namespace

absl::StatusOr<std::map<std::string, BrokenSlot>> FindBrokenHeld(
    const domain::Scenario& s, const std::map<std::string, domain::Assignment>& held,
    const std::set<std::string>& confirmed) {
  std::unordered_map<std::string, const domain::Appointment*> appointments;
  for (const domain::Appointment& a : s.appointments) appointments.emplace(a.id, &a);
  std::map<std::string, BrokenSlot> broken;
  auto mark = [&](const std::string& id, int rule) {
    auto h = held.find(id);
    auto a = appointments.find(id);
    if (h == held.end() || a == appointments.end() || broken.count(id)) return;
    broken[id] = {rule, ExplainBrokenSlot(s, h->second, rule, a->second->contact.language)};
  };

  // Rules 1 to 5 concern each held slot on its own (rule 3: against standing bookings and the
  // slots of other outages, which are standing bookings here).
  std::set<std::string> all;
  for (const auto& [id, h] : held) all.insert(id);
  REBOOK_ASSIGN_OR_RETURN(solver::CheckReport report, solver::CheckPlan(s, Rows(s, held, all)));
  for (const solver::Violation& v : report.violations) {
    if (v.rule >= 1 && v.rule <= 5) mark(v.appointment_id, v.rule);
  }

  // Rule 6 concerns an office-day: pinned (confirmed) slots must fit its reserve limit on their
  // own. Drop the latest confirmed slot of each office-day over its limit until all fit. Open
  // offers are left to the solver, which keeps those that still fit.
  std::set<std::string> pinned;
  for (const std::string& id : confirmed) {
    if (!broken.count(id) && held.count(id)) pinned.insert(id);
  }
  for (std::size_t round = 0; round <= confirmed.size(); ++round) {
    REBOOK_ASSIGN_OR_RETURN(report, solver::CheckPlan(s, Rows(s, held, pinned)));
    bool dropped = false;
    for (const solver::Violation& v : report.violations) {
      if (v.rule < 1 || v.rule > 6 || !held.count(v.appointment_id)) continue;
      if (v.rule != 6) {
        mark(v.appointment_id, v.rule);
        dropped |= pinned.erase(v.appointment_id) > 0;
        continue;
      }
      const Where day = Locate(s, held.at(v.appointment_id));
      const std::string* latest = nullptr;
      for (const std::string& id : pinned) {
        const domain::Assignment& h = held.at(id);
        const Where w = Locate(s, h);
        if (w.office_id != day.office_id || w.day != day.day) continue;
        if (latest == nullptr || held.at(*latest).time.start < h.time.start) latest = &id;
      }
      if (latest == nullptr) continue;
      const std::string id = *latest;
      mark(id, 6);
      dropped |= pinned.erase(id) > 0;
    }
    if (!dropped) break;
  }
  return broken;
}

}  // namespace rebook::rebooking
