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

}  // namespace
}  // namespace rebook
