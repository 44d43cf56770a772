// The HTML pages of the citizens' response endpoint, in German or English: German unless the
// citizen's language (or, for unknown links, the browser's Accept-Language) asks for English.
//
// Pure rendering (kainjow mustache, HTML-escaped by the template engine): no I/O, no clock.
// A page never contains citizens' contact data or staff data (clerks, costs), only what the
// citizen's own message already told them. Every page ends with the office's contact, a short
// privacy notice and links to the operator's Impressum and privacy notice (PageFooter).
// Error pages say in the page's language what went wrong; they never show the server's
// (English) status message.
#ifndef REBOOK_SERVICES_WEB_OFFER_PAGE_H_
#define REBOOK_SERVICES_WEB_OFFER_PAGE_H_

#include <string>

#include "absl/status/status.h"
#include "services/rebooking/offer_public.h"
#include "services/web/public_page_config.h"

namespace rebook::web {

// Which choice a GET link pointed at: the page asks to confirm it with a button (POST), because
// link scanners and previews fetch every link of a message.
enum class PageFocus { kAll, kAccept, kDecline, kOtherTime };

// The page's language for a citizen's tag: its primary subtag if the page speaks it (de, en,
// tr, ar, ru, uk), "de" for an empty tag, "en" otherwise.
std::string PageLanguage(const std::string& language_tag);

// The page language for an HTTP Accept-Language header ("en-GB,en;q=0.9,de;q=0.8"): the
// most preferred of the page's languages; German when none is named or the header is empty.
std::string PreferredPageLanguage(const std::string& accept_language);

// What went wrong, for the citizen, by status code (unknown link, answered or expired offer,
// bad form input, too many attempts, busy).
std::string CitizenErrorText(const absl::Status& status, const std::string& language);

// The offer with its choices. `base_path` is "/r/<token>"; forms post to base_path + "/accept",
// "/decline" and "/other".
std::string RenderOfferPage(const rebooking::PublicOfferView& view, PageFocus focus,
                            const std::string& base_path, const std::string& language,
                            const PageFooter& footer = {});

// What happened after a POST: the new state, or `repeated` when it was answered before.
std::string RenderResultPage(const rebooking::PublicOfferView& view, bool repeated,
                             const std::string& language, const PageFooter& footer = {});

// An answer that changed nothing: unknown link, expired, withdrawn, taken alternative, ...
// The text is CitizenErrorText's; RESOURCE_EXHAUSTED keeps its message (the server words it
// in the page's language, with the seconds to wait).
std::string RenderErrorPage(const absl::Status& status, const std::string& language,
                            const PageFooter& footer = {});

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_OFFER_PAGE_H_
