// DeliveryLimiter: rate limits and daily quotas the outbox worker consults before each send,
// so that a mass event (thousands of offers at once) cannot run up a paid SMS bill or flood
// a mail relay.
//
//   DeliveryLimiter limiter(clock);
//   limiter.SetLimit("sms", {.rate_per_second = 5, .burst = 20, .office_daily_quota = 500});
//   LimitDecision d = limiter.TryAcquire("office-halle-1", "sms");
//   if (!d.allowed) { reschedule the message at d.retry_at; }
//
// Two limits per channel, both optional:
//  - a token bucket shared by all offices (`rate_per_second`, `burst`): the provider's or the
//    budget's throughput;
//  - a per-office quota per local calendar day (`office_daily_quota`), which resets at
//    midnight in the limiter's time zone.
// A channel without a configured limit is unlimited. An acquire that is refused consumes
// nothing. Thread-safe. The clock is injected and must outlive the limiter.
#ifndef REBOOK_SERVICES_NOTIFY_DELIVERY_LIMITER_H_
#define REBOOK_SERVICES_NOTIFY_DELIVERY_LIMITER_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/notify/channel_config.h"

namespace rebook::notify {

struct ChannelLimit {
  double rate_per_second = 0;           // 0: no rate limit
  double burst = 1;                     // bucket size, >= 1 when rate_per_second > 0
  std::int64_t office_daily_quota = 0;  // 0: no quota

  // Reads rate_per_second, burst and office_daily_quota from a channel's config (all
  // optional; the defaults above).
  static absl::StatusOr<ChannelLimit> FromConfig(const ChannelConfig& config);
};

struct LimitDecision {
  bool allowed = true;
  Instant retry_at{};  // when refused: the earliest instant an acquire can succeed
  std::string reason;  // when refused: "rate limit" or "daily quota of N reached for office X"
};

class DeliveryLimiter {
 public:
  explicit DeliveryLimiter(const Clock& clock, std::string time_zone = "Europe/Berlin");

  void SetLimit(std::string channel, ChannelLimit limit);
  // Takes one token and one unit of quota, or neither.
  LimitDecision TryAcquire(std::string_view office_id, std::string_view channel);
  // Messages counted today against `office_id` on `channel`.
  std::int64_t UsedToday(std::string_view office_id, std::string_view channel);

 private:
  struct Bucket {
    double tokens = 0;
    Instant updated{};
  };
  struct Quota {
    std::int64_t day = 0;  // days since epoch of the local date counted
    std::int64_t used = 0;
  };
  std::int64_t LocalDay(Instant t) const;

  const Clock& clock_;
  const std::string time_zone_;
  std::mutex mu_;
  std::map<std::string, ChannelLimit, std::less<>> limits_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  std::map<std::pair<std::string, std::string>, Quota> quotas_;
};

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_DELIVERY_LIMITER_H_
