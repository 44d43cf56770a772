#include "services/common/tokens.h"

#include <set>

#include "gtest/gtest.h"

namespace rebook {
namespace {

TEST(TokensTest, UrlSafeAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string t = NewResponseToken();
    ASSERT_EQ(t.size(), 43u);
    for (char c : t) {
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << t;
    }
    EXPECT_TRUE(seen.insert(t).second);
  }
}

TEST(TokensTest, ComparesWholeTokens) {
  std::string t = NewResponseToken();
  EXPECT_TRUE(TokensEqual(t, t));
  EXPECT_FALSE(TokensEqual(t, t.substr(1)));
  std::string other = t;
  other.back() = other.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(TokensEqual(t, other));
}

// The expected value is Python's hmac.new(secret, b"rebook calendar feed\nHAL", sha256),
// base64url without padding.
TEST(TokensTest, CalendarFeedTokenIsHmacOfTheOffice) {
  const std::string secret = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(CalendarFeedToken(secret, "HAL"), "rDnwgTQGD3iyaXQ2bzEsxdFR90tLm45vfwU-UTUXME0");
  EXPECT_NE(CalendarFeedToken(secret, "LEJ"), CalendarFeedToken(secret, "HAL"));
  EXPECT_NE(CalendarFeedToken(secret + "x", "HAL"), CalendarFeedToken(secret, "HAL"));
}

}  // namespace
}  // namespace rebook
