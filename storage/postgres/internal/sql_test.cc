#include "storage/postgres/internal/sql.h"

#include "gtest/gtest.h"

namespace rebook::storage::postgres_internal {
namespace {

TEST(SqlTest, ArrayLiteralsQuoteEveryItem) {
  EXPECT_EQ(TextArrayLiteral({}), "{}");
  EXPECT_EQ(TextArrayLiteral({""}), "{\"\"}");
  EXPECT_EQ(TextArrayLiteral({"a,b", "q\"\\", "NULL"}), "{\"a,b\",\"q\\\"\\\\\",\"NULL\"}");
}

TEST(SqlTest, ParamsNumberPlaceholdersInOrder) {
  Params p;
  EXPECT_EQ(p.Add("x"), "$1");
  EXPECT_EQ(p.AddInstant(FromUnixSeconds(60)), "to_timestamp($2::bigint)");
  EXPECT_EQ(p.AddInstant(std::optional<Instant>()), "$3::timestamptz");
  EXPECT_EQ(p.AddBytes(std::string("\0\xff", 2)), "decode($4, 'hex')");
  EXPECT_EQ(p.size(), 4);
}

TEST(SqlTest, BytesAndDoublesRoundTrip) {
  const std::string bytes("\x00\x01\xfe\xff", 4);
  absl::StatusOr<std::string> back = FromByteaText("\\x" + ToHex(bytes));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  EXPECT_FALSE(FromByteaText("abc").ok());
  for (double d : {0.1, 1.0 / 3.0, 1e300, -2.5e-310}) {
    absl::StatusOr<double> read = ParseDouble(DoubleText(d));
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(*read, d);
  }
}

TEST(SqlTest, ForeignPageTokensAreInvalidArgument) {
  const PagedQuery query{"offices", "SELECT id FROM offices", {{"id", KeyType::kText}}};
  Filter where;
  std::uint64_t digest = 0;
  absl::StatusOr<std::string> first = PlanPage(query, where, {.page_size = 2}, &digest);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "SELECT id FROM offices ORDER BY id LIMIT 3");
  Filter next;
  absl::StatusOr<std::string> second =
      PlanPage(query, next, {.page_size = 2, .page_token = NextPageToken(digest, {"o2"})}, &digest);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, "SELECT id FROM offices WHERE (id) > ($1 COLLATE \"C\") ORDER BY id LIMIT 3");
  Filter other;
  other.Add("id <> ''");
  EXPECT_EQ(PlanPage(query, other, {.page_token = NextPageToken(digest, {"o2"})}, &digest)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  Filter mangled;
  EXPECT_EQ(PlanPage(query, mangled, {.page_token = "!!"}, &digest).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rebook::storage::postgres_internal
