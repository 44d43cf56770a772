#include "services/notify/channel_config.h"

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rebook::notify {

ChannelConfig::ChannelConfig(std::string name, std::map<std::string, std::string> values,
                             const Clock* clock)
    : name_(std::move(name)),
      values_(std::move(values)),
      clock_(clock != nullptr ? clock : &SystemClock::Instance()) {}

bool ChannelConfig::Has(std::string_view key) const {
  auto it = values_.find(std::string(key));
  return it != values_.end() && !it->second.empty();
}

absl::Status ChannelConfig::Invalid(std::string_view key, std::string_view what) const {
  return absl::InvalidArgumentError(
      absl::StrCat("channel ", name_, ": key ", std::string(key), ": ", std::string(what)));
}

absl::StatusOr<std::string> ChannelConfig::GetString(std::string_view key) const {
  auto it = values_.find(std::string(key));
  if (it == values_.end() || it->second.empty()) return Invalid(key, "is required");
  return it->second;
}

std::string ChannelConfig::GetString(std::string_view key, std::string_view default_value) const {
  auto it = values_.find(std::string(key));
  if (it == values_.end() || it->second.empty()) return std::string(default_value);
  return it->second;
}

absl::StatusOr<bool> ChannelConfig::GetBool(std::string_view key, bool default_value) const {
  if (!Has(key)) return default_value;
  const std::string v = absl::AsciiStrToLower(values_.at(std::string(key)));
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return Invalid(key, absl::StrCat("\"", v, "\" is not a boolean"));
}

absl::StatusOr<std::int64_t> ChannelConfig::GetInt(std::string_view key, std::int64_t default_value,
                                                   std::int64_t min, std::int64_t max) const {
  std::int64_t v = default_value;
  if (Has(key) && !absl::SimpleAtoi(values_.at(std::string(key)), &v)) {
    return Invalid(key, "is not an integer");
  }
  if (v < min || v > max) {
    return Invalid(key, absl::StrCat("must be between ", min, " and ", max));
  }
  return v;
}

absl::StatusOr<double> ChannelConfig::GetDouble(std::string_view key, double default_value,
                                                double min, double max) const {
  double v = default_value;
  if (Has(key) && !absl::SimpleAtod(values_.at(std::string(key)), &v)) {
    return Invalid(key, "is not a number");
  }
  if (!(v >= min && v <= max)) {
    return Invalid(key, absl::StrCat("must be between ", min, " and ", max));
  }
  return v;
}

absl::StatusOr<std::chrono::seconds> ChannelConfig::GetDuration(
    std::string_view key, std::chrono::seconds default_value) const {
  if (!Has(key)) return default_value;
  std::string v = values_.at(std::string(key));
  std::int64_t unit = 1;
  switch (v.back()) {
    case 's':
      v.pop_back();
      break;
    case 'm':
      unit = 60;
      v.pop_back();
      break;
    case 'h':
      unit = 3600;
      v.pop_back();
      break;
    case 'd':
      unit = 86400;
      v.pop_back();
      break;
    default:
      break;
  }
  std::int64_t n = 0;
  if (!absl::SimpleAtoi(v, &n) || n < 0) {
    return Invalid(key, "is not a duration such as 30s, 5m, 4h or 2d");
  }
  // Checked before multiplying: "999999999999999999d" overflowed (found by fuzzing), and a
  // duration near the int64 limit overflowed later when added to a time (NextAttempt).
  if (n > kMaxDurationSeconds / unit) return Invalid(key, "is longer than 3650d");
  return std::chrono::seconds(n * unit);
}

absl::Status ChannelConfig::CheckKnownKeys(std::initializer_list<std::string_view> known) const {
  static constexpr std::string_view kCommon[] = {"type",
                                                 "retry_initial",
                                                 "retry_multiplier",
                                                 "retry_max_delay",
                                                 "retry_jitter",
                                                 "retry_give_up_after",
                                                 "retry_max_attempts",
                                                 "rate_per_second",
                                                 "burst",
                                                 "office_daily_quota",
                                                 "hold"};
  std::vector<std::string> unknown;
  for (const auto& [key, value] : values_) {
    bool found = false;
    for (std::string_view k : kCommon) found = found || k == key;
    for (std::string_view k : known) found = found || k == key;
    if (!found) unknown.push_back(key);
  }
  if (unknown.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("channel ", name_, ": unknown key(s) ", absl::StrJoin(unknown, ", ")));
}

}  // namespace rebook::notify
