// PublicPageConfig: what the citizens' pages show at their foot, from rebookd's
// --public_page_config file: the operator's Impressum and privacy notice (German law requires
// both on every public page) and each office's contact.
//
//   # one `key = value` per line; '#' starts a comment line
//   imprint_url = https://www.halle.de/impressum
//   privacy_url = https://www.halle.de/datenschutz
//   contact = Stadt Halle (Saale), Bürgerservice · Tel. 0345 221-0      # every other office
//   contact.HAL-MITTE = Marktplatz 1 · Tel. 0345 221-1234 · Mo–Fr 8–18 Uhr
//
// (Hand-written: one `key = value` per line is all it needs; the channel-config parser of
// services/notify knows only its own sections.)
#ifndef REBOOK_SERVICES_WEB_PUBLIC_PAGE_CONFIG_H_
#define REBOOK_SERVICES_WEB_PUBLIC_PAGE_CONFIG_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace rebook::web {

// The foot of one page.
struct PageFooter {
  std::string imprint_url;  // empty: no link
  std::string privacy_url;
  std::string contact;  // the office's contact line; empty: the office's address only
};

struct PublicPageConfig {
  std::string imprint_url, privacy_url;
  std::string default_contact;
  std::map<std::string, std::string> contacts;  // office id -> contact line

  // The footer for a page about an offer of `office_id` ("" for pages without an offer).
  PageFooter FooterFor(const std::string& office_id) const;
};

// INVALID_ARGUMENT naming `source` and the line for malformed lines, unknown keys, repeated
// keys and URLs that are not absolute http(s).
absl::StatusOr<PublicPageConfig> ParsePublicPageConfig(std::string_view text,
                                                       const std::string& source);
// Reads and parses a file; NOT_FOUND naming the path.
absl::StatusOr<PublicPageConfig> LoadPublicPageConfig(const std::string& path);

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_PUBLIC_PAGE_CONFIG_H_
