#include "services/rebooking/replan.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/offers.h"
#include "services/rebooking/planning.h"
#include "services/rebooking/slots.h"

namespace rebook::rebooking {
namespace {

using domain::OfferState;
using domain::PlanState;

// The first local midnight at or after `t` in `tz`. A re-plan's horizon starts on a whole day,
// so that no office-day is split between held slots before it (standing bookings there) and
// new ones after it, which would let rule 6 count that day's reserve twice.
Instant NextLocalMidnight(const std::string& tz, Instant t) {
  const domain::LocalDate day = domain::LocalDateOf(tz, t);
  const Instant midnight = domain::StartOfLocalDay(tz, day);
  if (midnight >= t) return midnight;
  return domain::StartOfLocalDay(tz, domain::LocalDate(date::local_days(day) + date::days(1)));
}

// FNV-1a: a digest of what the re-plan was solved on, to notice changes before committing.
class Digest {
 public:
  template <typename... Parts>
  void Add(const Parts&... parts) {
    (Mix(absl::StrCat(parts)), ...);
    Mix("|");
  }
  std::string Hex() const {
    char buf[17];
    std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  void Mix(const std::string& s) {
    for (unsigned char c : s) h_ = (h_ ^ c) * 1099511628211ULL;
  }
  std::uint64_t h_ = 1469598103934665603ULL;
};

// Committed plans of the outage, the holding offers of every outage (they are busy time for
// everyone), the outage's appointments and every closure.
absl::StatusOr<std::string> StateDigest(storage::Transaction& tx, const domain::Outage& outage) {
  std::vector<std::string> lines;
  storage::PageRequest page{1000, ""};
  do {
    REBOOK_ASSIGN_OR_RETURN(auto plans, tx.ListPlans(outage.id, page));
    for (const auto& p : plans.items) {
      if (p.state == PlanState::kCommitted) lines.push_back(absl::StrCat("plan ", p.id));
    }
    page.page_token = plans.next_page_token;
  } while (!page.page_token.empty());
  storage::OfferFilter holding;
  holding.states = {OfferState::kOpen, OfferState::kAccepted};
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(holding, [&](const domain::Offer& o) {
    lines.push_back(absl::StrCat("offer ", o.appointment_id, " ", o.version, " ",
                                 static_cast<int>(o.state), " ", o.accepted_alternative));
  }));
  storage::AppointmentFilter mine;
  mine.outage_id = outage.id;
  REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(mine, [&](const domain::Appointment& a) {
    lines.push_back(absl::StrCat("appointment ", a.id, " ", static_cast<int>(a.status), " ",
                                 a.unavailable.size()));
  }));
  REBOOK_ASSIGN_OR_RETURN(auto closures, tx.ListClosures(std::nullopt));
  for (const domain::Closure& c : closures) {
    lines.push_back(absl::StrCat("closure ", c.office_id, " ", domain::FormatLocalDate(c.date)));
  }
  std::sort(lines.begin(), lines.end());
  Digest d;
  for (const std::string& l : lines) d.Add(l);
  return d.Hex();
}

bool SameSlot(const domain::Assignment& a, const domain::Assignment& b) {
  return a.status == b.status && a.office_id == b.office_id && a.clerk_id == b.clerk_id &&
         a.time == b.time;
}

// Puts the re-plan's reason on the new offer of a moved citizen and on its queued message.
absl::Status ExplainNewOffer(storage::Transaction& tx, const domain::AppointmentKey& appointment,
                             const std::string& explanation) {
  REBOOK_ASSIGN_OR_RETURN(std::optional<domain::Offer> offer, HeldOfferOf(tx, appointment));
  if (!offer) return absl::OkStatus();
  offer->explanation = explanation;
  REBOOK_RETURN_IF_ERROR(tx.PutOffer(*offer));
  std::vector<domain::OutboxMessage> messages;
  storage::MessageFilter filter;
  filter.appointment = appointment;
  REBOOK_RETURN_IF_ERROR(tx.ScanMessages(filter, [&](const domain::OutboxMessage& m) {
    if (m.offer_version == offer->version && m.kind == domain::MessageKind::kOffer)
      messages.push_back(m);
  }));
  for (domain::OutboxMessage& m : messages) {
    m.explanation = explanation;
    REBOOK_RETURN_IF_ERROR(tx.UpdateMessage(m));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<domain::PlanRecord>> LastCommittedPlan(storage::Transaction& tx,
                                                                    const std::string& outage_id) {
  std::vector<domain::PlanRecord> committed;
  storage::PageRequest page{1000, ""};
  do {
    REBOOK_ASSIGN_OR_RETURN(auto plans, tx.ListPlans(outage_id, page));
    for (auto& p : plans.items) {
      if (p.state == PlanState::kCommitted) committed.push_back(std::move(p));
    }
    page.page_token = plans.next_page_token;
  } while (!page.page_token.empty());
  std::optional<domain::PlanRecord> head;
  for (const domain::PlanRecord& p : committed) {
    // A plan some other committed plan started from is not the last one.
    bool is_base = std::any_of(committed.begin(), committed.end(), [&](const auto& q) {
      return q.base_plan_id == p.id && q.id != p.id;
    });
    if (is_base) continue;
    if (!head || p.commit_time > head->commit_time ||
        (p.commit_time == head->commit_time && p.create_time > head->create_time)) {
      head = p;
    }
  }
  return head;
}

absl::StatusOr<ReplanInput> PrepareReplan(storage::Transaction& tx, const std::string& outage_id,
                                          const std::optional<ReplanParams>& overrides, Instant now,
                                          const ReplanOptions& options) {
  ReplanInput in;
  REBOOK_ASSIGN_OR_RETURN(in.outage, tx.GetOutage(outage_id));
  if (in.outage.state != domain::OutageState::kActive) {
    return absl::FailedPreconditionError(
        absl::StrCat("outage \"", outage_id, "\" is closed; it cannot be re-planned"));
  }
  REBOOK_ASSIGN_OR_RETURN(in.base, LastCommittedPlan(tx, outage_id));
  if (overrides) {
    in.params = *overrides;
  } else if (in.base) {
    in.params = {in.base->params, in.base->seed, in.base->time_limit_seconds};
  } else {
    return absl::FailedPreconditionError(absl::StrCat(
        "outage \"", outage_id, "\" has no committed plan; commit one or pass parameters"));
  }
  domain::PlanParams& p = in.params.params;
  absl::StatusOr<domain::Office> first = in.outage.office_ids.empty()
                                             ? absl::NotFoundError("no office")
                                             : tx.GetOffice(in.outage.office_ids.front());
  const std::string tz = first.ok() ? first->time_zone : "Europe/Berlin";
  // New parameters must not start in the past; the last plan's horizon naturally does.
  if (overrides && p.horizon_start < now) {
    return EarliestHorizonStart(p, tz, now, options.min_notice, "parameters").status();
  }
  if (p.horizon_start < now + options.min_notice) {
    p.horizon_start = std::max(p.horizon_start, NextLocalMidnight(tz, now + options.min_notice));
  }
  if (p.horizon_start >= p.horizon_end) {
    return absl::FailedPreconditionError(
        absl::StrCat(overrides ? "parameters" : "the last committed plan's parameters",
                     ".horizon.end_time ", FormatWithOffset(tz, p.horizon_end),
                     " has passed: with the minimum notice new slots start on ",
                     FormatWithOffset(tz, p.horizon_start), " (server time ",
                     domain::FormatUtc(now), "); pass parameters with a later horizon"));
  }
  REBOOK_ASSIGN_OR_RETURN(PlanningInput input,
                          LoadPlanningInput(tx, in.outage, p, PlanScope::kOpenAndHeld));
  in.scenario = std::move(input.scenario);
  for (const domain::Assignment& h : input.held) in.held.emplace(h.appointment_id, h);
  in.confirmed.insert(input.confirmed.begin(), input.confirmed.end());

  // Held slots that start before the new horizon stay as they are; they only block time.
  std::erase_if(in.scenario.appointments, [&](const domain::Appointment& a) {
    auto h = in.held.find(a.id);
    if (h == in.held.end() || h->second.time.start >= p.horizon_start) return false;
    in.scenario.bookings.push_back(
        {absl::StrCat("held.", a.id), h->second.clerk_id, h->second.office_id, h->second.time});
    in.confirmed.erase(a.id);
    in.held.erase(h);
    return true;
  });

  REBOOK_ASSIGN_OR_RETURN(in.broken, FindBrokenHeld(in.scenario, in.held, in.confirmed));
  for (const auto& [id, h] : in.held) {
    if (in.broken.count(id)) continue;
    in.request.previous.push_back(h);
    if (in.confirmed.count(id)) in.request.pinned.push_back(id);
  }
  in.request.keep_unaffected = true;
  REBOOK_ASSIGN_OR_RETURN(in.state_digest, StateDigest(tx, in.outage));
  return in;
}

absl::StatusOr<domain::Plan> SolveReplan(ReplanInput& in, const solver::SolveOptions& options) {
  for (;;) {
    REBOOK_ASSIGN_OR_RETURN(solver::ResolveResult r,
                            solver::Resolve(in.scenario, in.request, options));
    if (r.unfit_pinned.empty()) return std::move(r.plan);
    // The checker accepted these pinned slots, the solver did not: they are broken (rule 2).
    const std::size_t pinned_before = in.request.pinned.size();
    for (const std::string& id : r.unfit_pinned) {
      auto h = in.held.find(id);
      if (h == in.held.end()) {
        return absl::FailedPreconditionError(
            absl::StrCat("pinned appointment ", id, " no longer fits its slot"));
      }
      std::string language = "de";
      for (const domain::Appointment& a : in.scenario.appointments) {
        if (a.id == id) language = a.contact.language;
      }
      in.broken[id] = {2, ExplainBrokenSlot(in.scenario, h->second, 2, language)};
      std::erase(in.request.pinned, id);
      std::erase_if(in.request.previous,
                    [&](const domain::Assignment& a) { return a.appointment_id == id; });
    }
    if (in.request.pinned.size() >= pinned_before) {
      return absl::InternalError("the solver reported pinned appointments that were not pinned");
    }
  }
}

absl::StatusOr<ReplanResult> CommitReplan(storage::Transaction& tx, const ReplanInput& in,
                                          const domain::Plan& plan, const std::string& plan_id,
                                          const CommitContext& ctx, const ReplanOptions& options) {
  REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(in.outage.id));
  REBOOK_ASSIGN_OR_RETURN(std::string digest, StateDigest(tx, outage));
  if (digest != in.state_digest) {
    return absl::AbortedError(
        absl::StrCat("outage \"", outage.id,
                     "\" changed while it was re-planned (an answer, a commit or a "
                     "closure); re-plan again"));
  }

  ReplanResult result;
  // appointment -> explanation (new slot follows)
  std::map<domain::AppointmentKey, std::string> moved;
  bool places_waiting = false;
  for (const domain::Assignment& x : plan.assignments) {
    auto h = in.held.find(x.appointment_id);
    const bool assigned = x.status == domain::AssignmentStatus::kAssigned;
    if (h == in.held.end()) {
      places_waiting |= assigned;
      continue;
    }
    if (SameSlot(x, h->second)) continue;
    if (in.confirmed.count(x.appointment_id) && !in.broken.count(x.appointment_id)) {
      return absl::InternalError(absl::StrCat("the re-plan moved confirmed appointment \"",
                                              x.appointment_id, "\"; nothing was changed"));
    }
    REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                            tx.GetAppointment(x.appointment_office_id, x.appointment_id));
    auto why = in.broken.find(x.appointment_id);
    const std::string explanation =
        why != in.broken.end() ? why->second.explanation
                               : ExplainBrokenSlot(in.scenario, h->second, 6, a.contact.language);
    // Without a new slot the citizen is told at once; with one, the new offer says why.
    REBOOK_RETURN_IF_ERROR(WithdrawHeldOffer(tx, a, explanation, ctx, !assigned).status());
    a.status = domain::AppointmentStatus::kCancelled;
    a.status_reason = explanation;
    ReleaseSlots(a);
    a.update_time = ctx.now;
    REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
    if (assigned) {
      moved[a.Key()] = explanation;
      ++result.moved;
    } else {
      ++result.withdrawn;
    }
  }
  result.changed = places_waiting || result.moved > 0 || result.withdrawn > 0;
  if (!result.changed && in.base) {
    result.plan = *in.base;
    return result;
  }

  domain::PlanRecord record;
  record.outage_id = outage.id;
  record.id = plan_id;
  record.state = PlanState::kReady;
  record.params = in.params.params;
  record.seed = in.params.seed;
  record.time_limit_seconds = in.params.time_limit_seconds;
  record.summary = plan.summary;
  record.create_time = ctx.now;
  if (in.base) record.base_plan_id = in.base->id;
  REBOOK_RETURN_IF_ERROR(StorePlan(tx, record, plan));
  CommitContext commit = ctx;
  commit.alternatives = options.alternatives;
  REBOOK_ASSIGN_OR_RETURN(CommitResult committed, CommitPlan(tx, outage.id, plan_id, commit));
  result.plan = committed.plan;
  result.new_offers = committed.offers_created;
  for (const auto& [key, explanation] : moved) {
    REBOOK_RETURN_IF_ERROR(ExplainNewOffer(tx, key, explanation));
  }
  return result;
}

}  // namespace rebook::rebooking
