#include "services/sync/sink_registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rebook::sync {

absl::Status SinkRegistry::Register(std::unique_ptr<SinkFactory> factory) {
  if (factory == nullptr || factory->name().empty()) {
    return absl::InvalidArgumentError("a sink factory needs a name");
  }
  std::string name(factory->name());
  if (factories_.contains(name)) {
    return absl::AlreadyExistsError(absl::StrCat("sink type \"", name, "\" is registered twice"));
  }
  factories_.emplace(std::move(name), std::move(factory));
  return absl::OkStatus();
}

const SinkFactory* SinkRegistry::Find(std::string_view name) const {
  auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : it->second.get();
}

absl::StatusOr<std::unique_ptr<ChangeSink>> SinkRegistry::Create(std::string_view type,
                                                                 const SinkConfig& config) const {
  const SinkFactory* factory = Find(type);
  if (factory == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown sink type \"", std::string(type),
                                            "\"; known: ", absl::StrJoin(Names(), ", ")));
  }
  return factory->Create(config);
}

std::vector<std::string> SinkRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, unused] : factories_) names.push_back(name);
  return names;
}

}  // namespace rebook::sync
