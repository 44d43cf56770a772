#include "services/solver/internal/schedule.h"

#include <algorithm>
#include <limits>

namespace rebook::solver::internal {

namespace {

constexpr int kNoCap = std::numeric_limits<int>::max();

int PowerOfTwoAtLeast(int n) {
  int size = 1;
  while (size < n) size *= 2;
  return size;
}

void SetLeaf(std::vector<int>& tree, int size, int pos, int value) {
  int node = size + pos;
  tree[node] = value;
  for (node >>= 1; node >= 1; node >>= 1) {
    const int max = std::max(tree[2 * node], tree[2 * node + 1]);
    if (tree[node] == max) break;  // the ancestors do not change either
    tree[node] = max;
  }
}

// Max of leaves [lo, hi).
int RangeMax(const std::vector<int>& tree, int size, int lo, int hi) {
  int best = -1;
  for (lo += size, hi += size; lo < hi; lo >>= 1, hi >>= 1) {
    if (lo & 1) best = std::max(best, tree[lo++]);
    if (hi & 1) best = std::max(best, tree[--hi]);
  }
  return best;
}

// First leaf >= from (of the first n) whose value is >= need, or -1.
int FirstInTree(const std::vector<int>& tree, int size, int n, int from, int need) {
  if (size == 0 || from >= n) return -1;
  // Walk up from the leaf `from`, then down into the first subtree holding a large enough value.
  int node = size + from;
  if (tree[node] >= need) return from;
  while (true) {
    // Move to the next subtree to the right at the lowest level possible.
    while (node & 1) {
      node >>= 1;
      if (node == 0) return -1;
    }
    ++node;
    if (tree[node] >= need) break;
  }
  while (node < size) node = tree[2 * node] >= need ? 2 * node : 2 * node + 1;
  return node - size < n ? node - size : -1;
}

}  // namespace

Schedule::Schedule(const Problem& p)
    : p_(p),
      occ_(p.windows.size()),
      job_window_(p.jobs.size(), -1),
      job_start_(p.jobs.size(), 0),
      locked_(p.jobs.size(), 0),
      od_used_(p.office_days.size(), 0),
      gap_(p.windows.size()),
      trees_(p.lists.size()),
      od_blocks_(p.office_days.size()) {
  for (int w = 0; w < static_cast<int>(p.windows.size()); ++w)
    gap_[w] = p.windows[w].end - p.windows[w].start;
  // Window -> list positions, in CSR form.
  std::vector<int> count(p.windows.size() + 1, 0);
  for (const auto& list : p.lists) {
    for (int w : list) ++count[w + 1];
  }
  wl_begin_.assign(p.windows.size() + 1, 0);
  for (std::size_t w = 0; w < p.windows.size(); ++w) wl_begin_[w + 1] = wl_begin_[w] + count[w + 1];
  wl_entries_.resize(wl_begin_.back());
  std::vector<int> fill(wl_begin_.begin(), wl_begin_.end() - 1);
  for (int l = 0; l < static_cast<int>(p.lists.size()); ++l) {
    const auto& list = p.lists[l];
    if (list.empty()) continue;
    ListTrees& t = trees_[l];
    t.size = PowerOfTwoAtLeast(static_cast<int>(list.size()));
    t.gaps.assign(2 * t.size, -1);
    t.block_of.resize(list.size());
    for (int i = 0; i < static_cast<int>(list.size()); ++i) {
      const Window& win = p.windows[list[i]];
      const int od = win.overtime ? -1 : win.office_day;
      t.gaps[t.size + i] = gap_[list[i]];
      wl_entries_[fill[list[i]]++] = {l, i};
      if (i == 0 || od != t.block_od.back()) {
        t.block_begin.push_back(i);
        t.block_od.push_back(od);
        t.block_max.push_back(-1);
        if (od >= 0) od_blocks_[od].push_back({l, static_cast<int>(t.block_od.size()) - 1});
      }
      t.block_of[i] = static_cast<int>(t.block_od.size()) - 1;
      t.block_max.back() = std::max(t.block_max.back(), gap_[list[i]]);
    }
    t.block_begin.push_back(static_cast<int>(list.size()));
    for (int n = t.size - 1; n >= 1; --n) t.gaps[n] = std::max(t.gaps[2 * n], t.gaps[2 * n + 1]);
    const int blocks = static_cast<int>(t.block_od.size());
    t.top_size = PowerOfTwoAtLeast(blocks);
    t.top.assign(2 * t.top_size, -1);
    for (int b = 0; b < blocks; ++b) t.top[t.top_size + b] = BlockValue(t, b);
    for (int n = t.top_size - 1; n >= 1; --n) t.top[n] = std::max(t.top[2 * n], t.top[2 * n + 1]);
  }
  for (const Job& j : p.jobs) total_cost_ += j.unassigned_cost;
}

double Schedule::SlotCost(int job, int window, int start) const {
  const Job& j = p_.jobs[job];
  const Window& w = p_.windows[window];
  double cost = j.weight * (start - j.release);
  if (w.office != j.office) cost += p_.w_office_change;
  if (w.overtime) cost += p_.w_overtime * j.duration;
  return cost;
}

double Schedule::JobCost(int job) const {
  if (job_window_[job] < 0) return p_.jobs[job].unassigned_cost;
  return SlotCost(job, job_window_[job], job_start_[job]);
}

bool Schedule::Blocked(const Job& j, int clerk, int office, int start, int end, int& resume) const {
  for (int b = j.blocked_begin; b < j.blocked_end; ++b) {
    const Span& s = p_.blocked[b];
    if (s.start < end && start < s.end) {
      resume = s.end;
      return true;
    }
  }
  for (int b = j.clerk_bans_begin; b < j.clerk_bans_end; ++b) {
    const ClerkBan& ban = p_.clerk_bans[b];
    if ((ban.clerk < 0 || ban.clerk == clerk) && (ban.office < 0 || ban.office == office) &&
        ban.time.start < end && start < ban.time.end) {
      resume = ban.time.end;
      return true;
    }
  }
  return false;
}

int Schedule::EarliestStartIn(int job, int window, int from) const {
  const Job& j = p_.jobs[job];
  const Window& w = p_.windows[window];
  if (!w.overtime &&
      p_.office_days[w.office_day].regular_cap - od_used_[w.office_day] < j.duration) {
    return -1;
  }
  const int lo = std::max({from, w.start, j.release});
  const int hi = std::min(w.end, j.due);
  if (lo + j.duration > hi) return -1;
  const auto& occ = occ_[window];
  int gap_start = w.start;
  for (std::size_t i = 0; i <= occ.size(); ++i) {
    const int gap_end = i < occ.size() ? occ[i].start : w.end;
    int s = std::max(gap_start, lo);
    const int limit = std::min(gap_end, hi);
    while (s + j.duration <= limit) {
      int resume = 0;
      if (!Blocked(j, w.clerk, w.office, s, s + j.duration, resume)) return s;
      s = std::max(s + 1, resume);
    }
    if (i < occ.size()) gap_start = std::max(gap_start, occ[i].end);
    if (gap_start >= hi) break;
  }
  return -1;
}

bool Schedule::CanPlace(int job, int window, int start) const {
  const Job& j = p_.jobs[job];
  const Window& w = p_.windows[window];
  if (job_window_[job] >= 0 || !p_.Qualified(w.clerk, j.service)) return false;
  bool allowed = false;
  for (int o = j.offices_begin; o < j.offices_end; ++o) allowed |= p_.job_offices[o] == w.office;
  if (!allowed) return false;
  return EarliestStartIn(job, window, start) == start;
}

int Schedule::FirstAtLeast(int list, int from, int need) const {
  const ListTrees& t = trees_[list];
  const int n = static_cast<int>(p_.lists[list].size());
  if (from >= n) return -1;
  // The rest of `from`'s block, if its office-day has the reserve left...
  const int block = t.block_of[from];
  if (BlockValue(t, block) >= need) {
    const int pos = FirstInTree(t.gaps, t.size, n, from, need);
    if (pos >= 0 && pos < t.block_begin[block + 1]) return pos;
  }
  // ... else the first later block that holds a gap and has the reserve for it.
  const int next =
      FirstInTree(t.top, t.top_size, static_cast<int>(t.block_od.size()), block + 1, need);
  if (next < 0) return -1;
  return FirstInTree(t.gaps, t.size, n, t.block_begin[next], need);
}

template <typename Visit>
void Schedule::ScanSlots(int job, const double& bar, Visit visit) const {
  const Job& j = p_.jobs[job];
  for (int oi = j.offices_begin; oi < j.offices_end; ++oi) {
    const int office = p_.job_offices[oi];
    const int l = p_.ListIndex(office, j.service);
    const std::vector<int>& list = p_.lists[l];
    if (list.empty()) continue;
    const double change = office != j.office ? p_.w_office_change : 0.0;
    if (change >= bar) continue;
    const int earliest = j.release - p_.list_max_length[l];
    int pos =
        static_cast<int>(std::lower_bound(list.begin(), list.end(), earliest,
                                          [&](int w, int t) { return p_.windows[w].start < t; }) -
                         list.begin());
    while ((pos = FirstAtLeast(l, pos, j.duration)) >= 0) {
      const int w = list[pos];
      const Window& win = p_.windows[w];
      if (win.start + j.duration > j.due) break;
      if (j.weight * (std::max(win.start, j.release) - j.release) + change >= bar) break;
      const int s = EarliestStartIn(job, w, j.release);
      if (s >= 0) visit(w, s, SlotCost(job, w, s));
      ++pos;
    }
  }
}

Slot Schedule::FindBestSlot(int job, double limit) const {
  Slot best;
  best.cost = limit;
  ScanSlots(job, best.cost, [&](int w, int s, double cost) {
    if (cost < best.cost || (cost == best.cost && best.window >= 0 && s < best.start)) {
      best = {w, s, cost};
    }
  });
  return best;
}

std::pair<Slot, Slot> Schedule::FindTwoBestSlots(int job) const {
  Slot best, second;
  ScanSlots(job, second.cost, [&](int w, int s, double cost) {
    if (cost < best.cost) {
      second = best;
      best = {w, s, cost};
    } else if (cost < second.cost) {
      second = {w, s, cost};
    }
  });
  return {best, second};
}

int Schedule::LargestGap(int window) const {
  const Window& w = p_.windows[window];
  int prev = w.start, best = 0;
  for (const Occupant& o : occ_[window]) {
    best = std::max(best, o.start - prev);
    prev = std::max(prev, o.end);
  }
  return std::max(best, w.end - prev);
}

int Schedule::BlockValue(const ListTrees& t, int block) const {
  const int od = t.block_od[block];
  const int remaining = od < 0 ? kNoCap : p_.office_days[od].regular_cap - od_used_[od];
  return std::min(t.block_max[block], remaining);
}

void Schedule::UpdateBlock(ListTrees& t, int block) {
  const int value = BlockValue(t, block);
  if (t.top[t.top_size + block] != value) SetLeaf(t.top, t.top_size, block, value);
}

void Schedule::SetGap(int window, int gap) {
  if (gap_[window] == gap) return;
  gap_[window] = gap;
  for (int e = wl_begin_[window]; e < wl_begin_[window + 1]; ++e) {
    auto [l, pos] = wl_entries_[e];
    ListTrees& t = trees_[l];
    SetLeaf(t.gaps, t.size, pos, gap);
    const int block = t.block_of[pos];
    const int largest = RangeMax(t.gaps, t.size, t.block_begin[block], t.block_begin[block + 1]);
    if (largest != t.block_max[block]) {
      t.block_max[block] = largest;
      UpdateBlock(t, block);
    }
  }
}

void Schedule::Refresh(int window) {
  SetGap(window, LargestGap(window));
  const Window& w = p_.windows[window];
  if (!w.overtime) RefreshOfficeDay(w.office_day);
}

void Schedule::RefreshOfficeDay(int od) {
  for (auto [l, block] : od_blocks_[od]) UpdateBlock(trees_[l], block);
}

void Schedule::Place(int job, int window, int start) {
  const Job& j = p_.jobs[job];
  auto& occ = occ_[window];
  Occupant o{start, start + j.duration, job};
  occ.insert(
      std::upper_bound(occ.begin(), occ.end(), o,
                       [](const Occupant& a, const Occupant& b) { return a.start < b.start; }),
      o);
  job_window_[job] = window;
  job_start_[job] = start;
  const Window& w = p_.windows[window];
  if (!w.overtime) od_used_[w.office_day] += j.duration;
  total_cost_ += SlotCost(job, window, start) - j.unassigned_cost;
  Refresh(window);
}

void Schedule::Remove(int job) {
  const int window = job_window_[job];
  if (window < 0) return;
  const Job& j = p_.jobs[job];
  auto& occ = occ_[window];
  occ.erase(std::find_if(occ.begin(), occ.end(), [&](const Occupant& o) { return o.job == job; }));
  total_cost_ -= SlotCost(job, window, job_start_[job]) - j.unassigned_cost;
  const Window& w = p_.windows[window];
  if (!w.overtime) od_used_[w.office_day] -= j.duration;
  job_window_[job] = -1;
  Refresh(window);
}

}  // namespace rebook::solver::internal
