#include "tools/rebookctl/completion.h"

#include <algorithm>

namespace rebook::ctl {
namespace {

// The named options of `app` (`--long` and `-s`), with whether each takes a value.
void AddOptions(const CLI::App& app, std::vector<std::pair<std::string, bool>>& out) {
  for (const CLI::Option* opt : app.get_options({})) {
    if (!opt->nonpositional()) continue;
    const bool takes_value = opt->get_expected_min() > 0;
    for (const std::string& name : opt->get_lnames()) out.emplace_back("--" + name, takes_value);
    for (const std::string& name : opt->get_snames()) out.emplace_back("-" + name, takes_value);
  }
}

CLI::App* FindSubcommand(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->check_name(name) && !sub->get_group().empty()) return sub;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> Complete(CLI::App& app, const std::vector<std::string>& words) {
  std::vector<std::pair<std::string, bool>> global;
  AddOptions(app, global);
  CLI::App* node = &app;
  const std::size_t typed = words.empty() ? 0 : words.size() - 1;
  for (std::size_t i = 0; i < typed; ++i) {
    const std::string& word = words[i];
    if (word.rfind("-", 0) == 0) {
      if (word.find('=') != std::string::npos) continue;
      std::vector<std::pair<std::string, bool>> options = global;
      if (node != &app) AddOptions(*node, options);
      auto it = std::find_if(options.begin(), options.end(),
                             [&](const auto& o) { return o.first == word; });
      if (it != options.end() && it->second) ++i;  // skip the option's value
      continue;
    }
    if (CLI::App* sub = FindSubcommand(*node, word)) node = sub;
  }
  const std::string prefix = words.empty() ? "" : words.back();
  std::vector<std::string> out;
  if (prefix.rfind("-", 0) != 0) {
    for (CLI::App* sub : node->get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_group().empty()) continue;
      if (sub->get_name().rfind(prefix, 0) == 0) out.push_back(sub->get_name());
    }
  }
  if (prefix.empty() || prefix.rfind("-", 0) == 0) {
    std::vector<std::pair<std::string, bool>> options = global;
    if (node != &app) AddOptions(*node, options);
    for (const auto& [name, takes_value] : options) {
      if (name.rfind(prefix, 0) == 0 && name.rfind("--", 0) == 0) out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace rebook::ctl
