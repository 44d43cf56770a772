#include "tools/rebookctl/report_gather.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/strings/str_split.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "rebook/v1/notifications.grpc.pb.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "rebook/v1/simulation.grpc.pb.h"
#include "services/common/status_macros.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;
using report::CitizenState;
using report::OfferState;

absl::Status ToStatus(const grpc::Status& s, const char* what) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      std::string(what) + ": " + s.error_message());
}

// The `index`th segment of a resource name ("offices/A/appointments/B", 3 -> "B").
std::string Segment(const std::string& name, std::size_t index) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  return index < parts.size() ? parts[index] : "";
}

Instant ToInstant(const google::protobuf::Timestamp& t) {
  return Instant(std::chrono::seconds(t.seconds()));
}

domain::LocalDate ToDate(const v1::Date& d) {
  return domain::LocalDate(date::year(d.year()), date::month(static_cast<unsigned>(d.month())),
                           date::day(static_cast<unsigned>(d.day())));
}

CitizenState ToCitizenState(v1::AppointmentStatus s) {
  switch (s) {
    case v1::OFFERED:
      return CitizenState::kOffered;
    case v1::CONFIRMED:
      return CitizenState::kConfirmed;
    case v1::DECLINED:
      return CitizenState::kDeclined;
    case v1::SELF_REBOOKED:
      return CitizenState::kSelfRebooked;
    case v1::UNREACHABLE:
      return CitizenState::kUnreachable;
    case v1::CLOSED:
      return CitizenState::kClosed;
    default:
      return CitizenState::kCancelled;
  }
}

OfferState ToOfferState(v1::Offer::State s) {
  switch (s) {
    case v1::Offer::ACCEPTED:
      return OfferState::kAccepted;
    case v1::Offer::DECLINED:
      return OfferState::kDeclined;
    case v1::Offer::OTHER_TIME_REQUESTED:
      return OfferState::kOtherTime;
    case v1::Offer::EXPIRED:
      return OfferState::kExpired;
    case v1::Offer::WITHDRAWN:
      return OfferState::kWithdrawn;
    default:
      return OfferState::kOpen;
  }
}

const char* PlanStateText(v1::Plan::State s) {
  switch (s) {
    case v1::Plan::COMMITTED:
      return "committed";
    case v1::Plan::READY:
      return "ready";
    case v1::Plan::SUPERSEDED:
      return "superseded";
    default:
      return "other";
  }
}

// The plan to show: `wanted` if given; else the newest committed plan, else the newest ready one.
absl::StatusOr<std::optional<v1::Plan>> ChoosePlan(const Client& client,
                                                   const std::string& outage_name,
                                                   const std::string& wanted) {
  auto stub = v1::PlanService::NewStub(client.channel());
  if (!wanted.empty()) {
    v1::GetPlanRequest req;
    req.set_name(wanted.find('/') == std::string::npos ? outage_name + "/plans/" + wanted : wanted);
    v1::Plan plan;
    REBOOK_RETURN_IF_ERROR(ToStatus(stub->GetPlan(client.Context().get(), req, &plan), "GetPlan"));
    return std::optional<v1::Plan>(plan);
  }
  v1::ListPlansRequest req;
  req.set_parent(outage_name);
  v1::ListPlansResponse all;
  REBOOK_RETURN_IF_ERROR(ToStatus(ListAll(
                                      req, kNoLimit,
                                      [&](const auto& r, auto* page) {
                                        return stub->ListPlans(client.Context().get(), r, page);
                                      },
                                      [](auto* r) { return r->mutable_plans(); }, &all),
                                  "ListPlans"));
  std::optional<v1::Plan> best;
  auto rank = [](const v1::Plan& p) {
    return std::make_pair(p.state() == v1::Plan::COMMITTED ? 2 : (p.state() == v1::Plan::READY),
                          p.create_time().seconds());
  };
  for (const v1::Plan& p : all.plans()) {
    if (p.state() != v1::Plan::COMMITTED && p.state() != v1::Plan::READY) continue;
    if (!best.has_value() || rank(p) > rank(*best)) best = p;
  }
  return best;
}

absl::Status AddPlan(const Client& client, const v1::Plan& plan, report::ReportInput& in,
                     std::map<std::string, report::Citizen*>& citizens) {
  report::PlanInfo info{.id = Segment(plan.name(), 3),
                        .state = PlanStateText(plan.state()),
                        .reserve_share = plan.parameters().reserve_share(),
                        .horizon_start = ToInstant(plan.parameters().horizon().start_time()),
                        .horizon_end = ToInstant(plan.parameters().horizon().end_time())};
  for (const v1::Shortfall& s : plan.summary().shortfall()) {
    info.shortfall.push_back({Segment(s.office(), 1), Segment(s.service_type(), 1),
                              ToDate(s.date()), s.missing_minutes(), s.unplaced_count()});
  }
  for (const v1::SuggestedShift& s : plan.summary().suggested_shifts()) {
    info.suggested_shifts.push_back({Segment(s.office(), 1),
                                     s.service_types_size() ? Segment(s.service_types(0), 1) : "",
                                     ToDate(s.date()), s.minutes(), s.placed_count()});
  }
  in.plan = std::move(info);
  auto stub = v1::PlanService::NewStub(client.channel());
  v1::ListPlanAssignmentsRequest req;
  req.set_parent(plan.name());
  v1::ListPlanAssignmentsResponse all;
  REBOOK_RETURN_IF_ERROR(ToStatus(ListAll(
                                      req, kNoLimit,
                                      [&](const auto& r, auto* page) {
                                        return stub->ListPlanAssignments(client.Context().get(), r,
                                                                         page);
                                      },
                                      [](auto* r) { return r->mutable_assignments(); }, &all),
                                  "ListPlanAssignments"));
  for (const v1::PlanAssignment& a : all.assignments()) {
    auto it = citizens.find(a.appointment());
    if (it == citizens.end()) continue;
    report::Citizen& c = *it->second;
    c.placed = a.assigned();
    if (!a.assigned()) {
      c.unplaced_reason = a.reason();
      continue;
    }
    c.slot_office_id = Segment(a.office(), 1);
    c.clerk_id = Segment(a.clerk(), 1);
    c.slot_start = ToInstant(a.interval().start_time());
    c.slot_end = ToInstant(a.interval().end_time());
  }
  return absl::OkStatus();
}

absl::Status AddCatalogue(const Client& client, report::ReportInput& in,
                          const std::set<std::string>& wanted) {
  auto stub = v1::CapacityService::NewStub(client.channel());
  v1::ListOfficesResponse offices;
  REBOOK_RETURN_IF_ERROR(ToStatus(ListAll(
                                      v1::ListOfficesRequest(), kNoLimit,
                                      [&](const auto& r, auto* page) {
                                        return stub->ListOffices(client.Context().get(), r, page);
                                      },
                                      [](auto* r) { return r->mutable_offices(); }, &offices),
                                  "ListOffices"));
  for (report::OfficeInfo& o : in.offices) {
    for (const v1::Office& p : offices.offices()) {
      if (Segment(p.name(), 1) != o.id) continue;
      o.display_name = p.display_name();
      if (!p.time_zone().empty()) o.time_zone = p.time_zone();
      o.state = p.state();
    }
  }
  for (const v1::Office& p : offices.offices()) {  // offices that only receive citizens
    const std::string id = Segment(p.name(), 1);
    const bool known = std::any_of(in.offices.begin(), in.offices.end(),
                                   [&](const report::OfficeInfo& o) { return o.id == id; });
    if (!known && wanted.count(id) > 0) {
      in.offices.push_back({id, p.display_name(),
                            p.time_zone().empty() ? "Europe/Berlin" : p.time_zone(), p.state()});
    }
  }
  v1::ListServiceTypesResponse services;
  REBOOK_RETURN_IF_ERROR(
      ToStatus(ListAll(
                   v1::ListServiceTypesRequest(), kNoLimit,
                   [&](const auto& r, auto* page) {
                     return stub->ListServiceTypes(client.Context().get(), r, page);
                   },
                   [](auto* r) { return r->mutable_service_types(); }, &services),
               "ListServiceTypes"));
  for (const v1::ServiceType& s : services.service_types()) {
    in.services.push_back({Segment(s.name(), 1), s.display_name()});
  }
  return absl::OkStatus();
}

// Shifts in the plan's horizon and the standing bookings of every shown office.
absl::Status AddCapacity(const Client& client, report::ReportInput& in) {
  if (!in.plan.has_value()) return absl::OkStatus();
  auto stub = v1::CapacityService::NewStub(client.channel());
  for (const report::OfficeInfo& o : in.offices) {
    v1::ListShiftsRequest req;
    req.set_parent("offices/" + o.id);
    req.mutable_interval()->mutable_start_time()->set_seconds(
        in.plan->horizon_start.time_since_epoch().count());
    req.mutable_interval()->mutable_end_time()->set_seconds(
        in.plan->horizon_end.time_since_epoch().count());
    v1::ListShiftsResponse shifts;
    REBOOK_RETURN_IF_ERROR(ToStatus(ListAll(
                                        req, kNoLimit,
                                        [&](const auto& r, auto* page) {
                                          return stub->ListShifts(client.Context().get(), r, page);
                                        },
                                        [](auto* r) { return r->mutable_shifts(); }, &shifts),
                                    "ListShifts"));
    for (const v1::Shift& s : shifts.shifts()) {
      in.shifts.push_back({o.id, Segment(s.clerk(), 1), ToInstant(s.interval().start_time()),
                           ToInstant(s.interval().end_time()), s.kind() == v1::OVERTIME});
    }
    v1::ListStandingBookingsRequest breq;
    breq.set_parent("offices/" + o.id);
    v1::ListStandingBookingsResponse bookings;
    REBOOK_RETURN_IF_ERROR(
        ToStatus(ListAll(
                     breq, kNoLimit,
                     [&](const auto& r, auto* page) {
                       return stub->ListStandingBookings(client.Context().get(), r, page);
                     },
                     [](auto* r) { return r->mutable_standing_bookings(); }, &bookings),
                 "ListStandingBookings"));
    for (const v1::StandingBooking& b : bookings.standing_bookings()) {
      const Instant start = ToInstant(b.interval().start_time());
      if (start < in.plan->horizon_start || start >= in.plan->horizon_end) continue;
      in.bookings.push_back(
          {o.id, Segment(b.clerk(), 1), start, ToInstant(b.interval().end_time())});
    }
  }
  return absl::OkStatus();
}

// The server's clock: the simulated one of a demo or test server (which answers
// GetSimulatedTime), else this machine's.
Instant ServerNow(const Client& client) {
  v1::SimulatedTime t;
  grpc::Status s =
      v1::SimulationService::NewStub(client.channel())
          ->GetSimulatedTime(client.Context().get(), v1::GetSimulatedTimeRequest(), &t);
  if (s.ok()) return ToInstant(t.now());
  return Instant(std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch()));
}

}  // namespace

absl::StatusOr<report::ReportInput> GatherReportInput(const Client& client,
                                                      const std::string& outage,
                                                      const std::string& plan) {
  report::ReportInput in;
  in.generated_at = ServerNow(client);
  const std::string outage_name = Qualify("outages", outage);
  v1::GetOutageRequest oreq;
  oreq.set_name(outage_name);
  v1::Outage o;
  REBOOK_RETURN_IF_ERROR(ToStatus(
      v1::OutageService::NewStub(client.channel())->GetOutage(client.Context().get(), oreq, &o),
      "GetOutage"));
  in.outage_id = Segment(o.name(), 1);
  in.cause = o.cause();
  in.window_start = ToInstant(o.window().start_time());
  in.window_end = ToInstant(o.window().end_time());
  in.declared = ToInstant(o.declare_time());
  for (const std::string& office : o.offices()) {
    in.offices.push_back(
        {Segment(office, 1), "", o.time_zone().empty() ? "Europe/Berlin" : o.time_zone(), ""});
  }

  v1::ListAppointmentsRequest areq;
  areq.set_parent("offices/-");
  areq.set_outage(outage_name);
  v1::ListAppointmentsResponse appointments;
  auto astub = v1::AppointmentService::NewStub(client.channel());
  REBOOK_RETURN_IF_ERROR(
      ToStatus(ListAll(
                   areq, kNoLimit,
                   [&](const auto& r, auto* page) {
                     return astub->ListAppointments(client.Context().get(), r, page);
                   },
                   [](auto* r) { return r->mutable_appointments(); }, &appointments),
               "ListAppointments"));
  in.citizens.reserve(appointments.appointments_size());
  for (const v1::Appointment& a : appointments.appointments()) {
    in.citizens.push_back({.appointment_id = Segment(a.name(), 3),
                           .office_id = Segment(a.name(), 1),
                           .service_id = Segment(a.service_type(), 1),
                           .state = ToCitizenState(a.status()),
                           .original_start = ToInstant(a.original_start_time())});
  }
  std::map<std::string, report::Citizen*> by_name;
  for (std::size_t i = 0; i < in.citizens.size(); ++i) {
    by_name[appointments.appointments(static_cast<int>(i)).name()] = &in.citizens[i];
  }

  REBOOK_ASSIGN_OR_RETURN(std::optional<v1::Plan> chosen, ChoosePlan(client, o.name(), plan));
  if (chosen.has_value()) REBOOK_RETURN_IF_ERROR(AddPlan(client, *chosen, in, by_name));
  std::set<std::string> slot_offices;
  for (const report::Citizen& c : in.citizens) {
    if (c.placed) slot_offices.insert(c.slot_office_id);
  }
  REBOOK_RETURN_IF_ERROR(AddCatalogue(client, in, slot_offices));
  REBOOK_RETURN_IF_ERROR(AddCapacity(client, in));

  v1::ListOffersRequest freq;
  freq.set_parent("offices/-");
  freq.set_outage(outage_name);
  v1::ListOffersResponse offers;
  auto fstub = v1::OfferService::NewStub(client.channel());
  REBOOK_RETURN_IF_ERROR(ToStatus(ListAll(
                                      freq, kNoLimit,
                                      [&](const auto& r, auto* page) {
                                        return fstub->ListOffers(client.Context().get(), r, page);
                                      },
                                      [](auto* r) { return r->mutable_offers(); }, &offers),
                                  "ListOffers"));
  for (const v1::Offer& f : offers.offers()) {
    report::OfferInfo info{Segment(f.name(), 3), ToOfferState(f.state()),
                           ToInstant(f.create_time()), ToInstant(f.expire_time()), std::nullopt};
    if (f.has_respond_time()) info.responded = ToInstant(f.respond_time());
    in.offers.push_back(info);
  }

  v1::ListMessagesRequest mreq;
  mreq.set_parent("offices/-");
  mreq.set_outage(outage_name);
  v1::ListMessagesResponse messages;
  auto mstub = v1::NotificationService::NewStub(client.channel());
  REBOOK_RETURN_IF_ERROR(ToStatus(ListAll(
                                      mreq, kNoLimit,
                                      [&](const auto& r, auto* page) {
                                        return mstub->ListMessages(client.Context().get(), r, page);
                                      },
                                      [](auto* r) { return r->mutable_messages(); }, &messages),
                                  "ListMessages"));
  for (const v1::Message& m : messages.messages()) {
    in.messages.push_back(
        {Segment(m.appointment(), 3), m.channel(), v1::Message::State_Name(m.state())});
  }
  return in;
}

}  // namespace rebook::ctl
