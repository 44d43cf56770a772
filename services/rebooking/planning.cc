#include "services/rebooking/planning.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/rebooking/appointments.h"
#include "services/rebooking/fetch_all.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::OfferState;

// Every open or accepted offer, of any outage.
absl::StatusOr<std::vector<domain::Offer>> HoldingOffers(storage::Transaction& tx) {
  std::vector<domain::Offer> out;
  storage::OfferFilter filter;
  filter.states = {OfferState::kOpen, OfferState::kAccepted};
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(filter, [&](const domain::Offer& o) { out.push_back(o); }));
  return out;
}

domain::Assignment HeldAssignment(const domain::Offer& offer) {
  const domain::OfferSlot& slot = offer.HeldSlot();
  domain::Assignment a;
  a.appointment_id = offer.appointment_id;
  a.appointment_office_id = offer.office_id;
  a.status = domain::AssignmentStatus::kAssigned;
  a.office_id = slot.office_id;
  a.clerk_id = slot.clerk_id;
  a.time = slot.time;
  a.cost = slot.cost;
  return a;
}

}  // namespace

absl::Status CheckPlanParams(const domain::PlanParams& p, const std::string& prefix) {
  FieldViolations v;
  if (p.horizon_end <= p.horizon_start) {
    v.Add(prefix + ".horizon.end_time", "must be after start_time", "EMPTY_INTERVAL");
  } else if (p.horizon_end - p.horizon_start > kMaxHorizon) {
    v.Add(prefix + ".horizon", "may span at most 120 days", "TOO_LONG");
  }
  if (!(p.reserve_share >= 0.0 && p.reserve_share < 1.0)) {
    v.Add(prefix + ".reserve_share", "must be at least 0 and below 1", "OUT_OF_RANGE");
  }
  auto weight = [&](double w, const char* name) {
    if (!(w >= 0.0 && w <= 1e9)) {
      v.Add(absl::StrCat(prefix, ".", name), "must be between 0 and 1e9", "OUT_OF_RANGE");
    }
  };
  weight(p.w_unassigned, "w_unassigned");
  weight(p.w_office_change, "w_office_change");
  weight(p.w_overtime_min, "w_overtime_min");
  return v.ToStatus("invalid plan parameters");
}

namespace {

// LoadPlanningInput, reading the appointments itself unless `preloaded` holds them.
absl::StatusOr<PlanningInput> LoadInput(storage::Transaction& tx, const domain::Outage& outage,
                                        const domain::PlanParams& params, PlanScope scope,
                                        std::vector<domain::Appointment>* preloaded) {
  PlanningInput in;
  domain::Scenario& s = in.scenario;
  s.params = params;
  const domain::TimeInterval horizon{params.horizon_start, params.horizon_end};

  REBOOK_ASSIGN_OR_RETURN(std::vector<domain::Offer> holding, HoldingOffers(tx));
  std::unordered_map<std::string, const domain::Offer*> held_by_appointment;
  for (const domain::Offer& o : holding) {
    if (scope == PlanScope::kOpenAndHeld && o.outage_id == outage.id) {
      held_by_appointment[o.appointment_id] = &o;
    }
  }

  // The appointments.
  auto keep = [&](const domain::Appointment& a) {
    bool holding_status =
        a.status == AppointmentStatus::kOffered || a.status == AppointmentStatus::kConfirmed;
    return !holding_status || held_by_appointment.count(a.id) > 0;  // else no slot to keep
  };
  if (preloaded != nullptr) {
    s.appointments.reserve(preloaded->size());
    for (domain::Appointment& a : *preloaded) {
      if (keep(a)) s.appointments.push_back(std::move(a));
    }
  } else {
    REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(PlanningAppointmentFilter(outage.id, scope),
                                               [&](const domain::Appointment& a) {
                                                 if (keep(a)) s.appointments.push_back(a);
                                               }));
  }

  // The solver and the plan tables below name an outage's appointments by id alone, so one
  // outage's appointments need distinct ids (ids are unique per office only).
  // (Hashed views of the ids, which stay put from here on: a tree of 100,000 id strings cost
  // about 0.5 % of a region commit's CPU.)
  std::unordered_set<std::string_view> planned;
  planned.reserve(s.appointments.size());
  for (const domain::Appointment& a : s.appointments) {
    if (!planned.insert(a.id).second) {
      return absl::FailedPreconditionError(absl::StrCat(
          "outage \"", outage.id, "\" holds two appointments with the id \"", a.id,
          "\" (of different offices); plans need the ids of one outage's appointments to be "
          "distinct: change the id of one of them"));
    }
  }

  // Slots a citizen turned down are times they cannot come.
  storage::OfferFilter declined;
  declined.outage_id = outage.id;
  declined.states = {OfferState::kDeclined, OfferState::kOtherTimeRequested, OfferState::kExpired};
  std::unordered_map<std::string, std::vector<domain::TimeInterval>> refused;
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(declined, [&](const domain::Offer& o) {
    if (o.state != OfferState::kExpired) refused[o.appointment_id].push_back(o.slot.time);
  }));
  for (domain::Appointment& a : s.appointments) {
    auto it = refused.find(a.id);
    if (it == refused.end()) continue;
    a.unavailable.insert(a.unavailable.end(), it->second.begin(), it->second.end());
  }

  // Held slots: this outage's become previous assignments, everyone else's are busy time.
  std::set<std::string> office_ids(outage.office_ids.begin(), outage.office_ids.end());
  for (const domain::Appointment& a : s.appointments) {
    for (const std::string& o : a.EffectiveAllowedOfficesView()) office_ids.insert(o);
  }
  for (const domain::Offer& o : holding) {
    auto it = held_by_appointment.find(o.appointment_id);
    if (it != held_by_appointment.end() && it->second == &o && planned.count(o.appointment_id)) {
      in.held.push_back(HeldAssignment(o));
      if (o.state == OfferState::kAccepted) in.confirmed.push_back(o.appointment_id);
      office_ids.insert(o.HeldSlot().office_id);
      continue;
    }
    const domain::OfferSlot& slot = o.HeldSlot();
    if (!slot.time.Overlaps(horizon)) continue;
    s.bookings.push_back(
        {absl::StrCat("held.", o.office_id, ".", o.appointment_id, ".v", o.version), slot.clerk_id,
         slot.office_id, slot.time});
  }

  // Capacity of the offices in scope.
  std::vector<std::string> offices(office_ids.begin(), office_ids.end());
  for (const std::string& id : offices) {
    REBOOK_ASSIGN_OR_RETURN(domain::Office office, tx.GetOffice(id));
    s.offices.push_back(std::move(office));
  }
  REBOOK_RETURN_IF_ERROR(FetchAll<domain::Service>(
      [&](const storage::PageRequest& p) { return tx.ListServices(p); }, s.services));
  storage::ShiftFilter in_scope;
  in_scope.office_ids = offices;
  in_scope.overlapping = horizon;
  REBOOK_RETURN_IF_ERROR(FetchAll<domain::Shift>(
      [&](const storage::PageRequest& p) { return tx.ListShifts(in_scope, p); }, s.shifts));
  REBOOK_RETURN_IF_ERROR(FetchAll<domain::StandingBooking>(
      [&](const storage::PageRequest& p) { return tx.ListStandingBookings(in_scope, p); },
      s.bookings));
  REBOOK_ASSIGN_OR_RETURN(s.closures, tx.ListClosures(offices));

  // The clerks with a shift in scope, in id order. One paged listing instead of one read each:
  // on PostgreSQL every read is a round trip, and this runs on every citizen's offer view.
  std::set<std::string> clerk_ids;
  for (const domain::Shift& sh : s.shifts) clerk_ids.insert(sh.clerk_id);
  REBOOK_ASSIGN_OR_RETURN(s.clerks, ClerksOf(tx, clerk_ids, offices));
  // Held slots of clerks without a shift in scope block nothing here.
  std::erase_if(s.bookings,
                [&](const domain::StandingBooking& b) { return clerk_ids.count(b.clerk_id) == 0; });
  return in;
}

}  // namespace

storage::AppointmentFilter PlanningAppointmentFilter(const std::string& outage_id,
                                                     PlanScope scope) {
  storage::AppointmentFilter filter;
  filter.outage_id = outage_id;
  filter.statuses = {AppointmentStatus::kCancelled, AppointmentStatus::kDeclined};
  if (scope == PlanScope::kOpenAndHeld) {
    filter.statuses.push_back(AppointmentStatus::kOffered);
    filter.statuses.push_back(AppointmentStatus::kConfirmed);
  }
  return filter;
}

absl::StatusOr<PlanningInput> LoadPlanningInput(storage::Transaction& tx,
                                                const domain::Outage& outage,
                                                const domain::PlanParams& params, PlanScope scope) {
  return LoadInput(tx, outage, params, scope, nullptr);
}

absl::StatusOr<PlanningInput> LoadPlanningInput(storage::Transaction& tx,
                                                const domain::Outage& outage,
                                                const domain::PlanParams& params, PlanScope scope,
                                                std::vector<domain::Appointment> appointments) {
  return LoadInput(tx, outage, params, scope, &appointments);
}

absl::Status StorePlan(storage::Transaction& tx, const domain::PlanRecord& record,
                       const domain::Plan& plan) {
  REBOOK_RETURN_IF_ERROR(tx.PutPlan(record));
  return tx.InsertAssignments(record.outage_id, record.id, plan.assignments);
}

void CountDifferences(const std::vector<domain::Assignment>& a,
                      const std::vector<domain::Assignment>& b, PlanDifference& d) {
  auto assigned = [](const domain::Assignment& x) {
    return x.status == domain::AssignmentStatus::kAssigned;
  };
  std::unordered_map<std::string, const domain::Assignment*> in_a;
  for (const domain::Assignment& x : a) in_a.emplace(x.appointment_id, &x);
  for (const domain::Assignment& y : b) {
    auto it = in_a.find(y.appointment_id);
    if (it == in_a.end()) {
      d.changed += 1;
      d.assigned_only_in_b += assigned(y) ? 1 : 0;
      continue;
    }
    const domain::Assignment& x = *it->second;
    if (assigned(x) != assigned(y)) {
      d.changed += 1;
      (assigned(x) ? d.assigned_only_in_a : d.assigned_only_in_b) += 1;
    } else if (assigned(x) &&
               (x.office_id != y.office_id || x.clerk_id != y.clerk_id || x.time != y.time)) {
      d.changed += 1;
    }
    in_a.erase(it);
  }
  for (const auto& [id, x] : in_a) {
    d.changed += 1;
    d.assigned_only_in_a += assigned(*x) ? 1 : 0;
  }
}

absl::StatusOr<PlanDifference> ComparePlans(storage::Transaction& tx, const std::string& outage_id,
                                            const std::string& plan_a, const std::string& plan_b) {
  PlanDifference d;
  REBOOK_ASSIGN_OR_RETURN(d.a, tx.GetPlan(outage_id, plan_a));
  REBOOK_ASSIGN_OR_RETURN(d.b, tx.GetPlan(outage_id, plan_b));
  std::vector<domain::Assignment> in_a, in_b;
  REBOOK_RETURN_IF_ERROR(tx.ScanAssignments(
      outage_id, plan_a, [&](const domain::Assignment& x) { in_a.push_back(x); }));
  REBOOK_RETURN_IF_ERROR(tx.ScanAssignments(
      outage_id, plan_b, [&](const domain::Assignment& x) { in_b.push_back(x); }));
  CountDifferences(in_a, in_b, d);
  return d;
}

absl::StatusOr<std::vector<domain::Clerk>> ClerksOf(storage::Transaction& tx,
                                                    const std::set<std::string>& ids,
                                                    const std::vector<std::string>& offices) {
  std::vector<domain::Clerk> listed;
  if (ids.empty()) return listed;
  storage::ClerkFilter at;
  at.office_ids = offices;  // a superset: also clerks managed by these offices
  REBOOK_RETURN_IF_ERROR(FetchAll<domain::Clerk>(
      [&](const storage::PageRequest& p) { return tx.ListClerks(at, p); }, listed));
  std::erase_if(listed, [&](const domain::Clerk& c) { return ids.count(c.id) == 0; });
  std::sort(listed.begin(), listed.end(),
            [](const domain::Clerk& a, const domain::Clerk& b) { return a.id < b.id; });
  if (listed.size() != ids.size()) {
    // A shift names a clerk the listing did not return: the store's own NOT_FOUND says which.
    for (const std::string& id : ids) REBOOK_RETURN_IF_ERROR(tx.GetClerk(id).status());
    return absl::InternalError("the clerks with a shift in scope did not list as expected");
  }
  return listed;
}

}  // namespace rebook::rebooking
