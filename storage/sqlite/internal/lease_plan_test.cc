// The lease queries read the outbox through its indexes in order: their cost must not grow
// with the number of due messages (see DueOfStateAndChannelSql in message_rows.h).
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "gtest/gtest.h"
#include "storage/sqlite/internal/message_rows.h"
#include "storage/sqlite/migrations.h"

namespace rebook::storage::sqlite_internal {
namespace {

// The detail lines of EXPLAIN QUERY PLAN for `sql`, with its four parameters bound.
std::vector<std::string> Plan(SQLite::Database& db, const std::string& sql, const char* channels) {
  SQLite::Statement q(db, "EXPLAIN QUERY PLAN " + sql);
  q.bind(1, "PENDING");
  q.bind(2, channels);
  q.bind(3, static_cast<std::int64_t>(1769511000));
  q.bind(4, 100);
  std::vector<std::string> details;
  while (q.executeStep()) details.push_back(q.getColumn(3).getString());
  return details;
}

bool LeasePlanMentions(const std::vector<std::string>& plan, const std::string& what) {
  for (const std::string& line : plan) {
    if (line.find(what) != std::string::npos) return true;
  }
  return false;
}

class LeasePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sqlite::ApplyMigrations(db_, sqlite::SchemaMigrations()).ok());
  }
  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE};
};

TEST_F(LeasePlanTest, DueMessagesComeFromTheDueIndexInOrderWithoutASort) {
  const std::vector<std::string> plan = Plan(db_, DueOfStateAndChannelSql(), "email");
  EXPECT_TRUE(LeasePlanMentions(plan, "USING COVERING INDEX outbox_messages_due") ||
              LeasePlanMentions(plan, "USING INDEX outbox_messages_due"))
      << ::testing::PrintToString(plan);
  EXPECT_FALSE(LeasePlanMentions(plan, "TEMP B-TREE")) << ::testing::PrintToString(plan);
  EXPECT_FALSE(LeasePlanMentions(plan, "MULTI-INDEX OR")) << ::testing::PrintToString(plan);
  EXPECT_FALSE(LeasePlanMentions(plan, "SCAN outbox_messages")) << ::testing::PrintToString(plan);
}

// Only messages in flight are LEASED: they are found by (state, channel) in the due index, the
// one index this query needs (migration 10 dropped the one by lease expiry).
TEST_F(LeasePlanTest, ExpiredLeasesAreSearchedByStateNotScanned) {
  const std::vector<std::string> plan = Plan(db_, ExpiredLeasesSql(), R"(["email","sms"])");
  EXPECT_TRUE(LeasePlanMentions(plan, "SEARCH outbox_messages USING INDEX outbox_messages_due"))
      << ::testing::PrintToString(plan);
  EXPECT_FALSE(LeasePlanMentions(plan, "SCAN outbox_messages")) << ::testing::PrintToString(plan);
}

}  // namespace
}  // namespace rebook::storage::sqlite_internal
