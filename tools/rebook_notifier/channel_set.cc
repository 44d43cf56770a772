#include "tools/rebook_notifier/channel_set.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/domain/model.h"

namespace rebook::notifier {

absl::StatusOr<ChannelSet> BuildChannels(const std::vector<notify::ConfigSection>& sections,
                                         const std::vector<std::string>& wanted,
                                         const notify::ChannelRegistry& registry,
                                         const Clock& clock, const std::string& source) {
  std::vector<std::string> names;
  for (const std::string& name : wanted) {
    names.emplace_back(domain::CanonicalChannel(name).value_or(name));
  }
  if (names.empty()) {
    for (const notify::ConfigSection& s : sections) {
      if (!notify::SectionChannel(s).empty()) names.push_back(notify::SectionChannel(s));
    }
  }
  if (names.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": no [channel.<name>] section"));
  }
  ChannelSet channels;
  for (const std::string& name : names) {
    auto section = std::find_if(sections.begin(), sections.end(),
                                [&](const auto& s) { return notify::SectionChannel(s) == name; });
    if (section == sections.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("channel ", name, ": no [channel.", name, "] section in ", source));
    }
    std::map<std::string, std::string> values = section->values;
    values.erase("type");
    const std::string type = notify::SectionType(*section);
    absl::StatusOr<std::unique_ptr<notify::Channel>> channel =
        registry.Create(type, notify::ChannelConfig(name, std::move(values), &clock));
    if (!channel.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", section->line, ": channel ", name,
                                                     " (", type,
                                                     "): ", channel.status().message()));
    }
    channels[name] = *std::move(channel);
  }
  return channels;
}

}  // namespace rebook::notifier
