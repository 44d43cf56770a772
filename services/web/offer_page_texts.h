// The texts of the citizens' page (offer_page.h) in its languages: de, en, tr, ar, ru, uk, the
// languages of the message templates. Every table has the same keys. Internal to web_pages.
#ifndef REBOOK_SERVICES_WEB_OFFER_PAGE_TEXTS_H_
#define REBOOK_SERVICES_WEB_OFFER_PAGE_TEXTS_H_

#include <map>
#include <string>

namespace rebook::web::internal {

inline constexpr const char* kPageLanguages[] = {"de", "en", "tr", "ar", "ru", "uk"};

using PageTextTable = std::map<std::string, std::string>;

// Whether `lang` (a primary subtag, lower case) is one of kPageLanguages.
bool IsPageLanguage(const std::string& lang);
// The texts of `lang`; English for a language the page does not speak.
const PageTextTable& PageTexts(const std::string& lang);

}  // namespace rebook::web::internal

#endif  // REBOOK_SERVICES_WEB_OFFER_PAGE_TEXTS_H_
