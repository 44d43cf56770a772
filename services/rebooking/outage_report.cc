#include "services/rebooking/outage_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "services/common/status_macros.h"
#include "services/domain/outreach.h"

namespace rebook::rebooking {
namespace {

using report::CitizenState;
using report::OfferState;

CitizenState ToCitizenState(domain::AppointmentStatus s) {
  switch (s) {
    case domain::AppointmentStatus::kOffered:
      return CitizenState::kOffered;
    case domain::AppointmentStatus::kConfirmed:
      return CitizenState::kConfirmed;
    case domain::AppointmentStatus::kDeclined:
      return CitizenState::kDeclined;
    case domain::AppointmentStatus::kSelfRebooked:
      return CitizenState::kSelfRebooked;
    case domain::AppointmentStatus::kUnreachable:
      return CitizenState::kUnreachable;
    case domain::AppointmentStatus::kClosed:
      return CitizenState::kClosed;
    default:
      return CitizenState::kCancelled;
  }
}

OfferState ToOfferState(domain::OfferState s) {
  switch (s) {
    case domain::OfferState::kAccepted:
      return OfferState::kAccepted;
    case domain::OfferState::kDeclined:
      return OfferState::kDeclined;
    case domain::OfferState::kOtherTimeRequested:
      return OfferState::kOtherTime;
    case domain::OfferState::kExpired:
      return OfferState::kExpired;
    case domain::OfferState::kWithdrawn:
      return OfferState::kWithdrawn;
    default:
      return OfferState::kOpen;
  }
}

// Every page of a paged list.
template <typename T, typename List>
absl::StatusOr<std::vector<T>> All(List list) {
  std::vector<T> out;
  storage::PageRequest page{.page_size = 1000};
  for (int i = 0; i < 100000; ++i) {
    REBOOK_ASSIGN_OR_RETURN(storage::Page<T> p, list(page));
    for (T& item : p.items) out.push_back(std::move(item));
    if (p.next_page_token.empty()) break;
    page.page_token = p.next_page_token;
  }
  return out;
}

// The newest committed plan, else the newest ready one.
absl::StatusOr<std::optional<domain::PlanRecord>> ChoosePlan(storage::Transaction& tx,
                                                             const std::string& outage_id) {
  REBOOK_ASSIGN_OR_RETURN(std::vector<domain::PlanRecord> plans,
                          All<domain::PlanRecord>([&](const storage::PageRequest& p) {
                            return tx.ListPlans(outage_id, p);
                          }));
  std::optional<domain::PlanRecord> best;
  for (domain::PlanRecord& p : plans) {  // newest first
    if (p.state == domain::PlanState::kCommitted) return std::optional(std::move(p));
    if (p.state == domain::PlanState::kReady && !best.has_value()) best = std::move(p);
  }
  return best;
}

report::PlanInfo ToPlanInfo(const domain::PlanRecord& p) {
  report::PlanInfo info{.id = p.id,
                        .state = p.state == domain::PlanState::kCommitted ? "committed" : "ready",
                        .reserve_share = p.params.reserve_share,
                        .horizon_start = p.params.horizon_start,
                        .horizon_end = p.params.horizon_end};
  for (const domain::Shortfall& s : p.summary.shortfall) {
    info.shortfall.push_back({s.office_id, s.service_id, s.day, s.missing_minutes, s.appointments});
  }
  for (const domain::ShiftSuggestion& s : p.summary.suggested_shifts) {
    info.suggested_shifts.push_back({s.office_id, s.service_id, s.day, s.minutes, 0});
  }
  return info;
}

}  // namespace

absl::StatusOr<report::ReportInput> GatherOutageReport(
    storage::Transaction& tx, const std::string& outage_id,
    const std::optional<std::vector<std::string>>& offices, Instant now) {
  REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(outage_id));
  auto visible = [&](const std::string& office) {
    return !offices.has_value() ||
           std::find(offices->begin(), offices->end(), office) != offices->end();
  };
  std::vector<std::string> shown;
  for (const std::string& o : outage.office_ids) {
    if (visible(o)) shown.push_back(o);
  }
  if (shown.empty()) return absl::NotFoundError("outage not found");

  report::ReportInput in;
  in.outage_id = outage.id;
  in.cause = outage.cause;
  in.window_start = outage.window.start;
  in.window_end = outage.window.end;
  in.declared = outage.declare_time;
  in.generated_at = now;

  storage::AppointmentFilter filter;
  filter.office_ids = shown;
  filter.outage_id = outage.id;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(filter, [&](const domain::Appointment& a) {
    index[{a.office_id, a.id}] = in.citizens.size();
    in.citizens.push_back({.appointment_id = a.id,
                           .office_id = a.office_id,
                           .service_id = a.service_id,
                           .state = ToCitizenState(a.status),
                           .original_start = a.original_start});
  }));

  REBOOK_ASSIGN_OR_RETURN(std::optional<domain::PlanRecord> plan, ChoosePlan(tx, outage.id));
  std::set<std::string> slot_offices(shown.begin(), shown.end());
  if (plan.has_value()) {
    in.plan = ToPlanInfo(*plan);
    REBOOK_RETURN_IF_ERROR(
        tx.ScanAssignments(outage.id, plan->id, [&](const domain::Assignment& a) {
          auto it = index.find({a.appointment_office_id, a.appointment_id});
          if (it == index.end()) return;
          report::Citizen& c = in.citizens[it->second];
          c.placed = a.status == domain::AssignmentStatus::kAssigned;
          c.unplaced_reason = a.reason;
          if (!c.placed) return;
          c.slot_office_id = a.office_id;
          c.clerk_id = a.clerk_id;
          c.slot_start = a.time.start;
          c.slot_end = a.time.end;
          if (visible(a.office_id)) slot_offices.insert(a.office_id);
        }));
    // Shortfall and suggestions of other offices are not the caller's to see.
    std::erase_if(in.plan->shortfall, [&](const auto& s) { return !visible(s.office_id); });
    std::erase_if(in.plan->suggested_shifts, [&](const auto& s) { return !visible(s.office_id); });
  }

  for (const std::string& id : shown) slot_offices.erase(id);
  std::vector<std::string> ordered = shown;
  ordered.insert(ordered.end(), slot_offices.begin(), slot_offices.end());
  for (const std::string& id : ordered) {
    REBOOK_ASSIGN_OR_RETURN(domain::Office o, tx.GetOffice(id));
    in.offices.push_back({o.id, o.name, o.time_zone, o.state});
  }
  REBOOK_ASSIGN_OR_RETURN(
      std::vector<domain::Service> services,
      All<domain::Service>([&](const storage::PageRequest& p) { return tx.ListServices(p); }));
  for (const domain::Service& s : services) in.services.push_back({s.id, s.name});

  if (in.plan.has_value()) {
    storage::ShiftFilter shifts;
    shifts.office_ids = ordered;
    shifts.overlapping = domain::TimeInterval{in.plan->horizon_start, in.plan->horizon_end};
    REBOOK_ASSIGN_OR_RETURN(std::vector<domain::Shift> list,
                            All<domain::Shift>([&](const storage::PageRequest& p) {
                              return tx.ListShifts(shifts, p);
                            }));
    for (const domain::Shift& s : list) {
      in.shifts.push_back({s.office_id, s.clerk_id, s.time.start, s.time.end,
                           s.kind == domain::ShiftKind::kOvertime});
    }
    REBOOK_ASSIGN_OR_RETURN(std::vector<domain::StandingBooking> bookings,
                            All<domain::StandingBooking>([&](const storage::PageRequest& p) {
                              return tx.ListStandingBookings(shifts, p);
                            }));
    for (const domain::StandingBooking& b : bookings) {
      in.bookings.push_back({b.office_id, b.clerk_id, b.time.start, b.time.end});
    }
  }

  storage::OfferFilter offers;
  offers.office_ids = shown;
  offers.outage_id = outage.id;
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(offers, [&](const domain::Offer& o) {
    in.offers.push_back(
        {o.appointment_id, ToOfferState(o.state), o.create_time, o.expire_time, o.respond_time});
  }));
  storage::MessageFilter messages;
  messages.office_ids = shown;
  messages.outage_id = outage.id;
  REBOOK_RETURN_IF_ERROR(tx.ScanMessages(messages, [&](const domain::OutboxMessage& m) {
    in.messages.push_back({m.appointment_id, m.channel,
                           absl::AsciiStrToUpper(std::string(domain::ToString(m.state)))});
  }));
  return in;
}

}  // namespace rebook::rebooking
