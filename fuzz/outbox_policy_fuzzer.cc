// Fuzzes rebookd's outbox policy file (--outbox_policy): ParseDeliveryConfig, then uses what it
// read as the outbox does (rebooking::OutboxPolicy::FromConfig copies it over): the retry
// schedule of every channel (BaseDelay, NextAttempt after temporary failures, with and without
// a provider's Retry-After), the rate limits, and the channel chain's choice for citizens with
// various contact data. Invariants: base delays lie in [0, max_delay], a retry is scheduled
// after the failed attempt, chosen channels are known ones and none is chosen twice.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "services/domain/model.h"
#include "services/notify/channel_chain.h"
#include "services/notify/channel_config_file.h"
#include "services/notify/retry_policy.h"

namespace {

namespace notify = rebook::notify;
using rebook::Instant;

bool Known(const std::string& channel) {
  return std::find(std::begin(rebook::domain::kKnownChannels),
                   std::end(rebook::domain::kKnownChannels),
                   channel) != std::end(rebook::domain::kKnownChannels);
}

void CheckSchedule(const notify::RetryPolicy& policy, std::mt19937_64& rng) {
  const Instant first{std::chrono::seconds(1772434800)};  // 2026-03-02
  for (int attempts : {1, 2, 3, 10, 63, 64, 65, policy.max_attempts - 1, policy.max_attempts}) {
    if (attempts < 1) continue;
    const std::chrono::seconds base = notify::BaseDelay(policy, attempts);
    REBOOK_FUZZ_CHECK(base.count() >= 0 && base <= policy.max_delay, std::to_string(attempts));
    const Instant last = first + std::chrono::seconds(attempts);
    for (const std::optional<std::chrono::seconds>& hint :
         {std::optional<std::chrono::seconds>(), std::optional(std::chrono::seconds(3600)),
          std::optional(std::chrono::seconds(86400))}) {
      notify::DeliveryResult failed = notify::DeliveryResult::Temporary("fuzz");
      failed.retry_after = hint;
      notify::RetryDecision d = notify::NextAttempt(
          policy, {.attempts = attempts, .first_attempt = first, .last_attempt = last}, failed,
          rng);
      if (!d.give_up) REBOOK_FUZZ_CHECK(d.next_attempt > last, std::to_string(attempts));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  absl::StatusOr<notify::DeliveryConfig> config =
      notify::ParseDeliveryConfig(rebook::fuzz::AsText(data, size), "fuzz.conf");
  if (!config.ok()) return 0;
  if (config->unreachable_channel) {
    REBOOK_FUZZ_CHECK(Known(*config->unreachable_channel), *config->unreachable_channel);
  }
  std::mt19937_64 rng(config->jitter_seed.value_or(1));
  // The outbox's retry policy of a channel: the file's, else the channel type's defaults.
  for (std::string_view channel : rebook::domain::kKnownChannels) {
    auto it = config->retry.find(std::string(channel));
    CheckSchedule(it != config->retry.end() ? it->second : notify::RetryPolicy::ForChannel(channel),
                  rng);
  }
  for (const auto& [channel, limit] : config->limits) {
    REBOOK_FUZZ_CHECK(Known(channel), channel);
    REBOOK_FUZZ_CHECK(limit.rate_per_second >= 0 && limit.office_daily_quota >= 0, channel);
  }
  const notify::ChannelChain chain = config->chain.value_or(notify::ChannelChain::Default());
  rebook::domain::Contact nobody;
  rebook::domain::Contact everything{.name = "A",
                                     .phone = "+49 345 1",
                                     .email = "a@example.org",
                                     .postal_address = "Markt 1, Halle",
                                     .channel = "sms"};
  rebook::domain::Contact letter_only{.name = "B", .postal_address = "Markt 2, Halle"};
  for (const rebook::domain::Contact& contact : {nobody, everything, letter_only}) {
    std::vector<std::string> tried;
    for (std::optional<std::string> c = chain.First(contact); c && tried.size() < 20;
         c = chain.Next(contact, tried)) {
      REBOOK_FUZZ_CHECK(Known(*c), *c);
      REBOOK_FUZZ_CHECK(std::find(tried.begin(), tried.end(), *c) == tried.end(),
                        "channel " + *c + " chosen twice");
      tried.push_back(*c);
    }
    chain.OrderFor(contact);
  }
  return 0;
}
