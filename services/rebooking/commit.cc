#include "services/rebooking/commit.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/common/tokens.h"
#include "services/domain/local_time.h"
#include "services/rebooking/appointments.h"
#include "services/rebooking/offer_alternatives.h"
#include "services/rebooking/planning.h"
#include "services/rebooking/slots.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::OfferState;
using domain::PlanState;

// Rows per progress report of a commit's bulk writes (see InChunks).
constexpr std::size_t kCommitChunkRows = 1024;

// Runs `write` on consecutive chunks of `rows`, reporting each chunk to `progress`. The chunks
// only pace the reports: the store writes bulk rows in multi-row statements with a savepoint
// around only their first 64 (a savepoint made every statement inside it dearer the more it
// had written: SQLite's memjrnlTruncate walk), so the chunk size barely changes the cost. The
// caller's transaction commits all of them or nothing.
template <typename T>
absl::Status InChunks(std::span<const T> rows, domain::ProgressSink* progress,
                      std::string_view stage,
                      absl::FunctionRef<absl::Status(std::span<const T>)> write) {
  constexpr std::size_t kChunk = kCommitChunkRows;
  const auto total = static_cast<std::int64_t>(rows.size());
  domain::ReportProgress(progress, stage, 0, total);
  for (std::size_t i = 0; i < rows.size(); i += kChunk) {
    const std::size_t n = std::min(kChunk, rows.size() - i);
    REBOOK_RETURN_IF_ERROR(write(rows.subspan(i, n)));
    domain::ReportProgress(progress, stage, static_cast<std::int64_t>(i + n), total);
  }
  return absl::OkStatus();
}

// An appointment's (office id, id), viewing strings the commit holds.
using KeyView = std::pair<std::string_view, std::string_view>;
struct KeyViewHash {
  std::size_t operator()(const KeyView& k) const {
    const std::hash<std::string_view> h;
    return h(k.first) * 31 + h(k.second);
  }
};

// What a commit reads once, before it writes anything.
struct CommitReads {
  // Busy time per clerk from the offers that hold a slot now.
  std::map<std::string, std::vector<domain::TimeInterval>> held;
  // The highest offer version per appointment (office id, id).
  std::map<std::pair<std::string, std::string>, int> versions;
  // The shifts of each clerk at the plan's offices around its slots.
  std::map<std::string, std::vector<domain::Shift>> shifts;
  // The outage's appointments that LoadPlanningInput reads for alternatives (waiting or holding
  // a slot: PlanningAppointmentFilter), in the store's order; read once for both.
  std::vector<domain::Appointment> outage_appointments;
  // The plan's appointments that are not among those (no longer waiting in this outage).
  std::vector<domain::Appointment> others;
  // The plan's appointments by (office id, id), pointing into the two above (hashed: a tree of
  // 100,000 keys cost 2-3 % of a region commit in string comparisons).
  std::unordered_map<KeyView, const domain::Appointment*, KeyViewHash> appointments;
};

absl::Status ReadOffers(storage::Transaction& tx, CommitReads& r) {
  return tx.ScanOffers({}, [&](const domain::Offer& o) {
    int& v = r.versions[{o.office_id, o.appointment_id}];
    v = std::max(v, o.version);
    if (o.state == OfferState::kOpen || o.state == OfferState::kAccepted) {
      r.held[o.HeldSlot().clerk_id].push_back(o.HeldSlot().time);
    }
  });
}

absl::Status ReadShifts(storage::Transaction& tx, const std::vector<domain::Assignment>& plan,
                        CommitReads& r) {
  std::set<std::string> offices;
  std::optional<domain::TimeInterval> span;
  for (const domain::Assignment& a : plan) {
    if (a.status != domain::AssignmentStatus::kAssigned) continue;
    offices.insert(a.office_id);
    span = span ? domain::TimeInterval{std::min(span->start, a.time.start),
                                       std::max(span->end, a.time.end)}
                : a.time;
  }
  if (!span) return absl::OkStatus();
  storage::ShiftFilter filter;
  filter.office_ids = std::vector<std::string>(offices.begin(), offices.end());
  filter.overlapping = span;
  storage::PageRequest page{1000, ""};
  do {
    REBOOK_ASSIGN_OR_RETURN(auto result, tx.ListShifts(filter, page));
    for (domain::Shift& s : result.items) r.shifts[s.clerk_id].push_back(std::move(s));
    page.page_token = result.next_page_token;
  } while (!page.page_token.empty());
  return absl::OkStatus();
}

absl::Status ReadAppointments(storage::Transaction& tx, const std::string& outage_id,
                              const std::vector<domain::Assignment>& plan, CommitReads& r) {
  REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(
      PlanningAppointmentFilter(outage_id, PlanScope::kOpenAndHeld),
      [&](const domain::Appointment& a) { r.outage_appointments.push_back(a); }));
  r.appointments.reserve(r.outage_appointments.size());
  for (const domain::Appointment& a : r.outage_appointments) {
    r.appointments.emplace(KeyView{a.office_id, a.id}, &a);
  }
  std::vector<domain::AppointmentKey> missing;
  for (const domain::Assignment& a : plan) {
    if (!r.appointments.contains(KeyView{a.appointment_office_id, a.appointment_id})) {
      missing.push_back(a.appointment_key());
    }
  }
  if (missing.empty()) return absl::OkStatus();
  REBOOK_ASSIGN_OR_RETURN(r.others, tx.FindAppointments(missing));
  for (const domain::Appointment& a : r.others) {
    r.appointments.emplace(KeyView{a.office_id, a.id}, &a);
  }
  return absl::OkStatus();
}

absl::Status Stale(const std::string& plan_id, const std::string& appointment_id,
                   const std::string& why) {
  return absl::FailedPreconditionError(
      absl::StrCat("plan \"", plan_id, "\" is stale: the slot of appointment \"", appointment_id,
                   "\" ", why, "; create a new plan"));
}

// The slot must still lie inside one shift of its clerk at its office.
bool InsideShift(const CommitReads& r, const domain::Assignment& a) {
  auto shifts = r.shifts.find(a.clerk_id);
  if (shifts == r.shifts.end()) return false;
  for (const domain::Shift& s : shifts->second) {
    if (s.office_id == a.office_id && s.time.Contains(a.time)) return true;
  }
  return false;
}

// Up to `count` alternatives for each new offer, from one scenario of the capacity left over
// with the slots held now and those of `offers` (what AttachAlternatives would find after the
// commit, without writing the offers twice). `appointments`: CommitReads::outage_appointments.
absl::Status FindAlternativesOf(storage::Transaction& tx, const domain::Outage& outage,
                                const domain::PlanRecord& plan,
                                std::vector<domain::Appointment> appointments,
                                const std::vector<domain::Assignment>& assigned, int count,
                                std::vector<domain::Offer>& offers) {
  if (count <= 0 || offers.empty()) return absl::OkStatus();
  REBOOK_ASSIGN_OR_RETURN(
      PlanningInput in,
      LoadPlanningInput(tx, outage, plan.params, PlanScope::kOpenAndHeld, std::move(appointments)));
  std::map<std::string, domain::Assignment> held;
  for (const domain::Assignment& h : in.held) held.emplace(h.appointment_id, h);
  for (const domain::Assignment& a : assigned) held.insert_or_assign(a.appointment_id, a);
  REBOOK_ASSIGN_OR_RETURN(SlotScenario slots,
                          BuildSlotScenario(std::move(in.scenario), std::move(held)));
  for (domain::Offer& o : offers) {
    absl::StatusOr<std::vector<domain::OfferSlot>> alts =
        FindAlternatives(slots, o.appointment_id, o.slot, count);
    if (alts.ok()) o.alternatives = *std::move(alts);
  }
  return absl::OkStatus();
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

// The losing side of two commits of one outage that ran at once (see CommitPlan).
absl::Status LostCommitRace(storage::Transaction& tx, const std::string& outage_id,
                            const std::string& plan_id) {
  std::string winner;
  storage::PageRequest page{1000, ""};
  do {
    REBOOK_ASSIGN_OR_RETURN(auto result, tx.ListPlans(outage_id, page));
    for (const domain::PlanRecord& p : result.items) {
      if (p.state == PlanState::kCommitted) winner = p.id;
    }
    page.page_token = result.next_page_token;
  } while (!page.page_token.empty());
  return absl::AbortedError(absl::StrCat(
      "plan \"", plan_id, "\" was superseded while this request ran: another commit of outage \"",
      outage_id, "\" won",
      winner.empty() ? std::string() : absl::StrCat(" (plan \"", winner, "\" is committed)"),
      "; re-read the outage's plans before committing or re-planning again"));
}

}  // namespace

std::optional<domain::PlanState> PlanStateAtStart(storage::Store& store,
                                                  const storage::TransactionOptions& options,
                                                  const std::string& outage_id,
                                                  const std::string& plan_id) {
  std::optional<domain::PlanState> state;
  store
      .Read(options,
            [&](storage::Transaction& tx) -> absl::Status {
              REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord plan, tx.GetPlan(outage_id, plan_id));
              state = plan.state;
              return absl::OkStatus();
            })
      .IgnoreError();
  return state;
}

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
  if (result.plan.state == PlanState::kWhatIf) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan \"", plan_id,
                     "\" is a what-if plan, solved with capacity changes that are not stored; it "
                     "is for comparison only and can never be committed"));
  }
  if (result.plan.state == PlanState::kSuperseded && ctx.plan_state_at_start == PlanState::kReady) {
    return LostCommitRace(tx, outage_id, plan_id);
  }
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
  CommitReads reads;
  REBOOK_RETURN_IF_ERROR(ReadOffers(tx, reads));
  REBOOK_RETURN_IF_ERROR(ReadShifts(tx, assignments, reads));
  REBOOK_RETURN_IF_ERROR(ReadAppointments(tx, outage_id, assignments, reads));
  std::map<std::string, domain::Office> offices;

  // Everything is decided in memory first (a stale plan writes nothing), then written in bulk.
  std::vector<domain::Appointment> updated;
  std::vector<domain::Offer> offers;
  std::vector<domain::Assignment> assigned;
  std::vector<std::size_t> offered;  // index in `updated` of each offer's appointment
  for (const domain::Assignment& a : assignments) {
    auto found = reads.appointments.find(KeyView{a.appointment_office_id, a.appointment_id});
    if (found == reads.appointments.end()) {
      return absl::NotFoundError(absl::StrCat("appointment ", a.appointment_id, " of office ",
                                              a.appointment_office_id, " no longer exists"));
    }
    domain::Appointment appt = *found->second;
    bool waiting =
        appt.status == AppointmentStatus::kCancelled || appt.status == AppointmentStatus::kDeclined;
    if (!waiting || appt.outage_id != outage_id) {
      ++result.skipped;
      continue;
    }
    if (a.status != domain::AssignmentStatus::kAssigned) {
      appt.status_reason = a.reason.empty() ? "not placed by the plan" : a.reason;
      appt.update_time = ctx.now;
      updated.push_back(std::move(appt));
      continue;
    }
    std::vector<domain::TimeInterval>& busy_times = reads.held[a.clerk_id];
    for (const domain::TimeInterval& busy : busy_times) {
      if (busy.Overlaps(a.time))
        return Stale(plan_id, a.appointment_id, "is now held by another citizen");
    }
    if (!InsideShift(reads, a))
      return Stale(plan_id, a.appointment_id, "is no longer inside a shift of its clerk");
    busy_times.push_back(a.time);

    auto office = offices.find(appt.office_id);
    if (office == offices.end()) {
      REBOOK_ASSIGN_OR_RETURN(domain::Office o, tx.GetOffice(appt.office_id));
      office = offices.emplace(appt.office_id, std::move(o)).first;
    }
    domain::Offer& offer = offers.emplace_back();
    offer.appointment_id = appt.id;
    offer.office_id = appt.office_id;
    offer.version = reads.versions[{appt.office_id, appt.id}] + 1;
    offer.outage_id = outage_id;
    offer.plan_id = plan_id;
    offer.state = domain::OfferState::kOpen;
    offer.slot = {a.office_id, a.clerk_id, a.time, a.cost};
    offer.create_time = ctx.now;
    // The expiry follows once the route is known (below).

    appt.status = AppointmentStatus::kOffered;
    HoldSlot(appt, offer);
    appt.status_reason =
        absl::StrCat("offered ", domain::FormatLocal(office->second.time_zone, a.time.start));
    appt.update_time = ctx.now;
    offered.push_back(updated.size());
    updated.push_back(std::move(appt));
    assigned.push_back(a);
  }
  reads.appointments.clear();  // it points into the appointments moved on here
  // Each offer's first channel (it parses the citizen's phone number) and response token are
  // found on a second thread while this one reads the capacity and finds the alternatives: both
  // are CPU work on data the other does not touch (`updated`, `routes` and the offers' tokens
  // there; the transaction, the offers' alternatives and the scenario here). The thread is
  // joined before anything is written, and on every return (jthread).
  std::vector<OutboxPolicy::FirstRoute> routes(offers.size());
  {
    std::jthread router([&, n = offers.size()] {
      notify::MobileNumbers numbers;  // each distinct phone number parsed once
      for (std::size_t i = 0; i < n; ++i) {
        routes[i] = ctx.outbox->RouteFor(updated[offered[i]].contact, &numbers);
        offers[i].token = NewResponseToken();
      }
    });
    REBOOK_RETURN_IF_ERROR(FindAlternativesOf(tx, outage, result.plan,
                                              std::move(reads.outage_appointments), assigned,
                                              ctx.alternatives, offers));
  }
  for (std::size_t i = 0; i < offers.size(); ++i) {
    const std::chrono::seconds office_ttl = offices.at(offers[i].office_id).offer_ttl;
    offers[i].expire_time = ctx.now + ctx.outbox->OfferHold(routes[i], office_ttl);
  }

  REBOOK_RETURN_IF_ERROR(
      InChunks<domain::Offer>(offers, ctx.progress, "writing offers",
                              [&](std::span<const domain::Offer> c) { return tx.PutOffers(c); }));
  REBOOK_RETURN_IF_ERROR(InChunks<domain::Appointment>(
      updated, ctx.progress, "updating appointments",
      [&](std::span<const domain::Appointment> c) { return tx.UpdateAppointments(c); }));
  std::vector<OfferMessage> messages;
  messages.reserve(offers.size());
  for (std::size_t i = 0; i < offers.size(); ++i) {
    messages.push_back({&updated[offered[i]], &offers[i], &routes[i]});
  }
  REBOOK_RETURN_IF_ERROR(QueueMessages(tx, *ctx.outbox, messages, domain::MessageKind::kOffer,
                                       ctx.now, *ctx.ids, ctx.progress));
  result.offers_created = static_cast<std::int64_t>(offers.size());

  result.plan.state = PlanState::kCommitted;
  result.plan.commit_time = ctx.now;
  REBOOK_RETURN_IF_ERROR(tx.PutPlan(result.plan));
  REBOOK_RETURN_IF_ERROR(SupersedeOthers(tx, outage_id, plan_id));
  return result;
}

}  // namespace rebook::rebooking
