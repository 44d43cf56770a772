#include "services/common/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace rebook {
namespace {

constexpr std::size_t npos = std::string_view::npos;

TEST(Utf8Test, AcceptsWellFormedTextOfEveryLength) {
  EXPECT_EQ(FindInvalidUtf8(""), npos);
  EXPECT_EQ(FindInvalidUtf8("plain ASCII \x01\x7F"), npos);
  EXPECT_EQ(FindInvalidUtf8("Bürgerbüro"), npos);                           // two bytes
  EXPECT_EQ(FindInvalidUtf8("€ \xE0\xA0\x80 \xED\x9F\xBF"), npos);          // three, at the edges
  EXPECT_EQ(FindInvalidUtf8("😀 \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF"), npos);  // four
}

TEST(Utf8Test, FindsTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("ab\x80"), 2u);      // a lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("Gr\xFC\xDF"), 2u);  // Latin-1 "Grüß"
  EXPECT_EQ(FindInvalidUtf8("x\xC0\xAF"), 1u);   // overlong two bytes
  EXPECT_EQ(FindInvalidUtf8("\xC1\xBF"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xE0\x9F\xBF"), 0u);      // overlong three bytes
  EXPECT_EQ(FindInvalidUtf8("ok \xED\xA0\x80"), 3u);   // a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF0\x8F\xBF\xBF"), 0u);  // overlong four bytes
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("ä\xE2\x82"), 2u);         // cut off at the end
  EXPECT_EQ(FindInvalidUtf8("\xE2\x28\xA1"), 0u);      // a bad second byte
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x28"), 0u);  // a bad last byte
}

// The bad byte is found wherever it sits against the eight-byte steps over ASCII.
TEST(Utf8Test, FindsTheBadByteAtEveryOffsetInLongAsciiText) {
  for (std::size_t at = 0; at < 40; ++at) {
    std::string text(40, 'a');
    text[at] = '\xFF';
    EXPECT_EQ(FindInvalidUtf8(text), at);
    text[at] = 'a';
    text.replace(at, 1, "ä");  // a valid two-byte character there instead
    EXPECT_EQ(FindInvalidUtf8(text), npos) << at;
  }
}

}  // namespace
}  // namespace rebook
