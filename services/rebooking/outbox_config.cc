// Hand-written because the format is a dozen lines of rules and Debian's dependency list
// (tools/install-deps.sh) has no INI library; the rules are documented in the header.
#include "services/rebooking/outbox_config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/notify/channel_config.h"

namespace rebook::rebooking {
namespace {

constexpr char kChannelPrefix[] = "channel.";

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
         key == "office_daily_quota" || key == "type";
}

absl::Status ApplyOutboxSection(const ConfigSection& s, const std::string& source,
                                OutboxPolicy& policy) {
  for (const auto& [key, value] : s.values) {
    if (key == "chain") {
      absl::StatusOr<notify::ChannelChain> chain = notify::ChannelChain::Parse(value);
      if (!chain.ok()) return LineError(source, s.line, std::string(chain.status().message()));
      policy.chain = *std::move(chain);
    } else if (key == "unreachable_channel") {
      if (!domain::IsKnownChannel(value)) {
        return LineError(source, s.line, absl::StrCat("unknown channel \"", value, "\""));
      }
      policy.unreachable_channel = value;
    } else if (key == "jitter_seed") {
      if (!absl::SimpleAtoi(value, &policy.jitter_seed)) {
        return LineError(source, s.line, "jitter_seed must be a non-negative integer");
      }
    } else {
      return LineError(source, s.line, absl::StrCat("unknown key \"", key, "\" in [outbox]"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ConfigSection>> ParseConfigSections(std::string_view text,
                                                               const std::string& source) {
  std::vector<ConfigSection> sections;
  std::set<std::string> names;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_no;
    const std::string line = Strip(WithoutComment(raw));
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') return LineError(source, line_no, "section header needs ']'");
      std::string name = Strip(absl::string_view(line).substr(1, line.size() - 2));
      const bool channel = absl::StartsWith(name, kChannelPrefix);
      if (name != "outbox" &&
          !(channel && domain::IsKnownChannel(name.substr(sizeof(kChannelPrefix) - 1)))) {
        return LineError(source, line_no,
                         absl::StrCat("unknown section [", name,
                                      "]; expected [outbox] or [channel.<email|sms|webhook|"
                                      "letter|phone_list|file>]"));
      }
      if (!names.insert(name).second) {
        return LineError(source, line_no, absl::StrCat("section [", name, "] appears twice"));
      }
      sections.push_back({.name = std::move(name), .line = line_no, .values = {}});
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
  return section.name.substr(sizeof(kChannelPrefix) - 1);
}

std::string SectionType(const ConfigSection& section) {
  auto it = section.values.find("type");
  if (it != section.values.end()) return it->second;
  return ChainChannelName(SectionChannel(section));
}

absl::StatusOr<OutboxConfig> ParseOutboxConfig(std::string_view text, const std::string& source) {
  REBOOK_ASSIGN_OR_RETURN(std::vector<ConfigSection> sections, ParseConfigSections(text, source));
  OutboxConfig config;
  for (const ConfigSection& s : sections) {
    if (s.name == "outbox") {
      REBOOK_RETURN_IF_ERROR(ApplyOutboxSection(s, source, config.policy));
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
    notify::ChannelConfig values(channel, s.values);
    absl::StatusOr<notify::RetryPolicy> retry =
        notify::RetryPolicy::FromConfig(SectionType(s), values);
    if (!retry.ok()) return LineError(source, s.line, std::string(retry.status().message()));
    config.policy.retry[channel] = *retry;
    absl::StatusOr<notify::ChannelLimit> limit = notify::ChannelLimit::FromConfig(values);
    if (!limit.ok()) return LineError(source, s.line, std::string(limit.status().message()));
    if (limit->rate_per_second > 0 || limit->office_daily_quota > 0) {
      config.limits[channel] = *limit;
    }
  }
  return config;
}

absl::StatusOr<OutboxConfig> LoadOutboxConfig(const std::string& path) {
  REBOOK_ASSIGN_OR_RETURN(std::string text, ReadConfigFile(path));
  return ParseOutboxConfig(text, path);
}

}  // namespace rebook::rebooking
