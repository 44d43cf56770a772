#include "services/web/offer_page.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/web/public_page_config.h"

namespace rebook::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

rebooking::PublicOfferView View() {
  rebooking::PublicOfferView v;
  v.office.id = "HAL-MITTE";
  v.office.name = "Bürgerservice Halle-Mitte";
  v.office.address = "Marktplatz 1\n06108 Halle (Saale)";
  v.office.time_zone = "Europe/Berlin";
  v.service_name = "Personalausweis";
  v.offer.slot.time = {Instant(std::chrono::seconds(1769675400)),
                       Instant(std::chrono::seconds(1769676300))};
  v.offer.expire_time = Instant(std::chrono::seconds(1769800000));
  v.language = "de";
  return v;
}

TEST(PageLanguageTest, GermanUnlessTheBrowserPrefersEnglish) {
  EXPECT_EQ(PreferredPageLanguage(""), "de");
  EXPECT_EQ(PreferredPageLanguage("de-DE,de;q=0.9,en;q=0.8"), "de");
  EXPECT_EQ(PreferredPageLanguage("en-GB,en;q=0.9,de;q=0.8"), "en");
  EXPECT_EQ(PreferredPageLanguage("fr-FR,fr;q=0.9"), "de");
  EXPECT_EQ(PreferredPageLanguage("fr,en;q=0.5,de;q=0.7"), "de");
  EXPECT_EQ(PreferredPageLanguage("tr, EN;q=0.3"), "tr");
  EXPECT_EQ(PreferredPageLanguage("fa, uk;q=0.8, en;q=0.3"), "uk");
  EXPECT_EQ(PageLanguage("ar-SY"), "ar");
  EXPECT_EQ(PageLanguage("ru_RU"), "ru");
  EXPECT_EQ(PageLanguage("pl"), "en");
  EXPECT_EQ(PageLanguage(""), "de");
  EXPECT_EQ(PreferredPageLanguage("en;q=bad,de;q=0.1"), "de");
}

TEST(OfferPageTest, SaysWhyNoEarlierSlotInThePagesLanguage) {
  rebooking::PublicOfferView v = View();
  EXPECT_THAT(RenderOfferPage(v, PageFocus::kAll, "/r/tok", "de"), Not(HasSubstr("id=\"why\"")));
  v.why_not_earlier = {{"de", "Früher war kein Termin frei, weil alle Termine vergeben waren."},
                       {"en", "No earlier appointment was possible because all were taken."}};
  EXPECT_THAT(RenderOfferPage(v, PageFocus::kAll, "/r/tok", "de"),
              HasSubstr("<p class=\"note\" id=\"why\">Früher war kein Termin frei, weil alle "
                        "Termine vergeben waren.</p>"));
  EXPECT_THAT(RenderOfferPage(v, PageFocus::kAll, "/r/tok", "en"),
              HasSubstr("No earlier appointment was possible"));
}

TEST(ErrorPageTest, SaysWhatWentWrongInThePagesLanguage) {
  const std::string de =
      RenderErrorPage(absl::NotFoundError("unknown or mistyped link; please check"), "de");
  EXPECT_THAT(de, HasSubstr("Diesen Link kennen wir nicht"));
  EXPECT_THAT(de, HasSubstr("lang=\"de\""));
  EXPECT_THAT(de, Not(HasSubstr("mistyped")));  // never the server's English message
  EXPECT_THAT(RenderErrorPage(absl::FailedPreconditionError("offer expired"), "de"),
              HasSubstr("abgelaufen"));
  EXPECT_THAT(RenderErrorPage(absl::InvalidArgumentError("from1: bad time"), "de"),
              HasSubstr("unvollständig oder ungültig"));
  EXPECT_THAT(RenderErrorPage(absl::UnavailableError("busy"), "en"), HasSubstr("busy right now"));
  EXPECT_THAT(RenderErrorPage(absl::ResourceExhaustedError("Zu viele Versuche. 5 s"), "de"),
              HasSubstr("Zu viele Versuche. 5 s"));
}

// Every error, and the page around it, in each template language; Arabic right to left.
TEST(ErrorPageTest, EveryTemplateLanguageHasItsOwnWordsAndArabicReadsRightToLeft) {
  const absl::Status unknown = absl::NotFoundError("unknown or mistyped link; please check");
  const std::map<std::string, std::string> expected = {{"tr", "Bu bağlantıyı tanımıyoruz"},
                                                       {"ar", "لا نعرف هذا الرابط"},
                                                       {"ru", "Мы не знаем эту ссылку"},
                                                       {"uk", "Ми не знаємо цього посилання"}};
  for (const auto& [lang, words] : expected) {
    const std::string page = RenderErrorPage(unknown, lang);
    EXPECT_THAT(page, HasSubstr(words)) << lang;
    EXPECT_THAT(page, HasSubstr("lang=\"" + lang + "\"")) << lang;
    EXPECT_THAT(page, HasSubstr(lang == "ar" ? "dir=\"rtl\"" : "dir=\"ltr\"")) << lang;
    EXPECT_THAT(page, Not(HasSubstr("mistyped"))) << lang;
    for (const absl::Status& s :
         {absl::FailedPreconditionError("x"), absl::InvalidArgumentError("x"),
          absl::UnavailableError("x"), absl::InternalError("x")}) {
      const std::string other = RenderErrorPage(s, lang);
      EXPECT_EQ(other.find("That did not work"), std::string::npos) << lang << " " << s;
    }
  }
}

TEST(FooterTest, ImpressumPrivacyAndTheOfficesContact) {
  auto config = ParsePublicPageConfig(
      "# test\n"
      "imprint_url = https://www.halle.de/impressum\n"
      "privacy_url = https://www.halle.de/datenschutz\n"
      "contact = Stadt Halle · Tel. 0345 221-0\n"
      "contact.HAL-MITTE = Tel. 0345 221-1234 · Mo–Fr 8–18 Uhr\n",
      "page.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  const std::string page =
      RenderOfferPage(View(), PageFocus::kAll, "/r/tok", "de", config->FooterFor("HAL-MITTE"));
  EXPECT_THAT(page, HasSubstr("<a href=\"https://www.halle.de/impressum\">Impressum</a>"));
  EXPECT_THAT(page, HasSubstr("<a href=\"https://www.halle.de/datenschutz\">Datenschutz</a>"));
  EXPECT_THAT(page, HasSubstr("Kontakt: Tel. 0345 221-1234 · Mo–Fr 8–18 Uhr"));
  EXPECT_THAT(page, HasSubstr("keine Cookies"));
  EXPECT_THAT(RenderErrorPage(absl::NotFoundError("x"), "de", config->FooterFor("")),
              HasSubstr("Kontakt: Stadt Halle · Tel. 0345 221-0"));
  // Without configuration the office's own address is the contact.
  const std::string plain = RenderResultPage(View(), false, "en");
  EXPECT_THAT(plain, HasSubstr("Contact: Bürgerservice Halle-Mitte, Marktplatz 1, 06108 Halle"));
  EXPECT_THAT(plain, Not(HasSubstr("<a href")));
}

TEST(PublicPageConfigTest, RejectsWhatItDoesNotKnow) {
  EXPECT_FALSE(ParsePublicPageConfig("imprint_url = www.halle.de\n", "f").ok());
  EXPECT_FALSE(ParsePublicPageConfig("colour = red\n", "f").ok());
  EXPECT_FALSE(ParsePublicPageConfig("contact = a\ncontact = b\n", "f").ok());
  const auto bad = ParsePublicPageConfig("\n\njust words\n", "f.conf");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("f.conf:3"));
  EXPECT_EQ(LoadPublicPageConfig("/nonexistent/page.conf").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace rebook::web
