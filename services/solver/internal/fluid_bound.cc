#include "services/solver/internal/fluid_bound.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>

#include "services/solver/internal/min_cost_flow.h"

namespace rebook::solver::internal {
namespace {

constexpr int kFluidSlice = 30;     // minutes per capacity bucket above kFluidFineJobs
constexpr int kFluidFineSlice = 5;  // ... and up to kFluidFineJobs appointments
constexpr int kFluidFineJobs = 1000;
constexpr double kScale = 1e4;             // integer cost units per objective unit
constexpr int kFluidInitialArcs = 24;      // per class and (office, group) list
constexpr std::size_t kMaxArcs = 3000000;  // give up (no bound) beyond this
// Per class and pricing round. City (5,000 appointments) converges in 4 rounds with 256, in 9
// with 64 (0.9 instead of 1.6 CPU s); the arcs it ends with are the same in number (~410k).
constexpr int kArcsPerRound = 256;
constexpr int kMaxRounds = 40;

struct Bucket {
  int office, group, office_day;
  bool overtime;
  int lclass;
  int first_minute;
  std::int64_t capacity = 0;
};

struct JobClass {
  int service, duration, dclass, priority, office, release, due, offices_begin, offices_end;
  int blocked_begin, blocked_end;  // its members' unavailable times (all equal), in p.blocked
  double weight, unassigned_cost;
  std::int64_t supply = 0;
  std::vector<int> members;
};

struct Model {
  std::vector<int> durations;  // distinct job durations, ascending
  std::vector<int> group_of_clerk;
  std::vector<std::vector<std::uint8_t>> group_skills;
  std::vector<Bucket> buckets;
  // Buckets of each (office, group), sorted by first minute.
  std::vector<std::vector<int>> lists;
  std::vector<JobClass> classes;
  int groups = 0;
  int slice = kFluidSlice;
  const std::vector<char>* skip = nullptr;  // per job: left out of the relaxation
  bool Skipped(int job) const { return skip != nullptr && (*skip)[job]; }
};

int DurationClass(const std::vector<int>& durations, int length) {
  return static_cast<int>(std::upper_bound(durations.begin(), durations.end(), length) -
                          durations.begin()) -
         1;
}

void BuildGroups(const Problem& p, Model& m) {
  std::map<std::vector<std::uint8_t>, int> ids;
  m.group_of_clerk.resize(p.clerk_count);
  for (int c = 0; c < p.clerk_count; ++c) {
    std::vector<std::uint8_t> sig(p.service_count);
    for (int s = 0; s < p.service_count; ++s) sig[s] = p.Qualified(c, s);
    auto [it, inserted] = ids.emplace(sig, static_cast<int>(ids.size()));
    if (inserted) m.group_skills.push_back(sig);
    m.group_of_clerk[c] = it->second;
  }
  m.groups = static_cast<int>(ids.size());
}

// Packable[o * groups + g][L]: the most minutes that jobs able to use a window of length L at
// office o with a clerk of group g can fill (sums of their durations up to L). A window never
// holds more, and since earlier minutes are never dearer, counting only its first Packable(L)
// minutes keeps the fluid a relaxation.
std::vector<std::vector<int>> PackableMinutes(const Problem& p, const Model& m) {
  std::vector<std::vector<int>> durations(static_cast<std::size_t>(p.office_count) * m.groups);
  for (const Job& j : p.jobs) {
    if (m.Skipped(&j - p.jobs.data())) continue;
    for (int oi = j.offices_begin; oi < j.offices_end; ++oi) {
      for (int g = 0; g < m.groups; ++g) {
        if (m.group_skills[g][j.service])
          durations[p.job_offices[oi] * m.groups + g].push_back(j.duration);
      }
    }
  }
  int longest = 0;
  for (const Window& w : p.windows) longest = std::max(longest, w.end - w.start);
  std::vector<std::vector<int>> packable(durations.size());
  for (std::size_t k = 0; k < durations.size(); ++k) {
    auto& d = durations[k];
    if (d.empty()) continue;
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
    std::vector<char> reachable(longest + 1, 0);
    reachable[0] = 1;
    for (int len = 1; len <= longest; ++len) {
      for (int x : d) {
        if (x > len) break;
        if (reachable[len - x]) {
          reachable[len] = 1;
          break;
        }
      }
    }
    packable[k].assign(longest + 1, 0);
    for (int len = 1; len <= longest; ++len)
      packable[k][len] = reachable[len] ? len : packable[k][len - 1];
  }
  return packable;
}

void BuildBuckets(const Problem& p, Model& m) {
  std::unordered_map<std::string, int> index;
  const std::vector<std::vector<int>> packable = PackableMinutes(p, m);
  for (const Window& w : p.windows) {
    const int lclass = DurationClass(m.durations, w.end - w.start);
    if (lclass < 0) continue;
    const int group = m.group_of_clerk[w.clerk];
    const std::vector<int>& pack = packable[w.office * m.groups + group];
    if (pack.empty()) continue;  // no job can use this window
    const int end = w.start + pack[w.end - w.start];
    for (int t = w.start; t < end;) {
      const int slice = t / m.slice;
      const int piece_end = std::min(end, (slice + 1) * m.slice);
      std::string key(reinterpret_cast<const char*>(&w.office), sizeof(int));
      for (int v : {group, w.office_day, static_cast<int>(w.overtime), slice, lclass}) {
        key.append(reinterpret_cast<const char*>(&v), sizeof(int));
      }
      auto [it, inserted] = index.emplace(std::move(key), static_cast<int>(m.buckets.size()));
      if (inserted) m.buckets.push_back({w.office, group, w.office_day, w.overtime, lclass, t, 0});
      Bucket& b = m.buckets[it->second];
      b.first_minute = std::min(b.first_minute, t);
      b.capacity += piece_end - t;
      t = piece_end;
    }
  }
  m.lists.assign(static_cast<std::size_t>(p.office_count) * m.groups, {});
  for (int b = 0; b < static_cast<int>(m.buckets.size()); ++b) {
    m.lists[m.buckets[b].office * m.groups + m.buckets[b].group].push_back(b);
  }
  for (auto& list : m.lists) {
    std::sort(list.begin(), list.end(), [&](int a, int b) {
      return m.buckets[a].first_minute != m.buckets[b].first_minute
                 ? m.buckets[a].first_minute < m.buckets[b].first_minute
                 : a < b;
    });
  }
}

void BuildClasses(const Problem& p, Model& m) {
  std::map<std::tuple<int, int, int, int, int, int, std::vector<int>, std::vector<int>>, int> index;
  for (int j = 0; j < static_cast<int>(p.jobs.size()); ++j) {
    if (m.Skipped(j)) continue;
    const Job& job = p.jobs[j];
    const int due_slice = (job.due + m.slice - 1) / m.slice * m.slice;
    const int release_slice = job.release / m.slice * m.slice;
    std::vector<int> offices(p.job_offices.begin() + job.offices_begin,
                             p.job_offices.begin() + job.offices_end);
    std::vector<int> blocked;
    for (int i = job.blocked_begin; i < job.blocked_end; ++i) {
      blocked.push_back(p.blocked[i].start);
      blocked.push_back(p.blocked[i].end);
    }
    auto key = std::make_tuple(job.service, job.duration, job.priority, job.office, release_slice,
                               due_slice, offices, blocked);
    auto [it, inserted] = index.emplace(std::move(key), static_cast<int>(m.classes.size()));
    if (inserted) {
      m.classes.push_back({job.service,
                           job.duration,
                           DurationClass(m.durations, job.duration),
                           job.priority,
                           job.office,
                           job.release,
                           due_slice,
                           job.offices_begin,
                           job.offices_end,
                           job.blocked_begin,
                           job.blocked_end,
                           job.weight,
                           job.unassigned_cost,
                           0,
                           {}});
    }
    JobClass& k = m.classes[it->second];
    k.supply += job.duration;
    k.release = std::min(k.release, job.release);  // costs count from the earliest member
    k.members.push_back(j);
  }
}

// Per-minute cost of class k in bucket b (scaled, rounded down), or nullopt if not eligible.
std::optional<std::int64_t> ArcCost(const Problem& p, const Model& m, const JobClass& k,
                                    const Bucket& b) {
  if (b.lclass < k.dclass) return std::nullopt;
  if (b.first_minute + m.slice <= k.release) return std::nullopt;
  int u0 = std::max(b.first_minute, k.release);
  // No minute of the job lies in its unavailable times (sorted by start), so the bucket's
  // usable minutes begin after any of them that covers u0.
  for (int i = k.blocked_begin; i < k.blocked_end; ++i) {
    if (p.blocked[i].start <= u0 && u0 < p.blocked[i].end) u0 = p.blocked[i].end;
  }
  if (u0 >= k.due || u0 >= b.first_minute + m.slice) return std::nullopt;
  double c = k.weight / k.duration * (u0 + 0.5 - k.duration / 2.0 - k.release);
  if (b.office != k.office) c += p.w_office_change / k.duration;
  if (b.overtime) c += p.w_overtime;
  return static_cast<std::int64_t>(std::floor(c * kScale));
}

}  // namespace

FluidBound ComputeFluidBound(const Problem& p, const TimeBudget* budget,
                             const std::vector<char>* skip, int slice_minutes, int initial_arcs) {
  FluidBound out;
  Model m;
  m.skip = skip;
  if (static_cast<int>(p.jobs.size()) <= kFluidFineJobs) m.slice = kFluidFineSlice;
  if (slice_minutes > 0) m.slice = slice_minutes;
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    if (!m.Skipped(j)) m.durations.push_back(p.jobs[j].duration);
  }
  std::sort(m.durations.begin(), m.durations.end());
  m.durations.erase(std::unique(m.durations.begin(), m.durations.end()), m.durations.end());
  if (m.durations.empty()) {  // no jobs (or all skipped): the bound is 0, hints are releases
    out.valid = true;
    out.job_price.assign(p.jobs.size(), 0.0);
    out.office_day_price.assign(p.office_days.size(), 0.0);
    for (const Job& j : p.jobs) out.target.push_back(j.release);
    return out;
  }
  for (const Job& j : p.jobs) {
    if (j.unassigned_cost / j.duration * kScale > 1e12) return out;  // would overflow
  }
  BuildGroups(p, m);
  BuildBuckets(p, m);
  BuildClasses(p, m);

  // Nodes: classes, buckets, office-days, sink.
  const int nk = static_cast<int>(m.classes.size()), nb = static_cast<int>(m.buckets.size());
  const int nod = static_cast<int>(p.office_days.size());
  const int sink = nk + nb + nod, nodes = sink + 1;
  std::vector<std::int64_t> supply(nodes, 0);
  std::vector<FlowArc> fixed;
  for (int k = 0; k < nk; ++k) {
    supply[k] = m.classes[k].supply;
    supply[sink] -= m.classes[k].supply;
    const JobClass& c = m.classes[k];
    fixed.push_back(
        {k, sink, c.supply,
         static_cast<std::int64_t>(std::floor(c.unassigned_cost / c.duration * kScale))});
  }
  for (int b = 0; b < nb; ++b) {
    const Bucket& bk = m.buckets[b];
    fixed.push_back({nk + b, bk.overtime ? sink : nk + nb + bk.office_day, bk.capacity, 0});
  }
  for (int od = 0; od < nod; ++od)
    fixed.push_back({nk + nb + od, sink, p.office_days[od].regular_cap, 0});

  // Eligible bucket lists per class, walked in time order; `next` remembers the pricing frontier.
  std::vector<FlowArc> arcs;
  std::unordered_map<std::int64_t, char> present;
  auto for_each_list = [&](const JobClass& c, auto f) {
    for (int oi = c.offices_begin; oi < c.offices_end; ++oi) {
      for (int g = 0; g < m.groups; ++g) {
        if (!m.group_skills[g][c.service]) continue;
        f(m.lists[p.job_offices[oi] * m.groups + g]);
      }
    }
  };
  auto add_arc = [&](int k, int b, std::int64_t cost) {
    if (present.emplace(static_cast<std::int64_t>(k) * nb + b, 1).second) {
      arcs.push_back({k, nk + b, m.classes[k].supply, cost});
    }
  };
  // Initial arcs: the first `initial` eligible buckets of each of the class's lists.
  auto add_initial_arcs = [&](int initial) {
    for (int k = 0; k < nk; ++k) {
      const JobClass& c = m.classes[k];
      for_each_list(c, [&](const std::vector<int>& list) {
        int added = 0;
        for (int b : list) {
          if (m.buckets[b].first_minute >= c.due) break;
          std::optional<std::int64_t> cost = ArcCost(p, m, c, m.buckets[b]);
          if (!cost) continue;
          add_arc(k, b, *cost);
          if (++added >= initial) break;
        }
      });
    }
  };
  add_initial_arcs(std::max(kFluidInitialArcs, initial_arcs));
  // A larger start that would leave no room for the rounds starts small instead.
  if (initial_arcs > kFluidInitialArcs && arcs.size() > kMaxArcs / 2) {
    arcs.clear();
    present.clear();
    add_initial_arcs(kFluidInitialArcs);
  }
  if (arcs.size() > kMaxArcs) return out;

  FlowResult flow;
  double correction = 0;
  for (int round = 0;; ++round) {
    std::vector<FlowArc> all = fixed;
    all.insert(all.end(), arcs.begin(), arcs.end());
    flow = SolveMinCostFlow(nodes, supply, all);
    out.pricing_rounds = round + 1;
    if (!flow.optimal) return out;
    // Pricing: reduced cost cost + pi[class] - pi[bucket] of every eligible arc.
    correction = 0;
    int added = 0;
    const bool last = round + 1 >= kMaxRounds || arcs.size() > kMaxArcs ||
                      (budget != nullptr && !budget->Below(0.25));
    for (int k = 0; k < nk; ++k) {
      const JobClass& c = m.classes[k];
      std::int64_t min_rc = 0;
      std::vector<std::pair<std::int64_t, int>> negative;
      for_each_list(c, [&](const std::vector<int>& list) {
        for (int b : list) {
          if (m.buckets[b].first_minute >= c.due) break;
          std::optional<std::int64_t> cost = ArcCost(p, m, c, m.buckets[b]);
          if (!cost) continue;
          const std::int64_t rc = *cost + flow.potential[k] - flow.potential[nk + b];
          if (rc < 0 && !present.count(static_cast<std::int64_t>(k) * nb + b)) {
            min_rc = std::min(min_rc, rc);
            negative.push_back({rc, b});
          }
        }
      });
      correction += static_cast<double>(min_rc) * static_cast<double>(c.supply);
      if (!last && !negative.empty()) {
        // The kArcsPerRound most negative (ties by bucket, so the choice is deterministic).
        const int keep = std::min<int>(negative.size(), kArcsPerRound);
        std::nth_element(negative.begin(), negative.begin() + (keep - 1), negative.end());
        std::sort(negative.begin(), negative.begin() + keep);
        for (int i = 0; i < keep; ++i) {
          auto [rc, b] = negative[i];
          add_arc(k, b, *ArcCost(p, m, c, m.buckets[b]));
          ++added;
        }
      }
    }
    if (added == 0) break;
  }
  out.arcs = arcs.size();
  // Classes start at their slice's first minute; each job's own release is later by
  // (release - class release) minutes, which the fluid's costs do not charge it.
  double release_offset = 0;
  for (const JobClass& c : m.classes) {
    for (int j : c.members) release_offset += p.jobs[j].weight * (p.jobs[j].release - c.release);
  }
  // The objective is never negative, so 0 is a bound too (a cut-short pricing can fall below).
  out.lower_bound =
      std::max(0.0, (static_cast<double>(flow.cost) + correction) / kScale - release_offset);
  out.valid = true;

  // Dual prices relative to the sink (reduced cost = cost + pi[from] - pi[to]).
  out.job_price.assign(p.jobs.size(), 0.0);
  for (const JobClass& c : m.classes) {
    const double per_minute =
        static_cast<double>(flow.potential[sink] - flow.potential[&c - m.classes.data()]) / kScale;
    for (int j : c.members) {
      out.job_price[j] =
          std::clamp(per_minute * c.duration - p.jobs[j].weight * (p.jobs[j].release - c.release),
                     0.0, p.jobs[j].unassigned_cost);
    }
  }
  out.office_day_price.assign(nod, 0.0);
  for (int od = 0; od < nod; ++od)
    out.office_day_price[od] = std::max(
        0.0, static_cast<double>(flow.potential[sink] - flow.potential[nk + nb + od]) / kScale);

  // Construction hints: members in booking order take the class's fluid minutes in time order.
  out.target.assign(p.jobs.size(), kInfinity);
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    if (m.Skipped(j)) out.target[j] = p.jobs[j].release;
  }
  std::vector<std::vector<std::pair<int, std::int64_t>>> by_class(nk);  // (first minute, minutes)
  for (std::size_t a = 0; a < arcs.size(); ++a) {
    const std::int64_t f = flow.flow[fixed.size() + a];
    if (f > 0) by_class[arcs[a].from].push_back({m.buckets[arcs[a].to - nk].first_minute, f});
  }
  for (int k = 0; k < nk; ++k) {
    JobClass& c = m.classes[k];
    auto& pieces = by_class[k];
    std::sort(pieces.begin(), pieces.end());
    std::sort(c.members.begin(), c.members.end(), [&](int a, int b) {
      return p.jobs[a].original_start != p.jobs[b].original_start
                 ? p.jobs[a].original_start < p.jobs[b].original_start
                 : a < b;
    });
    std::size_t piece = 0;
    std::int64_t used = 0;
    for (int j : c.members) {
      if (piece >= pieces.size()) break;
      out.target[j] = std::max(pieces[piece].first, c.release);
      used += c.duration;
      while (piece < pieces.size() && used >= pieces[piece].second) {
        used -= pieces[piece].second;
        ++piece;
      }
    }
  }
  return out;
}

}  // namespace rebook::solver::internal
