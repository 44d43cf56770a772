#include "services/solver/internal/previous_plan.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "absl/strings/str_cat.h"

namespace rebook::solver::internal {
namespace {

// Finds the window of a previous assignment; -1 if it no longer fits one.
int FindWindow(const Problem& p, const Schedule& sched, int job, const domain::Assignment& a,
               const std::unordered_map<std::string, int>& clerks) {
  auto c = clerks.find(a.clerk_id);
  if (c == clerks.end()) return -1;
  const std::int64_t sec = (a.time.start - p.epoch).count();
  if (sec < 0 || sec % 60 != 0) return -1;
  const int start = static_cast<int>(sec / 60);
  // Windows are sorted by clerk; a clerk has few, so scan them all (they may overlap when two
  // of the clerk's shifts do).
  auto it = std::lower_bound(p.windows.begin(), p.windows.end(), c->second,
                             [](const Window& w, int clerk) { return w.clerk < clerk; });
  for (; it != p.windows.end() && it->clerk == c->second; ++it) {
    const int w = static_cast<int>(it - p.windows.begin());
    if (it->start <= start && start < it->end &&
        p.scenario->offices[it->office].id == a.office_id && sched.CanPlace(job, w, start)) {
      return w;
    }
  }
  return -1;
}

}  // namespace

absl::StatusOr<ProblemOptions> BansFrom(const domain::Scenario& s, const ResolveRequest* request) {
  ProblemOptions options;
  if (request == nullptr) return options;
  std::unordered_map<std::string, int> appointments, offices, clerks;
  for (std::size_t i = 0; i < s.appointments.size(); ++i)
    appointments.emplace(s.appointments[i].id, i);
  for (std::size_t i = 0; i < s.offices.size(); ++i) offices.emplace(s.offices[i].id, i);
  for (std::size_t i = 0; i < s.clerks.size(); ++i) clerks.emplace(s.clerks[i].id, i);
  auto minute = [&](Instant t, bool up) {
    std::int64_t sec = (t - s.params.horizon_start).count();
    std::int64_t m = sec >= 0 ? sec / 60 : -((-sec + 59) / 60);
    if (up && m * 60 < sec) ++m;
    return static_cast<int>(m);
  };
  for (const ForbiddenSlot& f : request->forbidden) {
    auto a = appointments.find(f.appointment_id);
    if (a == appointments.end()) continue;  // the appointment left the plan
    ClerkBan ban;
    if (!f.office_id.empty()) {
      auto o = offices.find(f.office_id);
      if (o == offices.end())
        return absl::InvalidArgumentError(
            absl::StrCat("forbidden slot: unknown office ", f.office_id));
      ban.office = o->second;
    }
    if (!f.clerk_id.empty()) {
      auto c = clerks.find(f.clerk_id);
      if (c == clerks.end())
        return absl::InvalidArgumentError(
            absl::StrCat("forbidden slot: unknown clerk ", f.clerk_id));
      ban.clerk = c->second;
    }
    ban.time = {minute(f.time.start, false), minute(f.time.end, true)};
    options.bans[a->second].push_back(ban);
  }
  return options;
}

// Places and locks the pinned appointments, then places the other previous assignments that
// still fit. Returns the pinned ones that no longer fit (then nothing else is placed).
absl::StatusOr<std::vector<std::string>> ApplyPrevious(const ResolveRequest& r, const Problem& p,
                                                       Schedule& sched) {
  std::unordered_map<std::string, int> jobs, clerks;
  for (std::size_t i = 0; i < p.jobs.size(); ++i) jobs.emplace(p.scenario->appointments[i].id, i);
  for (std::size_t i = 0; i < p.scenario->clerks.size(); ++i)
    clerks.emplace(p.scenario->clerks[i].id, i);
  std::unordered_map<std::string, const domain::Assignment*> previous;
  for (const domain::Assignment& a : r.previous) {
    if (a.status == domain::AssignmentStatus::kAssigned) previous[a.appointment_id] = &a;
  }
  auto place = [&](int job, const domain::Assignment& a) {
    int w = FindWindow(p, sched, job, a, clerks);
    if (w < 0) return false;
    sched.Place(job, w, static_cast<int>((a.time.start - p.epoch).count() / 60));
    return true;
  };
  std::vector<std::string> unfit;
  for (const std::string& id : r.pinned) {
    auto j = jobs.find(id);
    auto a = previous.find(id);
    if (j == jobs.end() || a == previous.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("pinned appointment ", id, " has no previous assignment in the scenario"));
    }
    if (!place(j->second, *a->second)) {
      unfit.push_back(id);
      continue;
    }
    sched.SetLocked(j->second, true);
  }
  if (!unfit.empty()) return unfit;
  for (const auto& [id, a] : previous) {
    auto j = jobs.find(id);
    if (j == jobs.end() || sched.IsPlaced(j->second)) continue;
    if (place(j->second, *a) && r.keep_unaffected) sched.SetLocked(j->second, true);
  }
  return unfit;
}

}  // namespace rebook::solver::internal
