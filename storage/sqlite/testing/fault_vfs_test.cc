#include "storage/sqlite/testing/fault_vfs.h"

#include <string>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Exception.h"
#include "gtest/gtest.h"
#include "sqlite3.h"
#include "testing/files.h"

namespace rebook::storage::sqlite_testing {
namespace {

class FaultVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vfs_.Reset();
    path_ = dir_.File("t.db");
    SQLite::Database db(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("CREATE TABLE t (x INTEGER)");
  }
  void TearDown() override { vfs_.Reset(); }

  std::int64_t Rows() {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    return db.execAndGet("SELECT count(*) FROM t").getInt64();
  }

  FaultVfs& vfs_ = FaultVfs::Install();
  ::rebook::testing::ScopedTempDir dir_{"rebook-faultvfs"};
  std::string path_;
};

TEST_F(FaultVfsTest, IsTheDefaultVfs) {
  ASSERT_NE(sqlite3_vfs_find(nullptr), nullptr);
  EXPECT_STREQ(sqlite3_vfs_find(nullptr)->zName, FaultVfs::kName);
}

// synchronous=OFF commits without an fsync: a power cut undoes them, synced commits stay.
TEST_F(FaultVfsTest, PowerCutDropsWhatWasNotSynced) {
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA synchronous=FULL");
    db.exec("INSERT INTO t VALUES (1)");
    db.exec("PRAGMA synchronous=OFF");
    db.exec("INSERT INTO t VALUES (2)");
    db.exec("INSERT INTO t VALUES (3)");
    vfs_.SchedulePowerCut(1, PowerCutMode::kDropUnsynced, 1);
    EXPECT_THROW(db.exec("INSERT INTO t VALUES (4)"), SQLite::Exception);
    EXPECT_TRUE(vfs_.power_is_off());
    EXPECT_THROW(db.exec("SELECT * FROM t"), SQLite::Exception);
  }
  EXPECT_GT(vfs_.last_cut().dropped_chunks, 0);
  vfs_.RestorePower();
  EXPECT_EQ(Rows(), 1);
}

TEST_F(FaultVfsTest, FullSyncCommitsSurvive) {
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA synchronous=FULL");
    for (int i = 0; i < 5; ++i) db.exec("INSERT INTO t VALUES (1)");
    vfs_.SchedulePowerCut(3, PowerCutMode::kTornLastWrite, 2);
    EXPECT_THROW(db.exec("INSERT INTO t VALUES (2)"), SQLite::Exception);
  }
  EXPECT_GT(vfs_.last_cut().torn_bytes, 0);
  vfs_.RestorePower();
  EXPECT_EQ(Rows(), 5);
}

TEST_F(FaultVfsTest, FaultRuleFailsChosenCallsWithTheirCode) {
  SQLite::Database db(path_, SQLite::OPEN_READWRITE);
  vfs_.AddFault({.file = FileKind::kWal, .op = FileOp::kWrite, .times = 1, .error = SQLITE_FULL});
  try {
    db.exec("INSERT INTO t VALUES (1)");
    ADD_FAILURE() << "the insert succeeded";
  } catch (const SQLite::Exception& e) {
    EXPECT_EQ(e.getErrorCode(), SQLITE_FULL) << e.what();
  }
  EXPECT_EQ(vfs_.faults_injected(), 1);
  db.exec("INSERT INTO t VALUES (1)");
  EXPECT_EQ(Rows(), 1);
}

}  // namespace
}  // namespace rebook::storage::sqlite_testing
