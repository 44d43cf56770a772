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

// A page after key "c": the list on the first key column keeps only the ids from "c" on ("c"
// and before when descending), in the array's value; the SQL and the token digest stay as they
// were.
TEST(SqlTest, APageTokenNarrowsTheListOnTheFirstKeyColumn) {
  for (bool descending : {false, true}) {
    SCOPED_TRACE(descending);
    const PagedQuery query{.listing = "items",
                           .select = "SELECT grp, id FROM items",
                           .key = {{"grp", KeyType::kText}, {"id", KeyType::kText}},
                           .descending = descending};
    auto filter = [](const std::vector<std::string>& groups) {
      Filter where;
      where.AddIn("grp", groups);
      where.AddIn("id", {"b", "x", "c"});  // not the first key column: kept whole
      return where;
    };
    Filter first = filter({"c", "a", "d", "ca"});
    std::uint64_t digest = 0;
    ASSERT_TRUE(PlanPage(query, first, {.page_size = 1}, &digest).ok());
    const std::string token = NextPageToken(digest, {"c", "x"});
    Filter next = filter({"c", "a", "d", "ca"});
    std::uint64_t next_digest = 0;
    absl::StatusOr<std::string> sql =
        PlanPage(query, next, {.page_size = 1, .page_token = token}, &next_digest);
    ASSERT_TRUE(sql.ok()) << sql.status();
    EXPECT_EQ(next_digest, digest);
    EXPECT_EQ(*sql, descending ? "SELECT grp, id FROM items WHERE grp = ANY($1::text[]) AND id = "
                                 "ANY($2::text[]) AND (grp, id) < ($3 COLLATE \"C\", $4 COLLATE "
                                 "\"C\") ORDER BY grp DESC, id DESC LIMIT 2"
                               : "SELECT grp, id FROM items WHERE grp = ANY($1::text[]) AND id = "
                                 "ANY($2::text[]) AND (grp, id) > ($3 COLLATE \"C\", $4 COLLATE "
                                 "\"C\") ORDER BY grp, id LIMIT 2");
    Filter expected = filter(descending ? std::vector<std::string>{"c", "a"}
                                        : std::vector<std::string>{"c", "d", "ca"});
    expected.params.Add("c");
    expected.params.Add("x");
    EXPECT_EQ(next.params.Digest(0), expected.params.Digest(0));
  }
}

// A list of one id is an equality, so that an index on (column, key...) gives the key's order;
// a page token leaves it as it is.
TEST(SqlTest, AListOfOneIdIsAnEquality) {
  const PagedQuery query{
      .listing = "items", .select = "SELECT grp, id FROM items", .key = {{"id", KeyType::kText}}};
  Filter where;
  where.AddIn("grp", {"g"});
  where.AddIn("id", {"b"});
  std::uint64_t digest = 0;
  ASSERT_TRUE(PlanPage(query, where, {.page_size = 1}, &digest).ok());
  Filter next;
  next.AddIn("grp", {"g"});
  next.AddIn("id", {"b"});
  absl::StatusOr<std::string> sql =
      PlanPage(query, next, {.page_size = 1, .page_token = NextPageToken(digest, {"c"})}, &digest);
  ASSERT_TRUE(sql.ok()) << sql.status();
  EXPECT_EQ(*sql,
            "SELECT grp, id FROM items WHERE grp = $1 AND id = $2 AND (id) > ($3 COLLATE \"C\") "
            "ORDER BY id LIMIT 2");
  Filter expected;
  expected.params.Add("g");
  expected.params.Add("b");
  expected.params.Add("c");
  EXPECT_EQ(next.params.Digest(0), expected.params.Digest(0));
}

}  // namespace
}  // namespace rebook::storage::postgres_internal
