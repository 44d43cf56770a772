#include "services/web/public_page_config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rebook::web {

PageFooter PublicPageConfig::FooterFor(const std::string& office_id) const {
  PageFooter f{imprint_url, privacy_url, default_contact};
  auto it = contacts.find(office_id);
  if (it != contacts.end()) f.contact = it->second;
  return f;
}

absl::StatusOr<PublicPageConfig> ParsePublicPageConfig(std::string_view text,
                                                       const std::string& source) {
  PublicPageConfig config;
  std::set<std::string> seen;
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++number;
    const absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::size_t eq = line.find('=');
    auto error = [&](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", number, ": ", what));
    };
    if (eq == absl::string_view::npos) return error("expected `key = value`");
    const std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
    const std::string value(absl::StripAsciiWhitespace(line.substr(eq + 1)));
    if (!seen.insert(key).second) return error(absl::StrCat("`", key, "` given twice"));
    if (key == "imprint_url" || key == "privacy_url") {
      if (!absl::StartsWith(value, "https://") && !absl::StartsWith(value, "http://")) {
        return error(absl::StrCat("`", key, "` must be an absolute http(s) URL"));
      }
      (key == "imprint_url" ? config.imprint_url : config.privacy_url) = value;
    } else if (key == "contact") {
      config.default_contact = value;
    } else if (absl::StartsWith(key, "contact.") && key.size() > 8) {
      config.contacts[key.substr(8)] = value;
    } else {
      return error(absl::StrCat("unknown key `", key,
                                "` (imprint_url, privacy_url, contact, contact.<office>)"));
    }
  }
  return config;
}

absl::StatusOr<PublicPageConfig> LoadPublicPageConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParsePublicPageConfig(text.str(), path);
}

}  // namespace rebook::web
