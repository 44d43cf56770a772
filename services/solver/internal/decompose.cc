#include "services/solver/internal/decompose.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "absl/strings/str_format.h"
#include "services/common/status_macros.h"
#include "services/solver/internal/report.h"
#include "services/solver/internal/union_find.h"

namespace rebook::solver::internal {
namespace {

// Parts up to this size keep the relaxation (SolveOptions::bound_max_appointments) on a loaded
// machine too. On region the rule fired from its second part on (tiny parts cost more per
// appointment than the rest); its parts of at most 1,000 appointments then had 20.1 M of gap
// between them (one of 334 appointments: 27.05 M plan, 18.09 M bound), with the LP 11.7 M
// (22.65 M, 21.04 M), in two 30 s runs (2026-12-06, load 7).
constexpr double kAlwaysRelaxedAppointments = 1000;

// The caller's budget seen from `start` on, with its own limit.
class PartBudget final : public TimeBudget {
 public:
  PartBudget(const TimeBudget& inner, double start, double limit)
      : inner_(inner), start_(start), limit_(limit) {}
  double ElapsedSeconds() const override { return inner_.ElapsedSeconds() - start_; }
  double LimitSeconds() const override { return limit_; }

 private:
  const TimeBudget& inner_;
  double start_;
  double limit_;
};

}  // namespace

std::vector<ScenarioPart> SplitScenario(const domain::Scenario& s) {
  // Nodes: offices, then clerks.
  const int offices = static_cast<int>(s.offices.size());
  std::unordered_map<std::string, int> office, clerk;
  for (int i = 0; i < offices; ++i) office.emplace(s.offices[i].id, i);
  for (std::size_t i = 0; i < s.clerks.size(); ++i)
    clerk.emplace(s.clerks[i].id, offices + static_cast<int>(i));
  bool unresolved = false;
  auto index = [&](const std::unordered_map<std::string, int>& m, const std::string& id) {
    auto it = m.find(id);
    if (it != m.end()) return it->second;
    unresolved = true;
    return -1;
  };
  UnionFind uf(offices + static_cast<int>(s.clerks.size()));
  auto link = [&](int a, int b) {
    if (a >= 0 && b >= 0) uf.Unite(a, b);
  };
  for (const domain::Shift& sh : s.shifts)
    link(index(clerk, sh.clerk_id), index(office, sh.office_id));
  for (const domain::StandingBooking& b : s.bookings) {
    const int c = index(clerk, b.clerk_id);
    if (!b.office_id.empty()) link(c, index(office, b.office_id));
  }
  for (const domain::Closure& c : s.closures) index(office, c.office_id);
  for (const domain::Appointment& a : s.appointments) {
    const int home = index(office, a.office_id);
    for (const std::string& o : a.allowed_offices) link(home, index(office, o));
  }
  if (unresolved) return {};

  // Parts in order of their first appointment, then sorted by size (stable).
  std::unordered_map<int, int> part_of_root;
  std::vector<ScenarioPart> parts;
  auto part = [&](int node) -> ScenarioPart* {
    auto it = part_of_root.find(uf.Find(node));
    return it == part_of_root.end() ? nullptr : &parts[it->second];
  };
  for (std::size_t i = 0; i < s.appointments.size(); ++i) {
    const int root = uf.Find(office.at(s.appointments[i].office_id));
    auto [it, added] = part_of_root.emplace(root, static_cast<int>(parts.size()));
    if (added) parts.emplace_back();
    parts[it->second].appointments.push_back(static_cast<int>(i));
  }
  for (int i = 0; i < offices; ++i) {
    if (ScenarioPart* p = part(i)) p->offices.push_back(i);
  }
  for (std::size_t i = 0; i < s.clerks.size(); ++i) {
    if (ScenarioPart* p = part(offices + static_cast<int>(i)))
      p->clerks.push_back(static_cast<int>(i));
  }
  for (std::size_t i = 0; i < s.shifts.size(); ++i) {
    if (ScenarioPart* p = part(office.at(s.shifts[i].office_id)))
      p->shifts.push_back(static_cast<int>(i));
  }
  for (std::size_t i = 0; i < s.bookings.size(); ++i) {
    if (ScenarioPart* p = part(clerk.at(s.bookings[i].clerk_id)))
      p->bookings.push_back(static_cast<int>(i));
  }
  for (std::size_t i = 0; i < s.closures.size(); ++i) {
    if (ScenarioPart* p = part(office.at(s.closures[i].office_id)))
      p->closures.push_back(static_cast<int>(i));
  }
  std::stable_sort(parts.begin(), parts.end(), [](const ScenarioPart& a, const ScenarioPart& b) {
    return a.appointments.size() < b.appointments.size();
  });
  return parts;
}

namespace {

// Appends from[i] for each index to `to`, copied or (MoveAt) moved out of `from`.
template <class T>
void CopyAt(const std::vector<T>& from, const std::vector<int>& indices, std::vector<T>& to) {
  to.reserve(indices.size());
  for (int i : indices) to.push_back(from[i]);
}
template <class T>
void MoveAt(std::vector<T>& from, const std::vector<int>& indices, std::vector<T>& to) {
  to.reserve(indices.size());
  for (int i : indices) to.push_back(std::move(from[i]));
}

}  // namespace

domain::Scenario PartScenario(const domain::Scenario& whole, const ScenarioPart& part) {
  domain::Scenario s;
  s.params = whole.params;
  s.services = whole.services;
  CopyAt(whole.offices, part.offices, s.offices);
  CopyAt(whole.clerks, part.clerks, s.clerks);
  CopyAt(whole.shifts, part.shifts, s.shifts);
  CopyAt(whole.bookings, part.bookings, s.bookings);
  CopyAt(whole.closures, part.closures, s.closures);
  CopyAt(whole.appointments, part.appointments, s.appointments);
  return s;
}

namespace {

// What the solver reads of an appointment (everything but the contact and the lifecycle), kept
// for the parts not yet solved when the caller gave the scenario away: 200 bytes against
// domain::Appointment's 672, so that state's 1M appointments hold 0.44 GB less from the parts'
// start on.
struct PlannedAppointment {
  std::string id, office_id, service_id;
  Instant original_start;
  std::optional<Instant> earliest_start, deadline;
  int priority = 1, cases = 1;
  std::vector<std::string> allowed_offices;
  std::vector<domain::TimeInterval> unavailable;
  domain::AppointmentKind kind = domain::AppointmentKind::kAppointment;
};

// Moves the appointments out of `whole` into their planned form and frees its list.
std::vector<PlannedAppointment> TakePlannedAppointments(domain::Scenario& whole) {
  std::vector<PlannedAppointment> planned;
  planned.reserve(whole.appointments.size());
  for (domain::Appointment& a : whole.appointments) {
    planned.push_back({std::move(a.id), std::move(a.office_id), std::move(a.service_id),
                       a.original_start, a.earliest_start, a.deadline, a.priority, a.cases,
                       std::move(a.allowed_offices), std::move(a.unavailable), a.kind});
  }
  std::vector<domain::Appointment>().swap(whole.appointments);
  return planned;
}

// PartScenario with the part's shifts, bookings and closures moved out of `whole` and its
// appointments out of `planned` (parts are disjoint: different parts may be taken at once).
// The appointments' contact and lifecycle are left default; the solver reads neither.
domain::Scenario TakePartScenario(domain::Scenario& whole, std::vector<PlannedAppointment>& planned,
                                  const ScenarioPart& part) {
  domain::Scenario s;
  s.params = whole.params;
  s.services = whole.services;
  CopyAt(whole.offices, part.offices, s.offices);
  CopyAt(whole.clerks, part.clerks, s.clerks);
  MoveAt(whole.shifts, part.shifts, s.shifts);
  MoveAt(whole.bookings, part.bookings, s.bookings);
  MoveAt(whole.closures, part.closures, s.closures);
  s.appointments.reserve(part.appointments.size());
  for (int i : part.appointments) {
    PlannedAppointment& p = planned[i];
    domain::Appointment& a = s.appointments.emplace_back();
    a.id = p.id;  // kept for the plan's rows
    a.office_id = p.office_id;
    a.service_id = std::move(p.service_id);
    a.original_start = p.original_start;
    a.earliest_start = p.earliest_start;
    a.deadline = p.deadline;
    a.priority = p.priority;
    a.cases = p.cases;
    a.allowed_offices = std::move(p.allowed_offices);
    a.unavailable = std::move(p.unavailable);
    a.kind = p.kind;
  }
  return s;
}

// A part's plan row, kept until every part is solved: offices, clerks and reasons as indices
// (40 bytes against domain::Assignment's 192; state's 1M rows hold 150 MiB less while the parts
// run). The appointment's id and office are the whole scenario's (or the planned form's).
struct JoinedRow {
  domain::TimeInterval time;
  double cost = 0;
  int office = -1, clerk = -1, reason = -1;
  domain::AssignmentStatus status = domain::AssignmentStatus::kUnassigned;
};

// The whole scenario's office and clerk indices by id, and the reasons seen (under `mu`).
struct JoinIndex {
  std::unordered_map<std::string, int> office, clerk;
  std::mutex mu;
  std::unordered_map<std::string, int> reason_index;
  std::vector<std::string> reasons;
};

JoinedRow ToRow(const domain::Assignment& a, JoinIndex& index) {
  JoinedRow r{a.time, a.cost, -1, -1, -1, a.status};
  if (!a.office_id.empty()) r.office = index.office.at(a.office_id);
  if (!a.clerk_id.empty()) r.clerk = index.clerk.at(a.clerk_id);
  if (!a.reason.empty()) {
    std::lock_guard<std::mutex> lock(index.mu);
    auto [it, added] = index.reason_index.emplace(a.reason, static_cast<int>(index.reasons.size()));
    if (added) index.reasons.push_back(a.reason);
    r.reason = it->second;
  }
  return r;
}

// Gives the pages of freed memory back to the system after each part. glibc keeps what a part's
// solve freed in its heaps (one per thread), where the next part's differently sized structures
// do not reuse all of it: state (1M, two workers) peaked at 1.65 GiB without this, 1.51 GiB
// trimming after parts of 5,000 appointments or more and 1.41 GiB after every part (one worker,
// untrimmed: 1.32 GiB), at no measurable CPU cost (51.7 against 50.7 user seconds).
// Not under AddressSanitizer: its allocator replaces glibc's, whose heaps are then never set up,
// and two workers' first malloc_trim calls race in glibc's lazy set-up (a SEGV in mtrim).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REBOOK_ASAN_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define REBOOK_ASAN_ALLOCATOR 1
#endif
void ReturnFreedMemory() {
#if defined(__GLIBC__) && !defined(REBOOK_ASAN_ALLOCATOR)
  malloc_trim(0);
#endif
}

// Adds a part's summary to the whole plan's (see SolveParts). `delay_sum` collects the
// assigned appointments' delay minutes for the mean.
void AddSummary(const domain::PlanSummary& part, domain::PlanSummary& m, double& delay_sum,
                double& bound, bool& bounded) {
  m.parts.delay += part.parts.delay;
  m.parts.office_change += part.parts.office_change;
  m.parts.overtime += part.parts.overtime;
  m.parts.unassigned += part.parts.unassigned;
  m.assigned += part.assigned;
  m.unassigned += part.unassigned;
  delay_sum += part.mean_delay_minutes * static_cast<double>(part.assigned);
  m.max_delay_minutes = std::max(m.max_delay_minutes, part.max_delay_minutes);
  m.office_changes += part.office_changes;
  m.overtime_minutes += part.overtime_minutes;
  m.fcfs_inversions += part.fcfs_inversions;
  m.shortfall.insert(m.shortfall.end(), part.shortfall.begin(), part.shortfall.end());
  m.suggested_shifts.insert(m.suggested_shifts.end(), part.suggested_shifts.begin(),
                            part.suggested_shifts.end());
  if (part.lower_bound) {
    bound += *part.lower_bound;
  } else {
    bounded = false;
  }
}

// True if a part of `appointments` bounds on the side thread (see SolveParts).
bool SidePath(const SolveOptions& o, double appointments) {
  return o.budget != nullptr && appointments > kAlwaysRelaxedAppointments;
}

}  // namespace

absl::StatusOr<domain::Plan> SolveParts(const domain::Scenario& whole,
                                        const std::vector<ScenarioPart>& parts,
                                        const SolveOptions& o, double end_fraction, double from,
                                        double to, const PartSolver& solve,
                                        domain::Scenario* owned) {
  domain::Plan result;
  const std::size_t whole_appointments = whole.appointments.size();
  // Before the plan's rows exist, so that the whole's appointments and those rows are never held
  // at once (the peak of state's run: 1,031 MiB of input and 200 MiB of planned appointments).
  std::vector<PlannedAppointment> planned;
  if (owned != nullptr) planned = TakePlannedAppointments(*owned);
  std::vector<JoinedRow> rows(whole_appointments);
  JoinIndex index;
  for (std::size_t k = 0; k < whole.offices.size(); ++k)
    index.office.emplace(whole.offices[k].id, static_cast<int>(k));
  for (std::size_t k = 0; k < whole.clerks.size(); ++k)
    index.clerk.emplace(whole.clerks[k].id, static_cast<int>(k));
  std::vector<domain::PlanSummary> summaries(parts.size());
  const int threads = static_cast<int>(
      std::min<std::size_t>(std::max(1, o.part_threads), std::max<std::size_t>(parts.size(), 1)));
  std::size_t total_appointments = 0;
  for (const ScenarioPart& p : parts) total_appointments += p.appointments.size();
  const double total = static_cast<double>(std::max<std::size_t>(total_appointments, 1));

  // Shared by the workers, under `mu`.
  std::mutex mu;
  std::condition_variable finished;       // a part in flight ended (or failed)
  std::size_t next = 0;                   // the next part to start
  std::size_t left = total_appointments;  // appointments of the parts not yet started
  std::size_t in_flight = 0;              // appointments of the parts being solved
  const std::size_t cap = static_cast<std::size_t>(std::max(0, o.part_in_flight_max_appointments));
  double done = 0, objective = 0;  // appointments and objective of the parts finished
  // The most a side-thread part finished ran over its share, per appointment.
  double overrun_per_appointment = 0;
  double largest_finished = 0;  // the largest side-thread part finished
  // The seconds the parts have in all (from the first's start to end_fraction of the limit).
  const double parts_time =
      o.budget != nullptr
          ? std::max(0.0, end_fraction * o.budget->LimitSeconds() - o.budget->ElapsedSeconds())
          : 0.0;
  std::vector<double> started_at(parts.size(), 0.0), share_of(parts.size(), 0.0);
  double largest_left = parts.empty() ? 0.0 : static_cast<double>(parts.back().appointments.size());
  absl::Status error;
  std::mutex log_mu;       // o.log is called by one worker at a time
  double fraction = from;  // the caller's thread only

  auto work = [&](bool report) {
    for (;;) {
      std::size_t i;
      SolveOptions po = o;
      po.auto_time_limit = false;
      po.decompose_min_appointments = std::numeric_limits<int>::max();
      po.progress = nullptr;
      std::optional<PartBudget> budget;
      double n;
      {
        std::unique_lock<std::mutex> lock(mu);
        // The next part waits while the parts in flight and it would hold more appointments
        // than the cap (so two large parts' structures are never built at once).
        finished.wait(lock, [&] {
          return next == parts.size() || !error.ok() || in_flight == 0 ||
                 in_flight + parts[next].appointments.size() <= cap;
        });
        if (next == parts.size() || !error.ok()) return;
        i = next++;
        n = static_cast<double>(parts[i].appointments.size());
        in_flight += parts[i].appointments.size();
        // How many parts of this size may run at once under the cap: a part that must run
        // alone gets its share of the time left as if there were one worker.
        const double workers = std::clamp(std::floor(static_cast<double>(cap) / std::max(n, 1.0)),
                                          1.0, static_cast<double>(threads));
        if (o.budget != nullptr) {
          const double now = o.budget->ElapsedSeconds();
          double time_left = std::max(0.0, end_fraction * o.budget->LimitSeconds() - now);
          // What the last part will likely run over its share ends the run that much late; the
          // shares leave it out. A side-thread part ends only after its bound's network simplex
          // round and Lagrangian pass, which cannot be interrupted (region's last part, 13,912
          // appointments: 1.8-3 s over a share of 1.4-2.7 s at load 7-10, the run 31-35 s
          // against its 30-s cap), and the parts before it run over by up to as much per
          // appointment. So the most any ran over per appointment, times the largest part left,
          // is reserved: at most a tenth of the parts' time and half the time left, and only
          // once a part of at least a quarter of the largest left has finished (no extrapolation
          // from parts of 1,000 appointments to state's 50,138, which took half of every share).
          // With less than its round's time left, the last part's bound starts no full fluid and
          // keeps its capacity term and deadline pass (region's last part: 6.05 M instead of
          // 7.46 M; its plan is the same with a share of 0.1 s or 7 s); the largest overrun in
          // seconds instead of per appointment left region at 29.3-31.1 s.
          if (SidePath(o, largest_left) && largest_left <= 4 * largest_finished) {
            time_left -= std::min(
                {0.5 * time_left, 0.1 * parts_time, overrun_per_appointment * largest_left});
          }
          // The parts not yet started share the workers' time left by their size.
          budget.emplace(*o.budget, now,
                         std::min(time_left, time_left * workers * n / static_cast<double>(left)));
          po.budget = &*budget;
          // With a budget, parts above kAlwaysRelaxedAppointments skip the relaxation that
          // guides construction (on a loaded machine it takes their whole share and leaves none
          // to search) and bound on the side thread, as the whole scenario's solve does above
          // bound_max_appointments. Small parts keep it: their LP is cheap and guides
          // construction best. Until 2026-12-06 this was decided by how fast the parts before
          // had gone, so a part's path (and plan) depended on the machine's load: region's part
          // of 1,671 appointments cost 1.7 M on the side-thread path and 4.2-43.5 M when it took
          // the relaxation and its fluid was cut by the share.
          if (SidePath(o, n)) po.bound_max_appointments = 0;
        }
        left -= parts[i].appointments.size();
        started_at[i] = o.budget != nullptr ? o.budget->ElapsedSeconds() : 0.0;
        share_of[i] = budget ? budget->LimitSeconds() : 0.0;
        largest_left = 0;
        for (std::size_t k = next; k < parts.size(); ++k)
          largest_left = std::max(largest_left, static_cast<double>(parts[k].appointments.size()));
      }
      if (o.log) {
        po.log = [&, i, n, share = po.budget != nullptr ? po.budget->LimitSeconds() : 0.0](
                     const std::string& line) {
          std::lock_guard<std::mutex> lock(log_mu);
          o.log(absl::StrFormat("part %d/%d: %.0f appointments, share %.2f s: %s", i + 1,
                                parts.size(), n, share, line));
        };
      }
      if (report && o.progress) {
        po.progress = [&, n](const SolveProgress& sp) {
          double base, finished;
          {
            std::lock_guard<std::mutex> lock(mu);
            base = done;
            finished = objective;
          }
          fraction = std::max(fraction, from + (to - from) * (base + sp.fraction * n) / total);
          o.progress({fraction, sp.phase, finished + sp.objective, std::nullopt});
        };
      }
      absl::StatusOr<domain::Plan> plan;
      {
        const domain::Scenario scenario = owned != nullptr
                                              ? TakePartScenario(*owned, planned, parts[i])
                                              : PartScenario(whole, parts[i]);
        plan = solve(scenario, po);
      }
      if (plan.ok() && plan->assignments.size() != parts[i].appointments.size()) {
        plan = absl::InternalError("a part's plan does not cover the part's appointments");
      }
      if (!plan.ok()) {
        {
          std::lock_guard<std::mutex> lock(mu);
          if (error.ok()) error = plan.status();
        }
        finished.notify_all();
        return;
      }
      // Parts hold disjoint appointments: their slots of `result` are written without the lock.
      for (std::size_t k = 0; k < plan->assignments.size(); ++k) {
        rows[parts[i].appointments[k]] = ToRow(plan->assignments[k], index);
      }
      plan->assignments = {};
      ReturnFreedMemory();
      {
        std::lock_guard<std::mutex> lock(mu);
        summaries[i] = std::move(plan->summary);
        if (SidePath(o, n)) {
          largest_finished = std::max(largest_finished, n);
          overrun_per_appointment =
              std::max(overrun_per_appointment,
                       (o.budget->ElapsedSeconds() - started_at[i] - share_of[i]) / n);
        }
        done += n;
        objective += summaries[i].objective;
        in_flight -= parts[i].appointments.size();
      }
      finished.notify_all();
    }
  };
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t) helpers.emplace_back(work, false);
  work(true);
  for (std::thread& t : helpers) t.join();
  if (!error.ok()) return error;

  // The rows become the plan's, in the whole scenario's order (every appointment is in a part).
  result.assignments.resize(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const JoinedRow& r = rows[k];
    domain::Assignment& a = result.assignments[k];
    a.appointment_id = owned != nullptr ? planned[k].id : whole.appointments[k].id;
    a.appointment_office_id =
        owned != nullptr ? planned[k].office_id : whole.appointments[k].office_id;
    a.status = r.status;
    if (r.office >= 0) a.office_id = whole.offices[r.office].id;
    if (r.clerk >= 0) a.clerk_id = whole.clerks[r.clerk].id;
    a.time = r.time;
    a.cost = r.cost;
    if (r.reason >= 0) a.reason = index.reasons[r.reason];
  }
  std::vector<JoinedRow>().swap(rows);
  std::vector<PlannedAppointment>().swap(planned);

  // Summed in the parts' order, so that the summary does not depend on which thread ran what.
  domain::PlanSummary& m = result.summary;
  double bound = 0, delay_sum = 0;
  bool bounded = true;
  for (const domain::PlanSummary& part : summaries) AddSummary(part, m, delay_sum, bound, bounded);
  m.objective = m.parts.Total();
  m.mean_delay_minutes = m.assigned > 0 ? delay_sum / static_cast<double>(m.assigned) : 0.0;
  // The whole plan's shortfall is in office order (then service and day, as each part's is).
  std::unordered_map<std::string, int> office;
  for (std::size_t i = 0; i < whole.offices.size(); ++i)
    office.emplace(whole.offices[i].id, static_cast<int>(i));
  std::stable_sort(m.shortfall.begin(), m.shortfall.end(),
                   [&](const domain::Shortfall& a, const domain::Shortfall& b) {
                     return office.at(a.office_id) < office.at(b.office_id);
                   });
  RankSuggestedShifts(m.suggested_shifts);
  if (bounded) {
    m.lower_bound = bound;
    m.gap = m.objective > 0 ? (m.objective - bound) / m.objective : 0.0;
  }
  return result;
}

}  // namespace rebook::solver::internal
