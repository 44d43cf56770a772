#include "services/sync/sink_config_file.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/notify/channel_config_file.h"

namespace rebook::sync {
namespace {

constexpr std::string_view kSinkPrefix = "sink.";

bool IsSinkName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

std::optional<std::string> CanonicalSection(std::string_view header) {
  if (header.substr(0, kSinkPrefix.size()) != kSinkPrefix) return std::nullopt;
  if (!IsSinkName(header.substr(kSinkPrefix.size()))) return std::nullopt;
  return std::string(header);
}

}  // namespace

absl::Status FanOutSink::Write(absl::Span<const domain::ChangeEvent> batch) {
  for (const std::unique_ptr<ChangeSink>& sink : sinks_) {
    if (absl::Status s = sink->Write(batch); !s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat("sink ", std::string(sink->name()), ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> FanOutSink::names() const {
  std::vector<std::string> names;
  for (const auto& sink : sinks_) names.emplace_back(sink->name());
  return names;
}

absl::StatusOr<std::unique_ptr<FanOutSink>> BuildSinks(std::string_view text,
                                                       const std::string& source,
                                                       const SinkRegistry& registry,
                                                       const Clock& clock) {
  REBOOK_ASSIGN_OR_RETURN(std::vector<notify::ConfigSection> sections,
                          notify::ParseSections(text, source, CanonicalSection,
                                                "[sink.<name>] (name: letters, digits, '-', '_')"));
  if (sections.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": no [sink.<name>] section"));
  }
  std::vector<std::unique_ptr<ChangeSink>> sinks;
  for (const notify::ConfigSection& section : sections) {
    const std::string name = section.name.substr(kSinkPrefix.size());
    std::map<std::string, std::string> values = section.values;
    std::string type = name;
    if (auto it = values.find("type"); it != values.end()) {
      type = it->second;
      values.erase(it);
    }
    absl::StatusOr<std::unique_ptr<ChangeSink>> sink =
        registry.Create(type, SinkConfig(name, std::move(values), &clock));
    if (!sink.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", section.line, ": sink ", name,
                                                     " (", type, "): ", sink.status().message()));
    }
    sinks.push_back(*std::move(sink));
  }
  return std::make_unique<FanOutSink>(std::move(sinks));
}

absl::StatusOr<std::unique_ptr<FanOutSink>> LoadSinks(const std::string& path,
                                                      const SinkRegistry& registry,
                                                      const Clock& clock) {
  REBOOK_ASSIGN_OR_RETURN(std::string text, notify::ReadConfigFile(path));
  return BuildSinks(text, path, registry, clock);
}

}  // namespace rebook::sync
