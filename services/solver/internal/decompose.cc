#include "services/solver/internal/decompose.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>
#include <utility>

#include "services/common/status_macros.h"
#include "services/solver/internal/union_find.h"

namespace rebook::solver::internal {
namespace {

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
  auto index = [](const std::unordered_map<std::string, int>& m, const std::string& id) {
    auto it = m.find(id);
    return it == m.end() ? -1 : it->second;
  };
  UnionFind uf(offices + static_cast<int>(s.clerks.size()));
  auto link = [&](int a, int b) {
    if (a >= 0 && b >= 0) uf.Unite(a, b);
  };
  for (const domain::Shift& sh : s.shifts)
    link(index(clerk, sh.clerk_id), index(office, sh.office_id));
  for (const domain::StandingBooking& b : s.bookings) {
    if (!b.office_id.empty()) link(index(clerk, b.clerk_id), index(office, b.office_id));
  }
  for (const domain::Appointment& a : s.appointments) {
    for (const std::string& o : a.allowed_offices)
      link(index(office, a.office_id), index(office, o));
  }

  // Parts in order of their first appointment, then sorted by size (stable).
  std::unordered_map<int, int> part_of_root;
  std::vector<ScenarioPart> parts;
  auto part = [&](int node) -> ScenarioPart* {
    if (node < 0) return nullptr;
    auto it = part_of_root.find(uf.Find(node));
    return it == part_of_root.end() ? nullptr : &parts[it->second];
  };
  for (std::size_t i = 0; i < s.appointments.size(); ++i) {
    const int root = uf.Find(index(office, s.appointments[i].office_id));
    auto [it, added] = part_of_root.emplace(root, static_cast<int>(parts.size()));
    if (added) parts.emplace_back();
    ScenarioPart& p = parts[it->second];
    p.scenario.appointments.push_back(s.appointments[i]);
    p.appointments.push_back(static_cast<int>(i));
  }
  for (ScenarioPart& p : parts) {
    p.scenario.params = s.params;
    p.scenario.services = s.services;
  }
  for (int i = 0; i < offices; ++i) {
    if (ScenarioPart* p = part(i)) p->scenario.offices.push_back(s.offices[i]);
  }
  for (std::size_t i = 0; i < s.clerks.size(); ++i) {
    if (ScenarioPart* p = part(offices + static_cast<int>(i)))
      p->scenario.clerks.push_back(s.clerks[i]);
  }
  for (const domain::Shift& sh : s.shifts) {
    if (ScenarioPart* p = part(index(office, sh.office_id))) p->scenario.shifts.push_back(sh);
  }
  for (const domain::StandingBooking& b : s.bookings) {
    if (ScenarioPart* p = part(index(clerk, b.clerk_id))) p->scenario.bookings.push_back(b);
  }
  for (const domain::Closure& c : s.closures) {
    if (ScenarioPart* p = part(index(office, c.office_id))) p->scenario.closures.push_back(c);
  }
  std::stable_sort(parts.begin(), parts.end(), [](const ScenarioPart& a, const ScenarioPart& b) {
    return a.appointments.size() < b.appointments.size();
  });
  return parts;
}

absl::StatusOr<PartsSolution> SolveParts(const std::vector<ScenarioPart>& parts,
                                         std::size_t whole_appointments, const SolveOptions& o,
                                         double end_fraction, double from, double to,
                                         const PartSolver& solve) {
  PartsSolution result;
  result.assignments.resize(whole_appointments);
  std::size_t left = 0;
  for (const ScenarioPart& p : parts) left += p.appointments.size();
  const double total = static_cast<double>(std::max<std::size_t>(left, 1));
  double done = 0, objective = 0, bound = 0, fraction = from;
  bool bounded = true;
  const double start = o.budget != nullptr ? o.budget->ElapsedSeconds() : 0.0;
  for (const ScenarioPart& part : parts) {
    const double n = static_cast<double>(part.appointments.size());
    SolveOptions po = o;
    po.auto_time_limit = false;
    po.decompose_min_appointments = std::numeric_limits<int>::max();
    std::optional<PartBudget> budget;
    if (o.budget != nullptr) {
      const double now = o.budget->ElapsedSeconds();
      const double time_left = std::max(0.0, end_fraction * o.budget->LimitSeconds() - now);
      budget.emplace(*o.budget, now, time_left * n / static_cast<double>(left));
      po.budget = &*budget;
      // When the parts so far took longer per appointment than the time left allows (a loaded
      // machine), the rest skip the relaxation that guides construction (it would take their
      // whole share and leave none to search) and bound on the side thread, as the whole
      // scenario's solve does above bound_max_appointments.
      if (done > 0 && (now - start) / done * static_cast<double>(left) > time_left) {
        po.bound_max_appointments = 0;
      }
    }
    po.progress = nullptr;
    if (o.progress) {
      po.progress = [&](const SolveProgress& sp) {
        fraction = std::max(fraction, from + (to - from) * (done + sp.fraction * n) / total);
        o.progress({fraction, sp.phase, objective + sp.objective, std::nullopt});
      };
    }
    REBOOK_ASSIGN_OR_RETURN(domain::Plan plan, solve(part.scenario, po));
    for (std::size_t k = 0; k < plan.assignments.size(); ++k) {
      result.assignments[part.appointments[k]] = std::move(plan.assignments[k]);
    }
    objective += plan.summary.objective;
    if (plan.summary.lower_bound) {
      bound += *plan.summary.lower_bound;
    } else {
      bounded = false;
    }
    done += n;
    left -= part.appointments.size();
  }
  if (bounded) result.lower_bound = bound;
  return result;
}

}  // namespace rebook::solver::internal
