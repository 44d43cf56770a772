#include "services/rebooking/outbox_limits.h"

#include <algorithm>
#include <cmath>

namespace rebook::rebooking {

OutboxLimits::OutboxLimits(const Clock& clock, std::map<std::string, notify::ChannelLimit> limits)
    : clock_(clock), limits_(std::move(limits)), limiter_(clock) {
  for (const auto& [channel, limit] : limits_) limiter_.SetLimit(channel, limit);
}

OutboxLimits::Decision OutboxLimits::Acquire(std::string_view office_id, std::string_view channel) {
  const notify::LimitDecision d = limiter_.TryAcquire(office_id, channel);
  if (d.allowed) return {};
  Decision refused{.allowed = false, .retry_at = d.retry_at, .reason = d.reason};
  auto limit = limits_.find(std::string(channel));
  const bool quota_used_up =
      limit->second.office_daily_quota > 0 &&
      limiter_.UsedToday(office_id, channel) >= limit->second.office_daily_quota;
  // A used-up quota returns everything at the next local midnight; a rate limit spreads the
  // refused messages over the time the bucket needs to let them through.
  if (quota_used_up || limit->second.rate_per_second <= 0) return refused;
  std::lock_guard<std::mutex> lock(mu_);
  double& next = next_return_[std::string(channel)];
  const double now = static_cast<double>(clock_.Now().time_since_epoch().count());
  next = std::max({next, now, static_cast<double>(d.retry_at.time_since_epoch().count())});
  refused.retry_at = Instant(std::chrono::seconds(static_cast<std::int64_t>(std::floor(next))));
  next += 1.0 / limit->second.rate_per_second;
  return refused;
}

}  // namespace rebook::rebooking
