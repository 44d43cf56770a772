#include "services/notify/phone_number/phone_number.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

TEST(PhoneNumberTest, GermanLandlinesAndMobilesAsCitizensWriteThem) {
  struct Case {
    const char* text;
    const char* e164;
    PhoneLine line;
  };
  for (const Case& c : {
           Case{"0345 1234567", "+493451234567", PhoneLine::kLandline},
           Case{"+49 (0)345 123-4567", "+493451234567", PhoneLine::kLandline},
           Case{"0049 345 1234567", "+493451234567", PhoneLine::kLandline},
           Case{"0345/1234567", "+493451234567", PhoneLine::kLandline},
           Case{"0151 23456789", "+4915123456789", PhoneLine::kMobile},
           Case{"+49 170 1234567", "+491701234567", PhoneLine::kMobile},
           Case{"+380 67 123 4567", "+380671234567", PhoneLine::kMobile},    // Kyivstar
           Case{"+380 44 123 4567", "+380441234567", PhoneLine::kLandline},  // Kyiv
           Case{"+1 202 555 0143", "+12025550143", PhoneLine::kMobileOrLandline},
           Case{"0800 1234567", "+498001234567", PhoneLine::kOther},  // toll-free
       }) {
    absl::StatusOr<PhoneNumber> n = ParsePhoneNumber(c.text, "DE");
    ASSERT_TRUE(n.ok()) << c.text << ": " << n.status();
    EXPECT_EQ(n->e164, c.e164) << c.text;
    EXPECT_EQ(n->line, c.line) << c.text << ": " << ToString(n->line);
  }
}

TEST(PhoneNumberTest, OnlyMobilesTakeAnSms) {
  EXPECT_FALSE(CanReceiveSms(*ParsePhoneNumber("0345 1234567", "DE")));
  EXPECT_TRUE(CanReceiveSms(*ParsePhoneNumber("0151 23456789", "DE")));
  EXPECT_TRUE(CanReceiveSms(*ParsePhoneNumber("+1 202 555 0143", "DE")));
  EXPECT_FALSE(CanReceiveSms(*ParsePhoneNumber("0800 1234567", "DE")));
  // The text form agrees with parsing first, invalid text included.
  for (const char* text : {"0345 1234567", "0151 23456789", "+1 202 555 0143", "0800 1234567",
                           "+49 170 1234567", "+380 67 123 4567", "", "12", "0345 CALL ME",
                           "+49 345 1234567 89012345", "0151 2345", "+49 151 23456789012"}) {
    absl::StatusOr<PhoneNumber> n = ParsePhoneNumber(text, "DE");
    EXPECT_EQ(CanReceiveSms(text, "DE"), n.ok() && CanReceiveSms(*n)) << text;
  }
}

// CanReceiveSms reads "+49 ..." text without libphonenumber's Parse; it must answer as parsing
// does for every leading three digits of the national number (where numbering plans, and a
// national prefix, would tell numbers apart), every length Parse admits and one past it, with
// and without spaces, and for the near misses that take the full parse.
TEST(PhoneNumberTest, PlusFortyNineTextAnswersAsParsingDoes) {
  const std::string tail = "72094815360271594";  // digits after the prefix
  int sms = 0;
  int checked = 0;
  for (int prefix = 0; prefix < 1000; ++prefix) {
    const std::string head = std::to_string(1000 + prefix).substr(1);  // "000" .. "999"
    for (std::size_t length = 2; length <= 18; ++length) {
      const std::string national = (head + tail).substr(0, length);
      std::vector<std::string> texts = {"+49 " + national};
      if (length <= 4 || length >= 11) {  // the other spellings where lengths decide
        texts.push_back("+49" + national);
        if (length > 4) texts.push_back("+49 " + national.substr(0, 3) + " " + national.substr(3));
      }
      if (prefix % 97 == 0) {  // near misses: the full parse answers
        texts.push_back("+49  " + national);
        texts.push_back("+49 " + national + " ");
        texts.push_back("+49-" + national);
        texts.push_back("+490" + national);
      }
      for (const std::string& text : texts) {
        absl::StatusOr<PhoneNumber> n = ParsePhoneNumber(text, "DE");
        const bool expected = n.ok() && CanReceiveSms(*n);
        ASSERT_EQ(CanReceiveSms(text, "DE"), expected) << text;
        sms += expected ? 1 : 0;
        ++checked;
      }
    }
  }
  EXPECT_GT(sms, 50);  // mobiles (15x, 16x, 17x) were among them
  EXPECT_GT(checked - sms, 1000);
}

TEST(PhoneNumberTest, TextThatIsNoNumberIsRefused) {
  for (const char* text : {"", "12", "0345 CALL ME", "+49 345 1234567 89012345", "unbekannt"}) {
    EXPECT_EQ(ParsePhoneNumber(text, "DE").status().code(), absl::StatusCode::kInvalidArgument)
        << text;
  }
  EXPECT_EQ(ParsePhoneNumberForCountryCode("0345 1234567", "49")->e164, "+493451234567");
  EXPECT_EQ(ParsePhoneNumberForCountryCode("0345 1234567", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rebook::notify
