#include "services/rebooking/offer_alternatives.h"

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/planning.h"
#include "services/solver/plan_checker.h"

namespace rebook::rebooking {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Alternatives start on a 5-minute grid: times a citizen reads easily, at little cost.
constexpr seconds kGrid{300};

Instant CeilToGrid(Instant t) {
  const auto s = t.time_since_epoch().count();
  const auto g = kGrid.count();
  return Instant(seconds(((s + g - 1) / g) * g));
}

// The earliest start in [from, gap_end - d] that avoids the citizen's unavailable times, if any.
std::optional<Instant> EarliestStart(Instant from, Instant gap_end, seconds d,
                                     const std::vector<domain::TimeInterval>& unavailable) {
  Instant s = CeilToGrid(from);
  for (bool moved = true; moved;) {
    moved = false;
    if (s + d > gap_end) return std::nullopt;
    for (const domain::TimeInterval& u : unavailable) {
      if (u.Overlaps({s, s + d})) {
        s = CeilToGrid(u.end);
        moved = true;
      }
    }
  }
  return s;
}

const domain::Appointment* FindAppointment(const SlotScenario& ss, const std::string& id) {
  auto it = ss.appointment_index.find(id);
  return it == ss.appointment_index.end() ? nullptr : &ss.scenario.appointments[it->second];
}

}  // namespace

absl::StatusOr<SlotScenario> BuildSlotScenario(domain::Scenario scenario,
                                               std::map<std::string, domain::Assignment> held) {
  SlotScenario out;
  out.scenario = std::move(scenario);
  out.held = std::move(held);
  REBOOK_ASSIGN_OR_RETURN(out.calendar, domain::ShiftCalendar::Build(out.scenario));
  // The busy calendar is the scenario's with the held slots as bookings: they are appended
  // for its build and removed after, instead of building it from a copy of the scenario (the
  // copy of a region's standing bookings and shifts cost about 1 % of a commit). A calendar
  // keeps indexes, not references into the scenario.
  const std::size_t standing = out.scenario.bookings.size();
  out.scenario.bookings.reserve(standing + out.held.size());
  for (const auto& [id, h] : out.held) {
    out.scenario.bookings.push_back({absl::StrCat("held.", id), h.clerk_id, h.office_id, h.time});
  }
  absl::StatusOr<domain::ShiftCalendar> busy = domain::ShiftCalendar::Build(out.scenario);
  out.scenario.bookings.resize(standing);
  REBOOK_ASSIGN_OR_RETURN(out.busy_calendar, std::move(busy));
  for (std::size_t i = 0; i < out.scenario.appointments.size(); ++i) {
    out.appointment_index.emplace(out.scenario.appointments[i].id, i);
  }
  for (std::size_t i = 0; i < out.scenario.services.size(); ++i) {
    out.service_index.emplace(out.scenario.services[i].id, i);  // the first of an id, as find
  }
  for (const domain::Clerk& clerk : out.scenario.clerks) {
    for (int i : out.calendar.ShiftsOfClerk(clerk.id)) {
      const domain::ShiftCalendar::ShiftInfo& info = out.calendar.shift(i);
      if (!info.usable) continue;
      for (const std::string& skill : clerk.skills) {
        out.shifts_by_office_service[{info.office, skill}].push_back(i);
      }
    }
  }
  out.held_regular_minutes.assign(out.calendar.office_days().size(), 0.0);
  for (const auto& [id, h] : out.held) {
    for (int i : out.calendar.ShiftsOfClerk(h.clerk_id)) {
      const domain::Shift& sh = out.scenario.shifts[i];
      const auto& info = out.calendar.shift(i);
      if (sh.office_id != h.office_id || !sh.time.Contains(h.time) || !info.usable) continue;
      if (sh.kind == domain::ShiftKind::kRegular) {
        out.held_regular_minutes[info.office_day] +=
            static_cast<double>(h.time.Duration().count()) / 60.0;
      }
      break;
    }
  }
  return out;
}

absl::StatusOr<SlotScenario> LoadSlotScenario(storage::Transaction& tx,
                                              const domain::Outage& outage,
                                              const domain::PlanParams& params,
                                              const std::string& except_held) {
  REBOOK_ASSIGN_OR_RETURN(PlanningInput in,
                          LoadPlanningInput(tx, outage, params, PlanScope::kOpenAndHeld));
  std::map<std::string, domain::Assignment> held;
  for (const domain::Assignment& h : in.held) {
    if (h.appointment_id != except_held) held.emplace(h.appointment_id, h);
  }
  return BuildSlotScenario(std::move(in.scenario), std::move(held));
}

absl::StatusOr<std::vector<domain::OfferSlot>> FindAlternatives(const SlotScenario& ss,
                                                                const std::string& appointment_id,
                                                                const domain::OfferSlot& main,
                                                                int count) {
  const domain::Scenario& s = ss.scenario;
  const domain::ShiftCalendar& cal = ss.calendar;
  const domain::ShiftCalendar& busy = ss.busy_calendar;  // same shifts, held slots busy
  const domain::Appointment* a = FindAppointment(ss, appointment_id);
  if (a == nullptr) {
    return absl::NotFoundError(absl::StrCat("appointment \"", appointment_id, "\" is not planned"));
  }
  std::vector<domain::OfferSlot> out;
  if (count <= 0) return out;
  auto service_at = ss.service_index.find(a->service_id);
  if (service_at == ss.service_index.end()) return out;
  const domain::Service* service = &s.services[service_at->second];
  const seconds d = minutes(service->duration_min * a->cases);
  const Instant earliest = std::max(s.params.horizon_start, a->earliest_start.value_or(Instant{}));
  Instant latest_end = s.params.horizon_end;
  if (a->deadline) latest_end = std::min(latest_end, *a->deadline);
  const std::span<const std::string> allowed = a->EffectiveAllowedOfficesView();
  const int main_office = cal.FindOffice(main.office_id);
  std::optional<domain::LocalDate> main_day;
  if (main_office >= 0) {
    main_day = domain::LocalDateOf(s.offices[main_office].time_zone, main.time.start);
  }

  // The cheapest start per office-day, as numbers (an OfferSlot's strings are made for the
  // alternatives returned only), in the order first found; `best_at` (all -1 between calls,
  // grown once per thread) finds an office-day's entry without a map node per candidate.
  struct Best {
    int office_day;
    double cost;
    Instant start;
    int shift;
  };
  std::vector<Best> best;
  thread_local std::vector<int> best_at;
  if (best_at.size() < cal.office_days().size()) best_at.resize(cal.office_days().size(), -1);
  for (const std::string& allowed_office : allowed) {
    const int office_index = cal.FindOffice(allowed_office);
    auto bucket = ss.shifts_by_office_service.find({office_index, a->service_id});
    if (bucket == ss.shifts_by_office_service.end()) continue;
    for (int i : bucket->second) {
      const domain::ShiftCalendar::ShiftInfo& info = cal.shift(i);
      const domain::Office& office = s.offices[info.office];
      if (info.office == main_office && main_day && info.day == *main_day) continue;
      const bool overtime = s.shifts[i].kind == domain::ShiftKind::kOvertime;
      if (!overtime) {
        // Rule 6: the held slots of the day and this one within the day's limit.
        const double allowed_min = (1.0 - s.params.reserve_share) *
                                       cal.office_days()[info.office_day].FreeRegularSeconds() /
                                       60.0 -
                                   ss.held_regular_minutes[info.office_day];
        if (static_cast<double>(d.count()) / 60.0 > allowed_min + 1e-6) continue;
      }
      for (const domain::TimeInterval& gap : busy.shift(i).free) {
        const Instant gap_end = std::min(gap.end, latest_end);
        std::optional<Instant> start =
            EarliestStart(std::max(gap.start, earliest), gap_end, d, a->unavailable);
        if (!start) continue;
        const double delay_h = static_cast<double>((*start - earliest).count()) / 3600.0;
        double cost = a->priority * delay_h;
        if (office.id != a->office_id) cost += s.params.w_office_change;
        if (overtime) cost += s.params.w_overtime_min * static_cast<double>(d.count()) / 60.0;
        int& at = best_at[info.office_day];
        if (at < 0) {
          at = static_cast<int>(best.size());
          best.push_back({info.office_day, cost, *start, i});
        } else if (Best& b = best[at]; cost < b.cost || (cost == b.cost && *start < b.start)) {
          b = {info.office_day, cost, *start, i};
        }
        break;  // later gaps of this shift start later and cost more
      }
    }
  }
  for (const Best& x : best) best_at[x.office_day] = -1;
  // In office-day order (as a map of them iterated), then by cost and start: the same
  // comparisons on the same sequence, so std::sort leaves ties where it always did.
  std::sort(best.begin(), best.end(),
            [](const Best& x, const Best& y) { return x.office_day < y.office_day; });
  std::sort(best.begin(), best.end(), [](const Best& x, const Best& y) {
    if (x.cost != y.cost) return x.cost < y.cost;
    return x.start < y.start;
  });
  const std::size_t n = std::min(best.size(), static_cast<std::size_t>(count));
  out.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const Best& x = best[k];
    out.push_back({s.offices[cal.shift(x.shift).office].id,
                   s.shifts[x.shift].clerk_id,
                   {x.start, x.start + d},
                   x.cost});
  }
  return out;
}

absl::Status CheckAlternativeStillFree(const SlotScenario& ss, const std::string& appointment_id,
                                       const domain::OfferSlot& slot) {
  if (FindAppointment(ss, appointment_id) == nullptr) {
    return absl::FailedPreconditionError("the appointment no longer waits for a slot");
  }
  // The checker names only one of two overlapping appointments; ask this one directly.
  for (const auto& [id, h] : ss.held) {
    if (h.clerk_id == slot.clerk_id && h.time.Overlaps(slot.time)) {
      return absl::FailedPreconditionError(
          "that alternative is no longer available (another citizen holds it now); ask for "
          "another time instead");
    }
  }
  domain::Assignment x;
  x.appointment_id = appointment_id;
  x.status = domain::AssignmentStatus::kAssigned;
  x.office_id = slot.office_id;
  x.clerk_id = slot.clerk_id;
  x.time = slot.time;
  std::vector<domain::Assignment> rows;
  for (const domain::Appointment& a : ss.scenario.appointments) {
    auto h = ss.held.find(a.id);
    if (a.id == appointment_id) {
      rows.push_back(x);
    } else if (h != ss.held.end()) {
      rows.push_back(h->second);
    } else {
      domain::Assignment none;
      none.appointment_id = a.id;
      rows.push_back(none);
    }
  }
  REBOOK_ASSIGN_OR_RETURN(solver::CheckReport report, solver::CheckPlan(ss.scenario, rows));
  // Only what concerns this slot: its own rules, and the reserve limit of its office-day.
  auto zone = [&](const std::string& office) {
    int o = ss.calendar.FindOffice(office);
    return o < 0 ? std::string("Europe/Berlin") : ss.scenario.offices[o].time_zone;
  };
  const domain::LocalDate day = domain::LocalDateOf(zone(slot.office_id), slot.time.start);
  for (const solver::Violation& v : report.violations) {
    bool mine = v.appointment_id == appointment_id && v.rule != 6;
    if (v.rule == 6) {
      const domain::Assignment* member = v.appointment_id == appointment_id ? &x
                                         : ss.held.count(v.appointment_id)
                                             ? &ss.held.at(v.appointment_id)
                                             : nullptr;
      mine = member != nullptr && member->office_id == slot.office_id &&
             domain::LocalDateOf(zone(member->office_id), member->time.start) == day;
    }
    if (!mine) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        "that alternative is no longer available (", v.message, "); ask for another time instead"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> AttachAlternatives(storage::Transaction& tx, const std::string& outage_id,
                                       const std::string& plan_id, int count) {
  if (count <= 0) return 0;
  std::vector<domain::Offer> offers;
  storage::OfferFilter filter;
  filter.outage_id = outage_id;
  filter.states = {domain::OfferState::kOpen};
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(filter, [&](const domain::Offer& o) {
    if (o.plan_id == plan_id && o.alternatives.empty()) offers.push_back(o);
  }));
  if (offers.empty()) return 0;
  REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(outage_id));
  REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord plan, tx.GetPlan(outage_id, plan_id));
  REBOOK_ASSIGN_OR_RETURN(SlotScenario s, LoadSlotScenario(tx, outage, plan.params));
  int attached = 0;
  for (domain::Offer& o : offers) {
    absl::StatusOr<std::vector<domain::OfferSlot>> alts =
        FindAlternatives(s, o.appointment_id, o.slot, count);
    if (!alts.ok() || alts->empty()) continue;
    o.alternatives = std::move(*alts);
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
    ++attached;
  }
  return attached;
}

}  // namespace rebook::rebooking
