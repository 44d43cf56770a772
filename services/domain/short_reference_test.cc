#include "services/domain/short_reference.h"

#include <cctype>
#include <set>

#include "gtest/gtest.h"

namespace rebook::domain {
namespace {

TEST(ShortReferenceTest, TenCharactersOfAnUnambiguousAlphabet) {
  const std::string ref = ShortReference("halle-2026-01-27", "HAL-100234");
  ASSERT_EQ(ref.size(), 10u);
  EXPECT_EQ(ref[4], '-');
  for (char c : ref) {
    EXPECT_EQ(std::string("ILOU").find(c), std::string::npos) << ref;
  }
  EXPECT_EQ(ref, ShortReference("halle-2026-01-27", "HAL-100234"));  // stable
  EXPECT_NE(ref, ShortReference("halle-2026-01-27", "HAL-100235"));
  EXPECT_NE(ref, ShortReference("other", "HAL-100234"));
}

TEST(ShortReferenceTest, ReadBackAsTypedOrHeard) {
  const std::string ref = ShortReference("o", "a-1");
  EXPECT_EQ(NormalizeShortReference(ref), ref);
  std::string typed;
  for (char c : ref) {
    if (c != '-') typed += static_cast<char>(std::tolower(c)), typed += ' ';
  }
  EXPECT_EQ(NormalizeShortReference(typed), ref);
  EXPECT_EQ(NormalizeShortReference("0000-00000"), "0000-00000");
  EXPECT_EQ(NormalizeShortReference("OOOO-OOOOO"), "0000-00000");
  EXPECT_FALSE(NormalizeShortReference("").has_value());
  EXPECT_FALSE(NormalizeShortReference("K7QM-4T2X").has_value());    // too short
  EXPECT_FALSE(NormalizeShortReference("K7QM-4T2XCC").has_value());  // too long
  EXPECT_FALSE(NormalizeShortReference("K7QM-4T2X!").has_value());   // not a symbol
}

TEST(ShortReferenceTest, CheckCharacterCatchesTyposAndSwaps) {
  const std::string ref = ShortReference("halle-2026-01-27", "HAL-100234");
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (std::size_t i = 0; i < ref.size(); ++i) {
    if (ref[i] == '-') continue;
    for (char c : alphabet) {
      if (c == ref[i]) continue;
      std::string typo = ref;
      typo[i] = c;
      EXPECT_FALSE(NormalizeShortReference(typo).has_value()) << typo;
    }
  }
  std::string plain = ref.substr(0, 4) + ref.substr(5);
  for (std::size_t i = 0; i + 1 < plain.size(); ++i) {
    if (plain[i] == plain[i + 1]) continue;
    std::string swapped = plain;
    std::swap(swapped[i], swapped[i + 1]);
    EXPECT_FALSE(NormalizeShortReference(swapped).has_value()) << swapped;
  }
}

TEST(ShortReferenceTest, FewCollisionsInACityOutage) {
  std::set<std::string> seen;
  for (int i = 0; i < 20000; ++i) seen.insert(ShortReference("city", "APT-" + std::to_string(i)));
  EXPECT_GE(seen.size(), 19999u);  // 40 bits: a collision among 20,000 has odds of ~2e-4
}

}  // namespace
}  // namespace rebook::domain
