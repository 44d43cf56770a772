#include "services/notify/channel_registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rebook::notify {

absl::Status ChannelRegistry::Register(std::unique_ptr<ChannelFactory> factory) {
  if (factory == nullptr || factory->name().empty()) {
    return absl::InvalidArgumentError("channel factory without a name");
  }
  std::string name(factory->name());
  if (factories_.contains(name)) {
    return absl::AlreadyExistsError(absl::StrCat("channel \"", name, "\" is already registered"));
  }
  factories_.emplace(std::move(name), std::move(factory));
  return absl::OkStatus();
}

const ChannelFactory* ChannelRegistry::Find(std::string_view name) const {
  auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : it->second.get();
}

absl::StatusOr<std::unique_ptr<Channel>> ChannelRegistry::Create(
    std::string_view type, const ChannelConfig& config) const {
  const ChannelFactory* factory = Find(type);
  if (factory == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown channel type \"", std::string(type),
                                            "\"; known: ", absl::StrJoin(Names(), ", ")));
  }
  return factory->Create(config);
}

std::vector<std::string> ChannelRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

}  // namespace rebook::notify
