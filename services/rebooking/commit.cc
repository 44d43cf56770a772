#include "services/rebooking/commit.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <stop_token>
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
#include "services/rebooking/time_checks.h"

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

// The appointment still waits for a slot in `outage_id` (cancelled by it, or it declined an
// offer since): a plan's assignment of it can become an offer.
bool WaitsIn(const domain::Appointment& a, const std::string& outage_id) {
  return (a.status == AppointmentStatus::kCancelled || a.status == AppointmentStatus::kDeclined) &&
         a.outage_id == outage_id;
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
// with the slots held now and those of the plan's new offers (what AttachAlternatives would
// find after the commit, without writing the offers twice). Made in two steps, so that the
// search runs on a second thread while the first one writes: Read reads the capacity in the
// caller's transaction; Find is CPU work on what Read gave and touches no store.
class AlternativesOf {
 public:
  // `appointments`: CommitReads::outage_appointments; `assigned`: the new offers' assignments.
  absl::Status Read(storage::Transaction& tx, const domain::Outage& outage,
                    const domain::PlanRecord& plan, std::vector<domain::Appointment> appointments,
                    std::vector<domain::Assignment> assigned) {
    REBOOK_ASSIGN_OR_RETURN(in_, LoadPlanningInput(tx, outage, plan.params, PlanScope::kOpenAndHeld,
                                                   std::move(appointments)));
    assigned_ = std::move(assigned);
    return absl::OkStatus();
  }

  // The alternatives of each of `offers` (none where FindAlternatives finds none), in order.
  // Reads only the offers' appointment ids and slots. Returns early, with what it has, once
  // `stop` is requested. Once per Read: it consumes what Read gave.
  absl::StatusOr<std::vector<std::vector<domain::OfferSlot>>> Find(
      const std::vector<domain::Offer>& offers, int count, std::stop_token stop) {
    std::map<std::string, domain::Assignment> held;
    for (const domain::Assignment& h : in_.held) held.emplace(h.appointment_id, h);
    for (domain::Assignment& a : assigned_) {
      std::string id = a.appointment_id;
      held.insert_or_assign(std::move(id), std::move(a));
    }
    REBOOK_ASSIGN_OR_RETURN(SlotScenario slots,
                            BuildSlotScenario(std::move(in_.scenario), std::move(held)));
    std::vector<std::vector<domain::OfferSlot>> found(offers.size());
    for (std::size_t i = 0; i < offers.size() && !stop.stop_requested(); ++i) {
      absl::StatusOr<std::vector<domain::OfferSlot>> alts =
          FindAlternatives(slots, offers[i].appointment_id, offers[i].slot, count);
      if (alts.ok()) found[i] = *std::move(alts);
    }
    return found;
  }

 private:
  PlanningInput in_;
  std::vector<domain::Assignment> assigned_;
};

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
  if (ctx.min_notice) {
    REBOOK_RETURN_IF_ERROR(CheckSlotsAhead(tx, plan_id, assignments, ctx.now, *ctx.min_notice));
  }
  CommitReads reads;
  REBOOK_RETURN_IF_ERROR(ReadOffers(tx, reads));
  REBOOK_RETURN_IF_ERROR(ReadShifts(tx, assignments, reads));
  REBOOK_RETURN_IF_ERROR(ReadAppointments(tx, outage_id, assignments, reads));
  std::map<std::string, domain::Office> offices;

  // CPU work that needs no store runs beside this thread's reads and writes (docs/pipeline.md,
  // "A commit on two threads"):
  // - `router`: each offer's first channel (it parses the citizen's phone number) and response
  //   token, from copies of the contacts, while this thread decides the offers and reads the
  //   capacity for their alternatives;
  // - `finder`: the alternatives, while this thread writes the messages. It reads the offers,
  //   which nothing changes until it is joined, and fills a vector of its own.
  // Each jthread is declared after what it uses: on an early return it is asked to stop, and
  // joined before any of that is destroyed.
  std::vector<domain::Contact> contacts;  // of each offer to be, in plan order
  std::vector<const domain::Appointment*> found(assignments.size(), nullptr);
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const domain::Assignment& a = assignments[i];
    auto it = reads.appointments.find(KeyView{a.appointment_office_id, a.appointment_id});
    if (it == reads.appointments.end()) continue;  // the loop below tells
    found[i] = it->second;
    if (a.status == domain::AssignmentStatus::kAssigned && WaitsIn(*found[i], outage_id)) {
      contacts.push_back(found[i]->contact);
    }
  }
  std::vector<OutboxPolicy::FirstRoute> routes(contacts.size());
  std::vector<std::string> tokens(contacts.size());
  std::jthread router([&](std::stop_token stop) {
    notify::MobileNumbers numbers;  // each distinct phone number parsed once
    for (std::size_t i = 0; i < contacts.size() && !stop.stop_requested(); ++i) {
      routes[i] = ctx.outbox->RouteFor(contacts[i], &numbers);
      tokens[i] = NewResponseToken();
    }
  });

  // Everything is decided in memory first (a stale plan writes nothing), then written in bulk.
  std::vector<domain::Appointment> updated;
  std::vector<domain::Offer> offers;
  std::vector<domain::Assignment> assigned;
  std::vector<std::size_t> offered;  // index in `updated` of each offer's appointment
  updated.reserve(assignments.size());
  offers.reserve(contacts.size());
  assigned.reserve(contacts.size());
  offered.reserve(contacts.size());
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const domain::Assignment& a = assignments[i];
    if (found[i] == nullptr) {
      return absl::NotFoundError(absl::StrCat("appointment ", a.appointment_id, " of office ",
                                              a.appointment_office_id, " no longer exists"));
    }
    if (!WaitsIn(*found[i], outage_id)) {
      ++result.skipped;
      continue;
    }
    domain::Appointment appt = *found[i];
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
    // (A first commit finds no offers: no key is built to look up in an empty map.)
    const auto last = reads.versions.empty() ? reads.versions.end()
                                             : reads.versions.find({appt.office_id, appt.id});
    offer.version = (last == reads.versions.end() ? 0 : last->second) + 1;
    offer.outage_id = outage_id;
    offer.plan_id = plan_id;
    offer.state = domain::OfferState::kOpen;
    offer.slot = {a.office_id, a.clerk_id, a.time, a.cost};
    offer.create_time = ctx.now;
    // The token and the expiry follow once the route is known (below).

    appt.status = AppointmentStatus::kOffered;
    HoldSlot(appt, offer);
    appt.status_reason =
        absl::StrCat("offered ", domain::FormatLocal(office->second.time_zone, a.time.start));
    appt.update_time = ctx.now;
    offered.push_back(updated.size());
    updated.push_back(std::move(appt));
    assigned.push_back(a);
  }
  reads.appointments.clear();  // it points into the appointments moved on below

  // The capacity for the alternatives is read now, before anything is written.
  const bool with_alternatives = ctx.alternatives > 0 && !offers.empty();
  AlternativesOf alternatives_of;
  if (with_alternatives) {
    REBOOK_RETURN_IF_ERROR(alternatives_of.Read(
        tx, outage, result.plan, std::move(reads.outage_appointments), std::move(assigned)));
  }
  router.join();
  if (offers.size() != routes.size()) {
    return absl::InternalError("commit: the offers are not those routed");
  }
  for (std::size_t i = 0; i < offers.size(); ++i) {
    const std::chrono::seconds office_ttl = offices.at(offers[i].office_id).offer_ttl;
    offers[i].expire_time = ctx.now + ctx.outbox->OfferHold(routes[i], office_ttl);
    offers[i].token = std::move(tokens[i]);
  }
  absl::StatusOr<std::vector<std::vector<domain::OfferSlot>>> alternatives;
  std::jthread finder;
  if (with_alternatives) {
    finder = std::jthread([&](std::stop_token stop) {
      alternatives = alternatives_of.Find(offers, ctx.alternatives, stop);
    });
  }

  // Messages first: they need the routes alone. The offers follow once their alternatives are
  // found, and the appointments last: their change-feed events name each one's newest offer.
  std::vector<OfferMessage> messages;
  messages.reserve(offers.size());
  for (std::size_t i = 0; i < offers.size(); ++i) {
    messages.push_back({&updated[offered[i]], &offers[i], &routes[i]});
  }
  REBOOK_RETURN_IF_ERROR(QueueMessages(tx, *ctx.outbox, messages, domain::MessageKind::kOffer,
                                       ctx.now, *ctx.ids, ctx.progress));
  if (with_alternatives) {
    finder.join();
    if (!alternatives.ok()) return alternatives.status();
    for (std::size_t i = 0; i < offers.size(); ++i) {
      offers[i].alternatives = std::move((*alternatives)[i]);
    }
  }
  REBOOK_RETURN_IF_ERROR(
      InChunks<domain::Offer>(offers, ctx.progress, "writing offers",
                              [&](std::span<const domain::Offer> c) { return tx.PutOffers(c); }));
  REBOOK_RETURN_IF_ERROR(InChunks<domain::Appointment>(
      updated, ctx.progress, "updating appointments",
      [&](std::span<const domain::Appointment> c) { return tx.UpdateAppointments(c); }));
  result.offers_created = static_cast<std::int64_t>(offers.size());

  result.plan.state = PlanState::kCommitted;
  result.plan.commit_time = ctx.now;
  REBOOK_RETURN_IF_ERROR(tx.PutPlan(result.plan));
  REBOOK_RETURN_IF_ERROR(SupersedeOthers(tx, outage_id, plan_id));
  return result;
}

}  // namespace rebook::rebooking
