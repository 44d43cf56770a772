#include "storage/sqlite/migrations.h"

#include <array>

#include "SQLiteCpp/Database.h"
#include "gtest/gtest.h"

namespace rebook::storage::sqlite {
namespace {

constexpr std::array<Migration, 1> kV1 = {{{1, "t1", "CREATE TABLE t1 (x INTEGER)"}}};
constexpr std::array<Migration, 2> kV2 = {{
    {1, "t1", "CREATE TABLE t1 (x INTEGER)"},
    {2, "t2", "CREATE TABLE t2 (y TEXT); INSERT INTO t1 VALUES (7)"},
}};

TEST(MigrationsTest, AppliesInOrderAndUpgradesByAppendedSteps) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  EXPECT_EQ(SchemaVersion(db).value(), 0);
  EXPECT_EQ(ApplyMigrations(db, kV1).value(), 1);
  EXPECT_TRUE(db.tableExists("t1"));
  EXPECT_FALSE(db.tableExists("t2"));
  EXPECT_EQ(ApplyMigrations(db, kV1).value(), 1);  // no-op

  EXPECT_EQ(ApplyMigrations(db, kV2).value(), 2);
  EXPECT_TRUE(db.tableExists("t2"));
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM t1").getInt(), 1);  // step 2 ran once
  EXPECT_EQ(ApplyMigrations(db, kV2).value(), 2);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM t1").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT group_concat(name, '|') FROM schema_migrations").getString(),
            "t1|t2");
}

TEST(MigrationsTest, RefusesANewerDatabase) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  ASSERT_TRUE(ApplyMigrations(db, kV2).ok());
  absl::StatusOr<int> older = ApplyMigrations(db, kV1);
  EXPECT_EQ(older.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(older.status().message()).find("version 2"), std::string::npos)
      << older.status();
}

TEST(MigrationsTest, AFailingStepRollsBackTheWholeUpgrade) {
  constexpr std::array<Migration, 3> kBroken = {{
      {1, "t1", "CREATE TABLE t1 (x INTEGER)"},
      {2, "t2", "CREATE TABLE t2 (y TEXT)"},
      {3, "bad", "CREATE TABLE t3 (z TEXT); THIS IS NOT SQL"},
  }};
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  ASSERT_TRUE(ApplyMigrations(db, kV1).ok());
  absl::StatusOr<int> result = ApplyMigrations(db, kBroken);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(SchemaVersion(db).value(), 1);
  EXPECT_FALSE(db.tableExists("t2"));
  EXPECT_FALSE(db.tableExists("t3"));
}

TEST(MigrationsTest, StepsMustBeNumberedFromOne) {
  constexpr std::array<Migration, 2> kGap = {{{1, "a", "SELECT 1"}, {3, "b", "SELECT 1"}}};
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  EXPECT_EQ(ApplyMigrations(db, kGap).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SchemaVersion(db).value(), 0);
}

TEST(MigrationsTest, TheShippedStepsAreNumberedAndApply) {
  std::span<const Migration> steps = SchemaMigrations();
  ASSERT_FALSE(steps.empty());
  for (std::size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i].version, int(i) + 1);
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  EXPECT_EQ(ApplyMigrations(db, steps).value(), static_cast<int>(steps.size()));
  for (const char* table :
       {"offices", "services", "clerks", "clerk_skills", "shifts", "closures", "standing_bookings",
        "outages", "outage_offices", "appointments", "requests", "plans", "plan_assignments",
        "offers", "outbox_messages", "outbox_message_events"}) {
    EXPECT_TRUE(db.tableExists(table)) << table;
  }
  // Tables rebuilt by a step leave no copies behind.
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name GLOB '*_v[0-9]'").getInt(),
            0);
}

TEST(MigrationsTest, AFailingForeignKeyCheckRollsBackTheUpgrade) {
  constexpr std::array<Migration, 2> kSteps = {{
      {1, "parent", "CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (p TEXT)"},
      {2, "child references parent",
       "CREATE TABLE c2 (p TEXT REFERENCES p(id)); INSERT INTO c2 SELECT p FROM c; "
       "DROP TABLE c; ALTER TABLE c2 RENAME TO c"},
  }};
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("PRAGMA foreign_keys=ON");
  ASSERT_EQ(ApplyMigrations(db, std::span(kSteps).first(1)).value(), 1);
  db.exec("INSERT INTO p VALUES ('a'); INSERT INTO c VALUES ('a'), ('missing')");
  absl::StatusOr<int> upgraded = ApplyMigrations(db, kSteps);
  EXPECT_EQ(upgraded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(upgraded.status().message()).find("c row"), std::string::npos)
      << upgraded.status();
  EXPECT_EQ(SchemaVersion(db).value(), 1);
  EXPECT_FALSE(db.tableExists("c2"));
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM c").getInt(), 2);
  db.exec("DELETE FROM c WHERE p = 'missing'");
  EXPECT_EQ(ApplyMigrations(db, kSteps).value(), 2);
}

}  // namespace
}  // namespace rebook::storage::sqlite
