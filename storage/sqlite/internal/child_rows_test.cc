#include "storage/sqlite/internal/child_rows.h"

#include <chrono>
#include <memory>

#include "gtest/gtest.h"

namespace rebook::storage::sqlite_internal {
namespace {

using Items = std::vector<std::string>;

constexpr ChildList kTags = {"parent_tags", "parent_id", "tag"};

class ChildRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Connection>> opened = Connection::Open(
        ":memory:", Connection::Role::kWriter, true, std::chrono::steady_clock::now());
    ASSERT_TRUE(opened.ok()) << opened.status();
    connection_ = *std::move(opened);
    connection_->db().exec(
        "CREATE TABLE parent_tags (parent_id TEXT NOT NULL, position INTEGER NOT NULL, "
        "tag TEXT NOT NULL, PRIMARY KEY (parent_id, position))");
  }

  Items Read(const std::string& parent) { return ReadChildList(*connection_, kTags, parent); }
  void Replace(const std::string& parent, const Items& items) {
    ReplaceChildList(*connection_, kTags, parent, items);
  }
  int Rows() { return connection_->db().execAndGet("SELECT COUNT(*) FROM parent_tags").getInt(); }

  std::unique_ptr<Connection> connection_;
};

TEST_F(ChildRowsTest, ReadsBackTheListAsWrittenDuplicatesAndEmptyItemsIncluded) {
  const Items tags = {"zeta", "alpha", "", "alpha", "Köln"};  // not in sorted order
  Replace("p1", tags);
  EXPECT_EQ(Read("p1"), tags);
  EXPECT_EQ(Read("p2"), Items{});
}

TEST_F(ChildRowsTest, ReplacingDropsTheOldItemsOfThatParentOnly) {
  Replace("p1", {"a", "b", "c"});
  Replace("p2", {"x"});
  Replace("p1", {"c", "a"});
  EXPECT_EQ(Read("p1"), (Items{"c", "a"}));
  EXPECT_EQ(Read("p2"), Items{"x"});
  EXPECT_EQ(Rows(), 3);
  Replace("p1", {});
  EXPECT_EQ(Read("p1"), Items{});
  EXPECT_EQ(Read("p2"), Items{"x"});
  EXPECT_EQ(Rows(), 1);
}

TEST_F(ChildRowsTest, ErrorsThrowLikeTheConnection) {
  const ChildList missing = {"no_such_table", "parent_id", "tag"};
  EXPECT_THROW(ReadChildList(*connection_, missing, "p1"), SQLite::Exception);
  EXPECT_THROW(ReplaceChildList(*connection_, missing, "p1", {"a"}), SQLite::Exception);
}

}  // namespace
}  // namespace rebook::storage::sqlite_internal
