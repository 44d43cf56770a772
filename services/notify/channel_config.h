// ChannelConfig: the key/value settings of one configured channel instance.
//
// The worker reads a section per channel from its config file (channel_config_file.h), e.g.
//
//   [channel.email]
//   type = email
//   url = smtp://mail.example.de:587
//   from = Buergerbuero <termine@example.de>
//
// and hands the keys (without `type`) to the factory named by `type`. Factories read values
// with the typed getters, which return InvalidArgument naming the instance and key, and call
// `CheckKnownKeys` so that a misspelt key fails at configuration time, not at 3 a.m.
#ifndef REBOOK_SERVICES_NOTIFY_CHANNEL_CONFIG_H_
#define REBOOK_SERVICES_NOTIFY_CHANNEL_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"

namespace rebook::notify {

class ChannelConfig {
 public:
  // `name` is the instance name (the `channel` part of idempotency keys). `clock` must outlive
  // every channel created from this config; it defaults to the system clock.
  explicit ChannelConfig(std::string name, std::map<std::string, std::string> values = {},
                         const Clock* clock = nullptr);

  const std::string& name() const { return name_; }
  const Clock& clock() const { return *clock_; }
  const std::map<std::string, std::string>& values() const { return values_; }
  void Set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }

  bool Has(std::string_view key) const;
  // Required string: InvalidArgument if missing or empty.
  absl::StatusOr<std::string> GetString(std::string_view key) const;
  std::string GetString(std::string_view key, std::string_view default_value) const;
  // "true"/"false"/"1"/"0"/"yes"/"no"; anything else is InvalidArgument.
  absl::StatusOr<bool> GetBool(std::string_view key, bool default_value) const;
  // Integer within [min, max], else InvalidArgument.
  absl::StatusOr<std::int64_t> GetInt(std::string_view key, std::int64_t default_value,
                                      std::int64_t min, std::int64_t max) const;
  absl::StatusOr<double> GetDouble(std::string_view key, double default_value, double min,
                                   double max) const;
  // Durations such as "30s", "5m", "4h", "2d" (whole units; no suffix means seconds), at most
  // kMaxDurationSeconds (3650d), so that adding one to a time cannot overflow.
  static constexpr std::int64_t kMaxDurationSeconds = 3650LL * 86400;
  absl::StatusOr<std::chrono::seconds> GetDuration(std::string_view key,
                                                   std::chrono::seconds default_value) const;

  // InvalidArgument listing every key not in `known` and not one of the keys every channel
  // accepts and the outbox worker reads: "type", the retry_* keys (retry_policy.h) and
  // rate_per_second, burst, office_daily_quota (delivery_limiter.h), and `hold` (the offer
  // hold time of the channel, read by the server: channel_config_file.h).
  absl::Status CheckKnownKeys(std::initializer_list<std::string_view> known) const;

  // "channel <name>: key <key>: <what>" as InvalidArgument.
  absl::Status Invalid(std::string_view key, std::string_view what) const;

 private:
  std::string name_;
  std::map<std::string, std::string> values_;
  const Clock* clock_;
};

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_CHANNEL_CONFIG_H_
