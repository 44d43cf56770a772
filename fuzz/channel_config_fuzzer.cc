// Fuzzes the channel-config file as rebook-notifier reads it (--channel-config):
// ParseConfigSections, then for every channel section the ChannelConfig its factory gets, read
// with every typed getter the factories use, and the retry and rate-limit settings read from
// it (RetryPolicy::FromConfig, ChannelLimit::FromConfig). Invariants: values that read are in
// the asked range, and a section's channel is one of domain::kKnownChannels.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "fuzz/fuzz_check.h"
#include "services/domain/model.h"
#include "services/notify/channel_config.h"
#include "services/notify/channel_config_file.h"
#include "services/notify/delivery_limiter.h"
#include "services/notify/retry_policy.h"

namespace notify = rebook::notify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto sections = notify::ParseConfigSections(rebook::fuzz::AsText(data, size), "fuzz.conf");
  if (!sections.ok()) return 0;
  for (const notify::ConfigSection& section : *sections) {
    const std::string channel = notify::SectionChannel(section);
    if (channel.empty()) continue;
    REBOOK_FUZZ_CHECK(std::find(std::begin(rebook::domain::kKnownChannels),
                                std::end(rebook::domain::kKnownChannels),
                                channel) != std::end(rebook::domain::kKnownChannels),
                      channel);
    const std::string type = notify::SectionType(section);
    std::map<std::string, std::string> values = section.values;
    values.erase("type");
    notify::ChannelConfig config(channel, values);
    for (const auto& [key, value] : values) {
      // An empty value counts as absent (channel_config.h).
      REBOOK_FUZZ_CHECK(config.Has(key) == !value.empty(), key);
      config.GetString(key).status().IgnoreError();
      config.GetBool(key, false).status().IgnoreError();
      if (auto i = config.GetInt(key, 0, -1000, 1000); i.ok()) {
        REBOOK_FUZZ_CHECK(*i >= -1000 && *i <= 1000, value);
      }
      config
          .GetInt(key, 0, std::numeric_limits<std::int64_t>::min(),
                  std::numeric_limits<std::int64_t>::max())
          .status()
          .IgnoreError();
      if (auto d = config.GetDouble(key, 0, 0, 1); d.ok()) {
        REBOOK_FUZZ_CHECK(*d >= 0 && *d <= 1, value);
      }
      if (auto d = config.GetDuration(key, std::chrono::seconds(1)); d.ok()) {
        REBOOK_FUZZ_CHECK(d->count() >= 0, value);
      }
    }
    config.CheckKnownKeys({"url", "from", "to"}).IgnoreError();
    if (auto retry = notify::RetryPolicy::FromConfig(type, config); retry.ok()) {
      REBOOK_FUZZ_CHECK(retry->multiplier >= 1 && retry->jitter >= 0 && retry->jitter < 1, channel);
    }
    if (auto limit = notify::ChannelLimit::FromConfig(config); limit.ok()) {
      REBOOK_FUZZ_CHECK(limit->rate_per_second >= 0 && std::isfinite(limit->rate_per_second),
                        channel);
    }
  }
  return 0;
}
