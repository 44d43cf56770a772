// The channel-config file, shared by rebookd (--outbox_policy) and rebook-notifier
// (--channel-config): sections of `key = value` lines.
//
//   # comments start with '#' or ';' at the start of a line, or after whitespace
//   [outbox]
//   chain = email, sms, letter, phone          # fallback order (default: this one)
//   unreachable_channel = phone                # channel of citizens with no contact data
//   jitter_seed = 42                           # seeds the retry jitter
//
//   [channel.email]                            # one section per channel
//   type = email                               # the notify factory (default: the name)
//   url = smtp://mail.example:587              # factory keys: read by the worker only
//   retry_initial = 5m                         # retry_* keys: read by the server
//   rate_per_second = 10                       # rate_per_second, burst, office_daily_quota:
//   office_daily_quota = 5000                  #   read by the server, enforced at lease time
//
//   [channel.letter]
//   hold = 7d                                  # how long an offer sent first on this channel
//                                              #   holds its slot at least (read by the server)
//
// Channels have one name each (domain::kKnownChannels: email, sms, webhook, letter, phone,
// file). The old names are aliases, mapped to the current ones as the file is parsed: `smtp`
// for email and `phone_list` for phone, in section names (`[channel.smtp]` is the section of
// email), `type` values, `unreachable_channel` and `chain` (which also takes the words of
// CanonicalChannelName, e.g. `mail`, `post`). A channel's section may appear once, under
// either name. Keys are unique per section.
//
// The server checks the keys it reads; the worker's channel factories reject keys they do not
// know, so one file can serve both (the server never needs the channel secrets, though: give
// it a file without them). Thread-compatible free functions; no global state.
#ifndef REBOOK_SERVICES_NOTIFY_CHANNEL_CONFIG_FILE_H_
#define REBOOK_SERVICES_NOTIFY_CHANNEL_CONFIG_FILE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notify/channel_chain.h"
#include "services/notify/delivery_limiter.h"
#include "services/notify/retry_policy.h"

namespace rebook::notify {

struct ConfigSection {
  std::string name;  // "outbox" or "channel.<channel>", with the channel's current name
  int line = 0;      // where its header is, for messages
  std::map<std::string, std::string> values;
};

// The syntax alone, for the config files of other workers (rebook-sync's `[sink.<name>]`):
// `canonical` maps a section header to the name the section is kept under, or to nullopt to
// refuse it ("unknown section [x]; expected <expected>"). Same errors as below otherwise.
absl::StatusOr<std::vector<ConfigSection>> ParseSections(
    std::string_view text, const std::string& source,
    const std::function<std::optional<std::string>(std::string_view)>& canonical,
    std::string_view expected);

// Parses the file format above. INVALID_ARGUMENT naming `source` and the line for malformed
// lines, keys outside a section, repeated keys or sections, and unknown section names.
absl::StatusOr<std::vector<ConfigSection>> ParseConfigSections(std::string_view text,
                                                               const std::string& source);
// Reads a whole file; NOT_FOUND / UNAVAILABLE naming the path.
absl::StatusOr<std::string> ReadConfigFile(const std::string& path);

// The channel of a `channel.<name>` section, "" for other sections.
std::string SectionChannel(const ConfigSection& section);
// A channel section's factory type: its `type` key (old names mapped), else its channel.
std::string SectionType(const ConfigSection& section);

// What the server takes from the file. Values the file leaves out are unset (the outbox keeps
// its defaults).
struct DeliveryConfig {
  std::optional<ChannelChain> chain;               // [outbox] chain
  std::optional<std::string> unreachable_channel;  // [outbox] unreachable_channel
  std::optional<std::uint64_t> jitter_seed;        // [outbox] jitter_seed
  // Per channel section: RetryPolicy::FromConfig of its type and keys.
  std::map<std::string, RetryPolicy> retry;
  // Per channel section with a rate limit or a daily quota.
  std::map<std::string, ChannelLimit> limits;
  // Per channel section with a `hold` key (1 hour .. 30 days, like an office's offer_ttl).
  std::map<std::string, std::chrono::seconds> hold;
};

// INVALID_ARGUMENT for bad values, unknown [outbox] keys, and unknown keys in channel
// sections without a `type` (a section with a `type` is a worker's channel config as well,
// whose other keys the worker's channel factory checks).
absl::StatusOr<DeliveryConfig> ParseDeliveryConfig(std::string_view text,
                                                   const std::string& source);
absl::StatusOr<DeliveryConfig> LoadDeliveryConfig(const std::string& path);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_CHANNEL_CONFIG_FILE_H_
