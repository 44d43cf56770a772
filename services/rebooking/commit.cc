#include "services/rebooking/commit.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/common/tokens.h"
#include "services/domain/local_time.h"
#include "services/rebooking/appointments.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::OfferState;
using domain::PlanState;

// Busy time per clerk from the offers that hold a slot now.
absl::StatusOr<std::map<std::string, std::vector<domain::TimeInterval>>> HeldByClerk(
    storage::Transaction& tx) {
  std::map<std::string, std::vector<domain::TimeInterval>> held;
  storage::OfferFilter filter;
  filter.states = {OfferState::kOpen, OfferState::kAccepted};
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(filter, [&](const domain::Offer& o) {
    held[o.HeldSlot().clerk_id].push_back(o.HeldSlot().time);
  }));
  return held;
}

absl::Status Stale(const std::string& plan_id, const std::string& appointment_id,
                   const std::string& why) {
  return absl::FailedPreconditionError(
      absl::StrCat("plan \"", plan_id, "\" is stale: the slot of appointment \"", appointment_id,
                   "\" ", why, "; create a new plan"));
}

// The slot must still lie inside one shift of its clerk at its office.
absl::StatusOr<bool> InsideShift(storage::Transaction& tx, const domain::Assignment& a) {
  storage::ShiftFilter filter;
  filter.clerk_id = a.clerk_id;
  filter.office_ids = std::vector<std::string>{a.office_id};
  filter.overlapping = a.time;
  REBOOK_ASSIGN_OR_RETURN(auto shifts, tx.ListShifts(filter, {10, ""}));
  for (const domain::Shift& s : shifts.items) {
    if (s.time.Contains(a.time)) return true;
  }
  return false;
}

absl::Status SupersedeOthers(storage::Transaction& tx, const std::string& outage_id,
                             const std::string& committed_id) {
  storage::PageRequest page{1000, ""};
  std::vector<domain::PlanRecord> ready;
  do {
    REBOOK_ASSIGN_OR_RETURN(auto result, tx.ListPlans(outage_id, page));
    for (auto& p : result.items) {
      if (p.state == PlanState::kReady && p.id != committed_id) ready.push_back(std::move(p));
    }
    page.page_token = result.next_page_token;
  } while (!page.page_token.empty());
  for (domain::PlanRecord& p : ready) {
    p.state = PlanState::kSuperseded;
    REBOOK_RETURN_IF_ERROR(tx.PutPlan(p));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> NextOfferVersion(storage::Transaction& tx,
                                     const domain::AppointmentKey& appointment) {
  int version = 0;
  storage::OfferFilter filter;
  filter.appointment = appointment;
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(
      filter, [&](const domain::Offer& o) { version = std::max(version, o.version); }));
  return version + 1;
}

absl::StatusOr<CommitResult> CommitPlan(storage::Transaction& tx, const std::string& outage_id,
                                        const std::string& plan_id, const CommitContext& ctx) {
  CommitResult result;
  REBOOK_ASSIGN_OR_RETURN(result.plan, tx.GetPlan(outage_id, plan_id));
  if (result.plan.state == PlanState::kCommitted) return result;
  if (result.plan.state != PlanState::kReady) {
    return absl::FailedPreconditionError(absl::StrCat("plan \"", plan_id, "\" is ",
                                                      std::string(ToString(result.plan.state)),
                                                      " and cannot be committed"));
  }
  REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(outage_id));
  if (outage.state != domain::OutageState::kActive) {
    return absl::FailedPreconditionError(
        absl::StrCat("outage \"", outage_id, "\" is closed; its plans cannot be committed"));
  }

  std::vector<domain::Assignment> assignments;
  REBOOK_RETURN_IF_ERROR(tx.ScanAssignments(
      outage_id, plan_id, [&](const domain::Assignment& a) { assignments.push_back(a); }));
  REBOOK_ASSIGN_OR_RETURN(auto held, HeldByClerk(tx));
  std::map<std::string, domain::Office> offices;

  for (const domain::Assignment& a : assignments) {
    REBOOK_ASSIGN_OR_RETURN(domain::Appointment appt,
                            tx.GetAppointment(a.appointment_office_id, a.appointment_id));
    bool waiting =
        appt.status == AppointmentStatus::kCancelled || appt.status == AppointmentStatus::kDeclined;
    if (!waiting || appt.outage_id != outage_id) {
      ++result.skipped;
      continue;
    }
    if (a.status != domain::AssignmentStatus::kAssigned) {
      appt.status_reason = a.reason.empty() ? "not placed by the plan" : a.reason;
      appt.update_time = ctx.now;
      REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(appt));
      continue;
    }
    for (const domain::TimeInterval& busy : held[a.clerk_id]) {
      if (busy.Overlaps(a.time))
        return Stale(plan_id, a.appointment_id, "is now held by another citizen");
    }
    REBOOK_ASSIGN_OR_RETURN(bool inside, InsideShift(tx, a));
    if (!inside)
      return Stale(plan_id, a.appointment_id, "is no longer inside a shift of its clerk");
    held[a.clerk_id].push_back(a.time);

    auto office = offices.find(appt.office_id);
    if (office == offices.end()) {
      REBOOK_ASSIGN_OR_RETURN(domain::Office o, tx.GetOffice(appt.office_id));
      office = offices.emplace(appt.office_id, std::move(o)).first;
    }
    domain::Offer offer;
    offer.appointment_id = appt.id;
    offer.office_id = appt.office_id;
    REBOOK_ASSIGN_OR_RETURN(offer.version, NextOfferVersion(tx, appt.Key()));
    offer.outage_id = outage_id;
    offer.plan_id = plan_id;
    offer.state = domain::OfferState::kOpen;
    offer.slot = {a.office_id, a.clerk_id, a.time, a.cost};
    offer.token = NewResponseToken();
    offer.create_time = ctx.now;
    offer.expire_time = ctx.now + office->second.offer_ttl;
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer));

    appt.status = AppointmentStatus::kOffered;
    appt.status_reason =
        absl::StrCat("offered ", domain::FormatLocal(office->second.time_zone, a.time.start));
    appt.update_time = ctx.now;
    REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(appt));
    REBOOK_RETURN_IF_ERROR(QueueMessage(tx, *ctx.outbox, appt, offer, domain::MessageKind::kOffer,
                                        "", ctx.now, *ctx.ids));
    ++result.offers_created;
  }

  result.plan.state = PlanState::kCommitted;
  result.plan.commit_time = ctx.now;
  REBOOK_RETURN_IF_ERROR(tx.PutPlan(result.plan));
  REBOOK_RETURN_IF_ERROR(SupersedeOthers(tx, outage_id, plan_id));
  return result;
}

}  // namespace rebook::rebooking
