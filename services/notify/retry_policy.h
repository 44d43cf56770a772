// RetryPolicy: when to try a temporarily failed message again, and when to give up.
//
// Pure functions of their inputs; randomness comes from a seeded generator the caller owns,
// so the outbox worker's schedule is reproducible in tests.
//
//   std::mt19937_64 rng(seed);
//   RetryPolicy policy = RetryPolicy::ForChannel("email");
//   RetryDecision d = policy.Next({.attempts = 3, .first_attempt = t0, .last_attempt = now},
//                                 result, rng);
//   if (d.give_up) { dead letter with d.reason } else { schedule at d.next_attempt }
//
// Backoff: delay(n) = min(max_delay, initial_delay * multiplier^(n-1)), then scaled by a
// uniform factor in [1 - jitter, 1 + jitter], and never below a provider's Retry-After hint.
// A permanent failure always gives up (the channel chain decides what comes next). A message
// gives up when the next attempt would start after `first_attempt + give_up_after`, or after
// `max_attempts` attempts.
#ifndef REBOOK_SERVICES_NOTIFY_RETRY_POLICY_H_
#define REBOOK_SERVICES_NOTIFY_RETRY_POLICY_H_

#include <chrono>
#include <random>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/notify/channel_config.h"
#include "services/notify/message.h"

namespace rebook::notify {

struct RetryPolicy {
  std::chrono::seconds initial_delay{60};                     // delay before the second attempt
  double multiplier = 2.0;                                    // growth per attempt, >= 1
  std::chrono::seconds max_delay{3600};                       // cap on one delay
  double jitter = 0.2;                                        // relative spread, in [0, 1)
  std::chrono::seconds give_up_after{std::chrono::hours(4)};  // since the first attempt
  int max_attempts = 50;                                      // attempts in total

  // Defaults per channel type:
  //  email:             5 min, x2, max 4 h, give up after 4 days (RFC 5321 section 4.5.4.1:
  //                     retry in the order of 30 min, give up after at least 4-5 days);
  //  sms, webhook:      10 s, x2, max 10 min, give up after 6 h;
  //  letter, phone, file (local disk): 30 s, x2, max 30 min, give up after 1 day.
  static RetryPolicy ForChannel(std::string_view channel_type);
  // The defaults for `channel_type`, overridden by the config keys retry_initial,
  // retry_multiplier, retry_max_delay, retry_jitter, retry_give_up_after, retry_max_attempts.
  static absl::StatusOr<RetryPolicy> FromConfig(std::string_view channel_type,
                                                const ChannelConfig& config);
};

struct AttemptHistory {
  int attempts = 1;  // attempts made so far, including the one that just failed
  Instant first_attempt{};
  Instant last_attempt{};  // when the one that just failed was made
};

struct RetryDecision {
  bool give_up = false;
  Instant next_attempt{};  // meaningful when !give_up
  std::string reason;      // why it gave up: the last failure plus the policy's limit
};

// The delay before attempt `attempts + 1`, before jitter and Retry-After.
std::chrono::seconds BaseDelay(const RetryPolicy& policy, int attempts);

RetryDecision NextAttempt(const RetryPolicy& policy, const AttemptHistory& history,
                          const DeliveryResult& last_result, std::mt19937_64& rng);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_RETRY_POLICY_H_
