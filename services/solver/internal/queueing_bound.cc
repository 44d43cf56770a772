#include "services/solver/internal/queueing_bound.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>
#include <vector>

namespace rebook::solver::internal {
namespace {

// The window minutes of one time bucket: the earliest of them and how many there are.
struct QueueBucket {
  int first = kInfinity;
  int end = 0;  // the bucket's end (exclusive)
  double cap = 0;
};

// Jobs with the same release, deadline, length, weight and unassigned cost, and the buckets
// [b_begin, b_end) that hold minutes they may use.
struct QueueJobClass {
  int release, due, duration;
  double weight, unassigned;
  double count = 0;  // jobs
  int b_begin = 0, b_end = 0;
  double Slope() const { return weight / duration; }
  // The delay cost of one job starting at the earliest minute of `b` it may use.
  double Delay(const QueueBucket& b) const {
    return weight * (std::max(b.first, release) - release);
  }
};

// The least price per minute a job of `duration` starting in bucket `b` pays: its minutes lie in
// `b` and the buckets after it that begin before b's end plus the duration.
double LeastPrice(const std::vector<QueueBucket>& buckets, const std::vector<double>& phi, int b,
                  int duration) {
  double least = phi[b];
  for (std::size_t n = b + 1; n < buckets.size() && buckets[n].first < buckets[b].end + duration;
       ++n) {
    least = std::min(least, phi[n]);
  }
  return least;
}

std::vector<QueueBucket> BucketsOf(const Problem& p, const std::vector<int>& windows, int length) {
  std::vector<QueueBucket> all(static_cast<std::size_t>(p.horizon_end / length) + 2);
  for (int w : windows) {
    const Window& win = p.windows[w];
    for (int b = win.start / length; b * length < win.end; ++b) {
      const int lo = std::max(win.start, b * length);
      const int hi = std::min(win.end, (b + 1) * length);
      if (hi <= lo || b >= static_cast<int>(all.size())) continue;
      all[b].first = std::min(all[b].first, lo);
      all[b].end = (b + 1) * length;
      all[b].cap += hi - lo;
    }
  }
  std::vector<QueueBucket> used;
  for (const QueueBucket& b : all) {
    if (b.cap > 0) used.push_back(b);
  }
  return used;
}

std::vector<QueueJobClass> ClassesOf(const Problem& p, const std::vector<int>& jobs,
                                     const std::vector<QueueBucket>& buckets) {
  std::map<std::tuple<int, int, int, double, double>, double> count;
  for (int j : jobs) {
    const Job& job = p.jobs[j];
    ++count[{job.release, job.due, job.duration, job.weight, job.unassigned_cost}];
  }
  std::vector<QueueJobClass> classes;
  for (const auto& [key, n] : count) {
    QueueJobClass k{std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key),
                    std::get<4>(key)};
    k.count = n;
    k.b_begin =
        static_cast<int>(std::upper_bound(buckets.begin(), buckets.end(), k.release,
                                          [](int r, const QueueBucket& b) { return r < b.end; }) -
                         buckets.begin());
    // Buckets whose earliest usable minute still leaves room to end by the deadline.
    k.b_end = static_cast<int>(
        std::lower_bound(buckets.begin(), buckets.end(), k.due - k.duration,
                         [](const QueueBucket& b, int last) { return b.first <= last; }) -
        buckets.begin());
    k.b_end = std::max(k.b_end, k.b_begin);
    classes.push_back(k);
  }
  return classes;
}

// LB(phi), and each bucket's use by the classes' cheapest choices (all of a job's minutes are
// counted in the bucket it starts in: only the step direction depends on it).
double Evaluate(const std::vector<QueueJobClass>& classes, const std::vector<QueueBucket>& buckets,
                const std::vector<double>& phi, std::vector<double>& usage) {
  std::fill(usage.begin(), usage.end(), 0.0);
  double lb = 0;
  for (const QueueJobClass& k : classes) {
    double best = k.unassigned;
    int arg = -1;
    for (int b = k.b_begin; b < k.b_end; ++b) {
      const double c = k.Delay(buckets[b]) + k.duration * LeastPrice(buckets, phi, b, k.duration);
      if (c < best) {
        best = c;
        arg = b;
      }
    }
    lb += k.count * best;
    if (arg >= 0) usage[arg] += k.count * k.duration;
  }
  for (std::size_t b = 0; b < buckets.size(); ++b) lb -= buckets[b].cap * phi[b];
  return lb;
}

// The dual of Smith's rule: the steepest classes fill the earliest free minutes; a full bucket is
// priced by the slope of the last class that entered it times the time to the next bucket, summed
// from the end.
std::vector<double> GreedyPrices(std::vector<QueueJobClass> classes,
                                 const std::vector<QueueBucket>& buckets) {
  std::stable_sort(
      classes.begin(), classes.end(),
      [](const QueueJobClass& a, const QueueJobClass& b) { return a.Slope() > b.Slope(); });
  std::vector<double> left(buckets.size()), marginal(buckets.size(), 0.0);
  for (std::size_t b = 0; b < buckets.size(); ++b) left[b] = buckets[b].cap;
  for (const QueueJobClass& k : classes) {
    double need = k.count * k.duration;
    for (int b = k.b_begin; b < k.b_end && need > 0; ++b) {
      if (left[b] <= 0) continue;
      if (k.Delay(buckets[b]) > k.unassigned) break;  // later buckets cost more
      const double take = std::min(need, left[b]);
      left[b] -= take;
      need -= take;
      if (left[b] <= 0) marginal[b] = k.Slope();
    }
  }
  std::vector<double> phi(buckets.size(), 0.0);
  double tail = 0;
  for (int b = static_cast<int>(buckets.size()) - 1; b >= 0; --b) {
    const int next =
        b + 1 < static_cast<int>(buckets.size()) ? buckets[b + 1].first : buckets[b].end;
    tail += marginal[b] * (next - buckets[b].first);
    phi[b] = tail;
  }
  return phi;
}

}  // namespace

double ComputeQueueingBound(const Problem& p, const std::vector<int>& jobs,
                            const std::vector<int>& windows, const QueueingOptions& o) {
  if (jobs.empty()) return 0;
  const std::vector<QueueBucket> buckets = BucketsOf(p, windows, std::max(1, o.bucket_minutes));
  const std::vector<QueueJobClass> classes = ClassesOf(p, jobs, buckets);
  double work = 1;
  for (const QueueJobClass& k : classes) work += k.b_end - k.b_begin;
  const int steps = static_cast<int>(std::min<double>(o.max_steps, o.max_work / work));

  std::vector<double> phi = GreedyPrices(classes, buckets);
  std::vector<double> usage(buckets.size());
  double current = Evaluate(classes, buckets, phi, usage);
  double best = current;
  // Polyak steps towards a target a little above the best bound so far; the step halves after
  // a few without a new best.
  double scale = 1.0;
  int since_best = 0;
  std::vector<double> g(buckets.size());
  for (int step = 0; step < steps; ++step) {
    double norm = 0;
    for (std::size_t b = 0; b < buckets.size(); ++b) {
      g[b] = usage[b] - buckets[b].cap;
      if (phi[b] <= 0 && g[b] < 0) g[b] = 0;
      norm += g[b] * g[b];
    }
    if (norm <= 0) break;  // the prices are optimal
    const double target = best + std::max(0.02 * std::abs(best), 1.0);
    const double t = scale * (target - current) / norm;
    for (std::size_t b = 0; b < buckets.size(); ++b) phi[b] = std::max(0.0, phi[b] + t * g[b]);
    current = Evaluate(classes, buckets, phi, usage);
    if (current > best) {
      best = current;
      since_best = 0;
    } else if (++since_best >= 4) {
      scale /= 2;
      since_best = 0;
    }
  }
  // Sums of many terms: a margin far below any objective unit.
  return std::max(0.0, best - 1e-9 * std::abs(best));
}

}  // namespace rebook::solver::internal
