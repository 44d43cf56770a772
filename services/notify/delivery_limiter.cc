#include "services/notify/delivery_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"

namespace rebook::notify {

absl::StatusOr<ChannelLimit> ChannelLimit::FromConfig(const ChannelConfig& config) {
  ChannelLimit limit;
  REBOOK_ASSIGN_OR_RETURN(limit.rate_per_second,
                          config.GetDouble("rate_per_second", 0.0, 0.0, 1e6));
  REBOOK_ASSIGN_OR_RETURN(limit.burst, config.GetDouble("burst", 1.0, 1.0, 1e6));
  REBOOK_ASSIGN_OR_RETURN(limit.office_daily_quota,
                          config.GetInt("office_daily_quota", 0, 0, 1'000'000'000));
  return limit;
}

DeliveryLimiter::DeliveryLimiter(const Clock& clock, std::string time_zone)
    : clock_(clock), time_zone_(std::move(time_zone)) {}

void DeliveryLimiter::SetLimit(std::string channel, ChannelLimit limit) {
  std::lock_guard<std::mutex> lock(mu_);
  limit.burst = std::max(limit.burst, 1.0);
  buckets_[channel] = Bucket{limit.burst, clock_.Now()};
  limits_[std::move(channel)] = limit;
}

std::int64_t DeliveryLimiter::LocalDay(Instant t) const {
  return date::sys_days(domain::LocalDateOf(time_zone_, t)).time_since_epoch().count();
}

LimitDecision DeliveryLimiter::TryAcquire(std::string_view office_id, std::string_view channel) {
  std::lock_guard<std::mutex> lock(mu_);
  auto limit_it = limits_.find(channel);
  if (limit_it == limits_.end()) return {};
  const ChannelLimit& limit = limit_it->second;
  const Instant now = clock_.Now();

  Quota* quota = nullptr;
  if (limit.office_daily_quota > 0) {
    quota = &quotas_[{std::string(office_id), std::string(channel)}];
    const std::int64_t today = LocalDay(now);
    if (quota->day != today) *quota = Quota{today, 0};
    if (quota->used >= limit.office_daily_quota) {
      const date::sys_days tomorrow{date::days(today + 1)};
      return {false, domain::StartOfLocalDay(time_zone_, date::year_month_day(tomorrow)),
              absl::StrCat("daily quota of ", limit.office_daily_quota, " reached for office ",
                           std::string(office_id), " on channel ", std::string(channel))};
    }
  }
  if (limit.rate_per_second > 0) {
    Bucket& bucket = buckets_[std::string(channel)];
    const double elapsed = static_cast<double>((now - bucket.updated).count());
    bucket.tokens =
        std::min(limit.burst, bucket.tokens + std::max(0.0, elapsed) * limit.rate_per_second);
    bucket.updated = std::max(bucket.updated, now);
    if (bucket.tokens < 1.0) {
      const double wait = std::ceil((1.0 - bucket.tokens) / limit.rate_per_second);
      return {false, now + std::chrono::seconds(static_cast<std::int64_t>(std::max(1.0, wait))),
              absl::StrCat("rate limit of ", limit.rate_per_second, "/s on channel ",
                           std::string(channel))};
    }
    bucket.tokens -= 1.0;
  }
  if (quota != nullptr) ++quota->used;
  return {};
}

std::int64_t DeliveryLimiter::UsedToday(std::string_view office_id, std::string_view channel) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = quotas_.find({std::string(office_id), std::string(channel)});
  if (it == quotas_.end() || it->second.day != LocalDay(clock_.Now())) return 0;
  return it->second.used;
}

}  // namespace rebook::notify
