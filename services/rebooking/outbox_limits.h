// OutboxLimits: the send budget the server enforces when it leases messages, so that many
// workers together cannot exceed a channel's rate or an office's daily quota (paid SMS on a
// mass event).
//
//   OutboxLimits limits(clock, {{"sms", {.rate_per_second = 5, .burst = 20,
//                                        .office_daily_quota = 500}}});
//   OutboxLimits::Decision d = limits.Acquire("HAL-MITTE", "sms");
//   if (!d.allowed) { put the message back, due at d.retry_at }
//
// Wraps notify::DeliveryLimiter (token bucket per channel, quota per office and local day).
// What it adds: refused messages get staggered return times. When a bucket is empty, the k-th
// message refused is told to come back k / rate seconds after the bucket refills, instead of
// all of them returning at the same instant and being refused again.
//
// Thread-safe. The clock must outlive the object.
#ifndef REBOOK_SERVICES_REBOOKING_OUTBOX_LIMITS_H_
#define REBOOK_SERVICES_REBOOKING_OUTBOX_LIMITS_H_

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "services/common/clock.h"
#include "services/notify/delivery_limiter.h"

namespace rebook::rebooking {

class OutboxLimits {
 public:
  // `limits` by outbox channel name ("email", "sms", ...); channels without one are unlimited.
  OutboxLimits(const Clock& clock, std::map<std::string, notify::ChannelLimit> limits);

  struct Decision {
    bool allowed = true;
    Instant retry_at{};  // when refused: when the message should be due again
    std::string reason;  // when refused: "rate limit of sms" or the quota that is used up
  };

  // Takes one send slot for a message of `office_id` on `channel`, or none.
  Decision Acquire(std::string_view office_id, std::string_view channel);

  const std::map<std::string, notify::ChannelLimit>& limits() const { return limits_; }

 private:
  const Clock& clock_;
  const std::map<std::string, notify::ChannelLimit> limits_;
  notify::DeliveryLimiter limiter_;
  std::mutex mu_;
  // Per channel: the next free return time for a message refused by the rate limit, in
  // seconds since the epoch (fractional, so that rates above 1/s spread within a second).
  std::map<std::string, double, std::less<>> next_return_;
};

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OUTBOX_LIMITS_H_
