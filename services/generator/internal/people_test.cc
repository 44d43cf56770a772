#include "services/generator/internal/people.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::generator::internal {
namespace {

using ::testing::MatchesRegex;

bool IsExampleDomain(const std::string& email) {
  const std::string domain = email.substr(email.find('@') + 1);
  return domain == "example.com" || domain == "example.net" || domain == "example.org" ||
         domain.ends_with(".example");
}

TEST(AsciiFoldTest, TransliteratesGermanAndOtherLetters) {
  EXPECT_EQ(AsciiFold("Jörg Müller-Weiß"), "joerg-mueller-weiss");
  EXPECT_EQ(AsciiFold("Yıldırım Şahin"), "yildirim-sahin");
  EXPECT_EQ(AsciiFold("Łukasz Wiśniewski"), "lukasz-wisniewski");
  EXPECT_EQ(AsciiFold("José Ramírez"), "jose-ramirez");
  EXPECT_EQ(AsciiFold("O'Brien"), "obrien");
}

TEST(ContactFactoryTest, CitizensHavePlausibleFakeContactData) {
  const ContactFactory factory(&HalleLocality());
  Rng rng(1);
  int with_email = 0, german = 0;
  for (int i = 0; i < 2000; ++i) {
    const domain::Contact c = factory.Citizen(rng, kResidentsMix, ContactContext::kResidents);
    ASSERT_FALSE(c.name.empty());
    if (!c.phone.empty()) {
      EXPECT_THAT(c.phone, MatchesRegex(R"(\+49 (345|1[5-7][0-9]) [1-9][0-9]{5,8})")) << c.phone;
    }
    if (!c.email.empty()) {
      ++with_email;
      EXPECT_THAT(c.email, MatchesRegex(R"([a-z0-9.-]+@[a-z.]+)")) << c.email;
      EXPECT_TRUE(IsExampleDomain(c.email)) << c.email;
    }
    if (!c.postal_address.empty()) {
      EXPECT_THAT(c.postal_address,
                  MatchesRegex(R"(.+ [0-9]+[a-c]?, 061[0-3][0-9] Halle \(Saale\))"))
          << c.postal_address;
      const int postcode = std::stoi(c.postal_address.substr(c.postal_address.find(", ") + 2, 5));
      EXPECT_GE(postcode, 6108);
      EXPECT_LE(postcode, 6132);
    }
    EXPECT_THAT(c.channel, MatchesRegex("(email|sms|letter|phone|)"));
    if (c.channel == "email") {
      EXPECT_FALSE(c.email.empty());
    }
    if (c.channel == "letter") {
      EXPECT_FALSE(c.postal_address.empty());
    }
    german += c.language == "de";
  }
  EXPECT_GT(with_email, 1000);
  EXPECT_GT(german, 1500);  // a German city
}

TEST(ContactFactoryTest, ImmigrationClientsMostlyPreferOtherLanguages) {
  const ContactFactory factory(&HalleLocality());
  Rng rng(2);
  int german = 0;
  for (int i = 0; i < 1000; ++i) {
    german += factory.Citizen(rng, kImmigrationMix, ContactContext::kImmigration).language == "de";
  }
  EXPECT_LT(german, 500);
}

TEST(ContactFactoryTest, DealersAreCompaniesWithAnOfficeLine) {
  const ContactFactory factory(&HalleLocality());
  Rng rng(3);
  for (int i = 0; i < 50; ++i) {
    const domain::Contact c = factory.Dealer(rng);
    EXPECT_THAT(c.name, MatchesRegex(".*(GmbH|KG).*")) << c.name;
    EXPECT_THAT(c.email, MatchesRegex(R"(zulassung@[a-z-]+\.example)")) << c.email;
    EXPECT_THAT(c.phone, MatchesRegex(R"(\+49 345 [0-9]+)"));
  }
}

TEST(LocalityTest, GenericLocalityUsesItsPostcodes) {
  const Locality l = GenericLocality("Olpe", "2761", 57462, 1);
  ASSERT_FALSE(l.streets.empty());
  for (const StreetArea& s : l.streets) EXPECT_EQ(s.postcode, "57462");
  const Locality dresden = GenericLocality("Dresden", "351", 1067, 2);
  EXPECT_EQ(dresden.streets.front().postcode, "01067");
}

}  // namespace
}  // namespace rebook::generator::internal
