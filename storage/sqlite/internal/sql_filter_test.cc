#include "storage/sqlite/internal/sql_filter.h"

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "gtest/gtest.h"

namespace rebook::storage::sqlite_internal {
namespace {

TEST(SqlFilterTest, WhereJoinsConditionsAndBindsInOrder) {
  SqlFilter filter;
  EXPECT_EQ(filter.Where(), "");
  filter.Add("a = ?", {std::int64_t{5}});
  filter.AddIn("b", {"x", "y"});
  filter.Add("c > ? AND c < ?", {std::string("lo"), std::string("hi")});
  EXPECT_EQ(filter.Where(),
            " WHERE a = ? AND b IN (SELECT value FROM json_each(?)) AND c > ? AND c < ?");

  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  SQLite::Statement q(db, "SELECT ?, ?, ?, ?, ?");
  EXPECT_EQ(filter.Bind(q), 5);
  q.bind(5, 42);
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt64(), 5);
  EXPECT_EQ(q.getColumn(1).getString(), R"(["x","y"])");
  EXPECT_EQ(q.getColumn(2).getString(), "lo");
  EXPECT_EQ(q.getColumn(3).getString(), "hi");
}

// NarrowIn keeps the list's ids from the page key on, with the parameters after it still in
// order, and leaves a filter without that list alone.
TEST(SqlFilterTest, NarrowInKeepsIdsFromTheKeyOn) {
  SqlFilter filter;
  filter.Add("a = ?", {std::int64_t{5}});
  filter.AddIn("b", {"w", "x", "y", "z"});
  filter.Add("c > ?", {std::string("lo")});
  filter.NarrowIn("b", "x", false);
  EXPECT_EQ(filter.Where(),
            " WHERE a = ? AND b IN (SELECT value FROM json_each(?) WHERE value >= ?) AND c > ?");
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  SQLite::Statement q(
      db,
      "SELECT ?, (SELECT group_concat(value) FROM json_each(?2) WHERE value >= ?3), "
      "?4");
  EXPECT_EQ(filter.Bind(q), 5);
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt64(), 5);
  EXPECT_EQ(q.getColumn(1).getString(), "x,y,z");
  EXPECT_EQ(q.getColumn(2).getString(), "lo");

  SqlFilter down;
  down.AddIn("b", {"w", "x", "y"});
  down.NarrowIn("b", "x", true);
  EXPECT_EQ(down.Where(), " WHERE b IN (SELECT value FROM json_each(?) WHERE value <= ?)");
  SqlFilter other;
  other.AddIn("b", {"w"});
  other.NarrowIn("c", "x", false);
  EXPECT_EQ(other.Where(), " WHERE b IN (SELECT value FROM json_each(?))");
}

TEST(SqlFilterTest, JsonArrayEscapesSoJsonEachReturnsTheExactStrings) {
  const std::vector<std::string> items = {"plain",  "quo\"te", "back\\slash", "new\nline", "tab\t",
                                          "Köln ✓", ""};
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  SQLite::Statement q(db, "SELECT value FROM json_each(?) ORDER BY key");
  q.bind(1, JsonStringArray(items));
  std::vector<std::string> back;
  while (q.executeStep()) back.push_back(q.getColumn(0).getString());
  EXPECT_EQ(back, items);
  EXPECT_EQ(JsonStringArray({}), "[]");
}

TEST(SqlFilterTest, DigestDependsOnListingConditionsAndValues) {
  SqlFilter a;
  a.Add("x = ?", {std::string("1")});
  SqlFilter b;
  b.Add("x = ?", {std::int64_t{1}});
  SqlFilter c;
  c.Add("x = ?", {std::string("1")});
  EXPECT_EQ(a.Digest("t"), c.Digest("t"));
  EXPECT_NE(a.Digest("t"), b.Digest("t"));  // text "1" is not integer 1
  EXPECT_NE(a.Digest("t"), a.Digest("u"));
  EXPECT_NE(SqlFilter().Digest("t"), a.Digest("t"));
}

}  // namespace
}  // namespace rebook::storage::sqlite_internal
