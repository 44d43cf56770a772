// The outbox's configuration file, shared by rebookd (--outbox_policy) and rebook-notifier
// (--channel-config): sections of `key = value` lines.
//
//   # comments start with '#' or ';' at the start of a line, or after whitespace
//   [outbox]
//   chain = email, sms, letter, phone_list     # fallback order (default: this one)
//   unreachable_channel = phone_list           # channel of citizens with no contact data
//   jitter_seed = 42                           # seeds the retry jitter
//
//   [channel.email]                            # one section per outbox channel name
//   type = smtp                                # the notify factory (default: the name, email=smtp)
//   url = smtp://mail.example:587              # factory keys: read by the worker only
//   retry_initial = 5m                         # retry_* keys: read by the server
//   rate_per_second = 10                       # rate_per_second, burst, office_daily_quota:
//   office_daily_quota = 5000                  #   read by the server, enforced at lease time
//
// Section names are `outbox` and `channel.<name>` with <name> one of the API's channels
// ("email", "sms", "webhook", "letter", "phone_list", "file"). Keys are unique per section.
// The server checks the keys it reads; the worker's channel factories reject keys they do not
// know, so one file can serve both (the server never needs the channel secrets, though: give
// it a file without them).
#ifndef REBOOK_SERVICES_REBOOKING_OUTBOX_CONFIG_H_
#define REBOOK_SERVICES_REBOOKING_OUTBOX_CONFIG_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notify/delivery_limiter.h"
#include "services/rebooking/outbox.h"

namespace rebook::rebooking {

struct ConfigSection {
  std::string name;  // "outbox", "channel.email", ...
  int line = 0;      // where its header is, for messages
  std::map<std::string, std::string> values;
};

// Parses the file format above. INVALID_ARGUMENT naming `source` and the line for malformed
// lines, keys outside a section, repeated keys or sections, and unknown section names.
absl::StatusOr<std::vector<ConfigSection>> ParseConfigSections(std::string_view text,
                                                               const std::string& source);
// Reads a whole file; NOT_FOUND / UNAVAILABLE naming the path.
absl::StatusOr<std::string> ReadConfigFile(const std::string& path);

// The channel name of a `channel.<name>` section, "" for other sections.
std::string SectionChannel(const ConfigSection& section);
// A channel section's factory type: its `type` key, else its name mapped by ChainChannelName.
std::string SectionType(const ConfigSection& section);

// What the server takes from the file.
struct OutboxConfig {
  OutboxPolicy policy;
  std::map<std::string, notify::ChannelLimit> limits;  // by outbox channel name
};

// INVALID_ARGUMENT for bad values, unknown [outbox] keys, and unknown keys in channel
// sections without a `type` (a section with a `type` is a worker's channel config as well,
// whose other keys the worker's channel factory checks).
absl::StatusOr<OutboxConfig> ParseOutboxConfig(std::string_view text, const std::string& source);
absl::StatusOr<OutboxConfig> LoadOutboxConfig(const std::string& path);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OUTBOX_CONFIG_H_
