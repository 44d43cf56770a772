// The HTML pages of the citizens' response endpoint, in German or English.
//
// Pure rendering (kainjow mustache, HTML-escaped by the template engine): no I/O, no clock.
// A page never contains contact data or staff data (clerks, costs), only what the citizen's
// own message already told them.
#ifndef REBOOK_SERVICES_WEB_OFFER_PAGE_H_
#define REBOOK_SERVICES_WEB_OFFER_PAGE_H_

#include <string>

#include "absl/status/status.h"
#include "services/rebooking/offer_public.h"

namespace rebook::web {

// Which choice a GET link pointed at: the page asks to confirm it with a button (POST), because
// link scanners and previews fetch every link of a message.
enum class PageFocus { kAll, kAccept, kDecline, kOtherTime };

// "de" for German tags, "en" otherwise.
std::string PageLanguage(const std::string& language_tag);

// The offer with its choices. `base_path` is "/r/<token>"; forms post to base_path + "/accept",
// "/decline" and "/other".
std::string RenderOfferPage(const rebooking::PublicOfferView& view, PageFocus focus,
                            const std::string& base_path, const std::string& language);

// What happened after a POST: the new state, or `repeated` when it was answered before.
std::string RenderResultPage(const rebooking::PublicOfferView& view, bool repeated,
                             const std::string& language);

// An answer that changed nothing: unknown link, expired, withdrawn, taken alternative, ...
std::string RenderErrorPage(const absl::Status& status, const std::string& language);

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_OFFER_PAGE_H_
