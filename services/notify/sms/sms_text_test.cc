#include "services/notify/sms/sms_text.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

TEST(SmsTextTest, MeasuresGsm7AndUcs2Segments) {
  EXPECT_EQ(MeasureSms("").segments, 0);
  SmsLength hallo = MeasureSms("Grüße aus Halle, 09:30 Uhr!");
  EXPECT_EQ(hallo.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(hallo.units, 27);
  EXPECT_EQ(MeasureSms(std::string(160, 'a')).segments, 1);
  EXPECT_EQ(MeasureSms(std::string(161, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms(std::string(306, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms(std::string(307, 'a')).segments, 3);
  EXPECT_EQ(MeasureSms("5 €").units, 4);  // the euro sign is an extension character
  SmsLength cyrillic = MeasureSms("Привіт");
  EXPECT_EQ(cyrillic.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(cyrillic.units, 6);
  std::string seventy;
  for (int i = 0; i < 70; ++i) seventy += "ж";
  EXPECT_EQ(MeasureSms(seventy).segments, 1);
  EXPECT_EQ(MeasureSms(seventy + "ж").segments, 2);
  EXPECT_EQ(MeasureSms("`").encoding, SmsEncoding::kUcs2);  // backtick is not GSM-7
}

TEST(SmsTextTest, NormalizesTypographyToGsm7) {
  const std::string text = "„Termin“ – morgen… ‚ok‘";
  EXPECT_EQ(MeasureSms(text).encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(NormalizeForGsm(text), "\"Termin\" - morgen... 'ok'");
  EXPECT_EQ(MeasureSms(NormalizeForGsm(text)).encoding, SmsEncoding::kGsm7);
}

TEST(SmsTextTest, ShortensTextButKeepsLinksIntact) {
  const std::string link = "https://termine.example.de/r/tok_5f3a9c1e2b7d4a60";
  std::string text = "Bürgerservice Halle-Mitte: Ihr Termin fiel wegen einer Störung aus. ";
  for (int i = 0; i < 10; ++i) text += "Weitere Hinweise zu Ihrem Anliegen und den Unterlagen. ";
  text += "Bitte antworten Sie: " + link;
  ASSERT_GT(MeasureSms(text).segments, 1);
  const std::string one = FitSms(text, 1);
  EXPECT_EQ(MeasureSms(one).segments, 1) << one;
  EXPECT_THAT(one, EndsWith(link));
  EXPECT_THAT(one, HasSubstr("..."));
  EXPECT_THAT(one, ::testing::StartsWith("Bürgerservice Halle-Mitte: Ihr Termin"));
  const std::string two = FitSms(text, 2);
  EXPECT_EQ(MeasureSms(two).segments, 2);
  EXPECT_GT(two.size(), one.size());
  EXPECT_EQ(FitSms("kurz", 1), "kurz");
}

TEST(SmsTextTest, LinksInTheMiddleSurviveAndHugeLinksAreCut) {
  const std::string text = "Annehmen: https://x.de/a Ablehnen: https://x.de/d " +
                           std::string(400, 'z') + " Ende https://x.de/r";
  const std::string fitted = FitSms(text, 1);
  EXPECT_EQ(MeasureSms(fitted).segments, 1);
  EXPECT_THAT(fitted, HasSubstr("https://x.de/a"));
  EXPECT_THAT(fitted, HasSubstr("https://x.de/d"));
  EXPECT_THAT(fitted, EndsWith("https://x.de/r"));
  EXPECT_EQ(MeasureSms(FitSms("https://x.de/" + std::string(500, 'q'), 1)).segments, 1);
}

}  // namespace
}  // namespace rebook::notify
