// Hand-written because the format is a dozen lines of rules and Debian's dependency list
// (tools/install-deps.sh) has no INI library; the rules are documented in the header.
#include "services/notify/channel_config_file.h"

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/domain/model.h"
#include "services/notify/channel_config.h"

namespace rebook::notify {
namespace {

constexpr char kChannelPrefix[] = "channel.";
constexpr std::size_t kChannelPrefixSize = sizeof(kChannelPrefix) - 1;

absl::string_view StrView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string Strip(absl::string_view s) { return std::string(absl::StripAsciiWhitespace(s)); }

// Drops a comment: '#' or ';' at the start, or after whitespace.
absl::string_view WithoutComment(absl::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((line[i] == '#' || line[i] == ';') &&
        (i == 0 || absl::ascii_isspace(static_cast<unsigned char>(line[i - 1])))) {
      return line.substr(0, i);
    }
  }
  return line;
}

absl::Status LineError(const std::string& source, int line, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(source, ":", line, ": ", what));
}

bool IsRetryOrLimitKey(const std::string& key) {
  return absl::StartsWith(key, "retry_") || key == "rate_per_second" || key == "burst" ||
         key == "office_daily_quota" || key == "type" || key == "hold";
}

absl::Status ApplyOutboxSection(const ConfigSection& s, const std::string& source,
                                DeliveryConfig& config) {
  for (const auto& [key, value] : s.values) {
    if (key == "chain") {
      absl::StatusOr<ChannelChain> chain = ChannelChain::Parse(value);
      if (!chain.ok()) return LineError(source, s.line, std::string(chain.status().message()));
      config.chain = *std::move(chain);
    } else if (key == "unreachable_channel") {
      std::optional<std::string_view> channel = domain::CanonicalChannel(value);
      if (!channel.has_value()) {
        return LineError(source, s.line, absl::StrCat("unknown channel \"", value, "\""));
      }
      config.unreachable_channel = std::string(*channel);
    } else if (key == "jitter_seed") {
      std::uint64_t seed = 0;
      if (!absl::SimpleAtoi(value, &seed)) {
        return LineError(source, s.line, "jitter_seed must be a non-negative integer");
      }
      config.jitter_seed = seed;
    } else {
      return LineError(source, s.line, absl::StrCat("unknown key \"", key, "\" in [outbox]"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ConfigSection>> ParseSections(
    std::string_view text, const std::string& source,
    const std::function<std::optional<std::string>(std::string_view)>& canonical,
    std::string_view expected) {
  std::vector<ConfigSection> sections;
  std::set<std::string> names;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_no;
    const std::string line = Strip(WithoutComment(raw));
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') return LineError(source, line_no, "section header needs ']'");
      const std::string header = Strip(absl::string_view(line).substr(1, line.size() - 2));
      std::optional<std::string> name = canonical(header);
      if (!name.has_value()) {
        return LineError(
            source, line_no,
            absl::StrCat("unknown section [", header, "]; expected ", StrView(expected)));
      }
      if (!names.insert(*name).second) {
        return LineError(source, line_no, absl::StrCat("section [", *name, "] appears twice"));
      }
      sections.push_back({.name = *std::move(name), .line = line_no, .values = {}});
      continue;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) return LineError(source, line_no, "expected key = value");
    if (sections.empty()) return LineError(source, line_no, "key outside of a section");
    std::string key = Strip(absl::string_view(line).substr(0, eq));
    if (key.empty()) return LineError(source, line_no, "empty key");
    if (!sections.back()
             .values.emplace(key, Strip(absl::string_view(line).substr(eq + 1)))
             .second) {
      return LineError(source, line_no, absl::StrCat("key \"", key, "\" appears twice"));
    }
  }
  return sections;
}

absl::StatusOr<std::vector<ConfigSection>> ParseConfigSections(std::string_view text,
                                                               const std::string& source) {
  // Old channel names become the current ones here, so nothing after this sees them.
  auto canonical = [](std::string_view name) -> std::optional<std::string> {
    if (name == "outbox") return std::string(name);
    if (!absl::StartsWith(absl::string_view(name.data(), name.size()), kChannelPrefix)) {
      return std::nullopt;
    }
    std::optional<std::string_view> channel =
        domain::CanonicalChannel(name.substr(kChannelPrefixSize));
    if (!channel.has_value()) return std::nullopt;
    return absl::StrCat(kChannelPrefix, StrView(*channel));
  };
  return ParseSections(text, source, canonical,
                       "[outbox] or [channel.<email|sms|webhook|letter|phone|file>]");
}

absl::StatusOr<std::string> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::UnavailableError(absl::StrCat("cannot read ", path));
  return text.str();
}

std::string SectionChannel(const ConfigSection& section) {
  if (!absl::StartsWith(section.name, kChannelPrefix)) return "";
  return section.name.substr(kChannelPrefixSize);
}

std::string SectionType(const ConfigSection& section) {
  auto it = section.values.find("type");
  if (it == section.values.end()) return SectionChannel(section);
  // Built-in factories are named as their channels; other types belong to custom factories.
  std::optional<std::string_view> builtin = domain::CanonicalChannel(it->second);
  return builtin.has_value() ? std::string(*builtin) : it->second;
}

absl::StatusOr<DeliveryConfig> ParseDeliveryConfig(std::string_view text,
                                                   const std::string& source) {
  REBOOK_ASSIGN_OR_RETURN(std::vector<ConfigSection> sections, ParseConfigSections(text, source));
  DeliveryConfig config;
  for (const ConfigSection& s : sections) {
    if (s.name == "outbox") {
      REBOOK_RETURN_IF_ERROR(ApplyOutboxSection(s, source, config));
      continue;
    }
    const std::string channel = SectionChannel(s);
    if (!s.values.contains("type")) {
      for (const auto& [key, value] : s.values) {
        if (!IsRetryOrLimitKey(key)) {
          return LineError(source, s.line,
                           absl::StrCat("unknown key \"", key, "\" in [", s.name, "]"));
        }
      }
    }
    ChannelConfig values(channel, s.values);
    absl::StatusOr<RetryPolicy> retry = RetryPolicy::FromConfig(SectionType(s), values);
    if (!retry.ok()) return LineError(source, s.line, std::string(retry.status().message()));
    config.retry[channel] = *retry;
    absl::StatusOr<ChannelLimit> limit = ChannelLimit::FromConfig(values);
    if (!limit.ok()) return LineError(source, s.line, std::string(limit.status().message()));
    if (limit->rate_per_second > 0 || limit->office_daily_quota > 0) {
      config.limits[channel] = *limit;
    }
    if (values.Has("hold")) {
      absl::StatusOr<std::chrono::seconds> hold =
          values.GetDuration("hold", std::chrono::seconds(0));
      if (!hold.ok()) return LineError(source, s.line, std::string(hold.status().message()));
      if (*hold < std::chrono::hours(1) || *hold > std::chrono::hours(24 * 30)) {
        return LineError(source, s.line,
                         absl::StrCat("[", s.name, "] hold must be between 1h and 30d"));
      }
      config.hold[channel] = *hold;
    }
  }
  return config;
}

absl::StatusOr<DeliveryConfig> LoadDeliveryConfig(const std::string& path) {
  REBOOK_ASSIGN_OR_RETURN(std::string text, ReadConfigFile(path));
  return ParseDeliveryConfig(text, path);
}

}  // namespace rebook::notify
