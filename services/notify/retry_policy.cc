#include "services/notify/retry_policy.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace rebook::notify {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

RetryPolicy RetryPolicy::ForChannel(std::string_view channel_type) {
  if (channel_type == "email") {
    return {.initial_delay = minutes(5),
            .multiplier = 2.0,
            .max_delay = hours(4),
            .jitter = 0.2,
            .give_up_after = hours(24 * 4),
            .max_attempts = 100};
  }
  if (channel_type == "sms" || channel_type == "webhook") {
    return {.initial_delay = seconds(10),
            .multiplier = 2.0,
            .max_delay = minutes(10),
            .jitter = 0.2,
            .give_up_after = hours(6),
            .max_attempts = 100};
  }
  return {.initial_delay = seconds(30),
          .multiplier = 2.0,
          .max_delay = minutes(30),
          .jitter = 0.2,
          .give_up_after = hours(24),
          .max_attempts = 100};
}

absl::StatusOr<RetryPolicy> RetryPolicy::FromConfig(std::string_view channel_type,
                                                    const ChannelConfig& config) {
  RetryPolicy p = ForChannel(channel_type);
  REBOOK_ASSIGN_OR_RETURN(p.initial_delay, config.GetDuration("retry_initial", p.initial_delay));
  REBOOK_ASSIGN_OR_RETURN(p.multiplier,
                          config.GetDouble("retry_multiplier", p.multiplier, 1.0, 10.0));
  REBOOK_ASSIGN_OR_RETURN(p.max_delay, config.GetDuration("retry_max_delay", p.max_delay));
  REBOOK_ASSIGN_OR_RETURN(p.jitter, config.GetDouble("retry_jitter", p.jitter, 0.0, 0.99));
  REBOOK_ASSIGN_OR_RETURN(p.give_up_after,
                          config.GetDuration("retry_give_up_after", p.give_up_after));
  REBOOK_ASSIGN_OR_RETURN(std::int64_t attempts,
                          config.GetInt("retry_max_attempts", p.max_attempts, 1, 10000));
  p.max_attempts = static_cast<int>(attempts);
  if (p.initial_delay.count() < 1) return config.Invalid("retry_initial", "must be at least 1s");
  if (p.max_delay < p.initial_delay) {
    return config.Invalid("retry_max_delay", "must not be below retry_initial");
  }
  return p;
}

seconds BaseDelay(const RetryPolicy& policy, int attempts) {
  const double exponent = std::max(0, attempts - 1);
  const double raw = static_cast<double>(policy.initial_delay.count()) *
                     std::pow(policy.multiplier, std::min(exponent, 64.0));
  const double capped = std::min(raw, static_cast<double>(policy.max_delay.count()));
  return seconds(static_cast<std::int64_t>(capped));
}

RetryDecision NextAttempt(const RetryPolicy& policy, const AttemptHistory& history,
                          const DeliveryResult& last_result, std::mt19937_64& rng) {
  RetryDecision d;
  if (last_result.state == DeliveryState::kPermanentFailure) {
    d.give_up = true;
    d.reason = absl::StrCat("permanent failure: ", last_result.reason);
    return d;
  }
  if (history.attempts >= policy.max_attempts) {
    d.give_up = true;
    d.reason = absl::StrCat("gave up after ", history.attempts,
                            " attempts; last failure: ", last_result.reason);
    return d;
  }
  const double base = static_cast<double>(BaseDelay(policy, history.attempts).count());
  std::uniform_real_distribution<double> spread(1.0 - policy.jitter, 1.0 + policy.jitter);
  seconds delay(static_cast<std::int64_t>(std::llround(base * spread(rng))));
  delay = std::max(delay, seconds(1));
  if (last_result.retry_after.has_value()) delay = std::max(delay, *last_result.retry_after);
  d.next_attempt = history.last_attempt + delay;
  if (d.next_attempt > history.first_attempt + policy.give_up_after) {
    d.give_up = true;
    d.reason = absl::StrCat("gave up after ", history.attempts, " attempts over ",
                            (history.last_attempt - history.first_attempt).count() / 60,
                            " min; last failure: ", last_result.reason);
  }
  return d;
}

}  // namespace rebook::notify
