#include "storage/sqlite/internal/errors.h"

#include <stdexcept>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Exception.h"
#include "gtest/gtest.h"
#include "sqlite3.h"

namespace rebook::storage::sqlite_internal {
namespace {

absl::StatusCode CodeOf(int sqlite_code) {
  return StatusFromSqliteCode(sqlite_code, "msg", "ctx").code();
}

TEST(ErrorsTest, MapsSqliteCodes) {
  using absl::StatusCode;
  EXPECT_EQ(CodeOf(SQLITE_CONSTRAINT_PRIMARYKEY), StatusCode::kAlreadyExists);
  EXPECT_EQ(CodeOf(SQLITE_CONSTRAINT_UNIQUE), StatusCode::kAlreadyExists);
  EXPECT_EQ(CodeOf(SQLITE_CONSTRAINT_FOREIGNKEY), StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(SQLITE_CONSTRAINT_CHECK), StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(SQLITE_CONSTRAINT_NOTNULL), StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(SQLITE_IOERR_FSYNC), StatusCode::kUnavailable);
  EXPECT_EQ(CodeOf(SQLITE_FULL), StatusCode::kUnavailable);
  EXPECT_EQ(CodeOf(SQLITE_CANTOPEN), StatusCode::kUnavailable);
  EXPECT_EQ(CodeOf(SQLITE_BUSY_SNAPSHOT), StatusCode::kUnavailable);
  EXPECT_EQ(CodeOf(SQLITE_CORRUPT), StatusCode::kInternal);
  EXPECT_EQ(CodeOf(SQLITE_NOTADB), StatusCode::kInternal);
  EXPECT_EQ(CodeOf(SQLITE_MISUSE), StatusCode::kInternal);
  EXPECT_EQ(CodeOf(-1), StatusCode::kInternal);  // SQLiteCpp's own errors
}

TEST(ErrorsTest, ConstraintFailuresDoNotCarrySqliteText) {
  for (int code :
       {SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_FOREIGNKEY, SQLITE_CONSTRAINT_CHECK}) {
    absl::Status s = StatusFromSqliteCode(code, "FOREIGN KEY constraint failed", "delete office B");
    std::string message(s.message());
    EXPECT_EQ(message.rfind("delete office B: ", 0), 0u) << s;
    EXPECT_EQ(message.find("constraint failed"), std::string::npos) << s;
    EXPECT_EQ(message.find("sqlite"), std::string::npos) << s;
  }
}

TEST(ErrorsTest, RecognisesBusyAndLocked) {
  EXPECT_TRUE(IsBusyCode(SQLITE_BUSY));
  EXPECT_TRUE(IsBusyCode(SQLITE_BUSY_SNAPSHOT));
  EXPECT_TRUE(IsBusyCode(SQLITE_LOCKED_SHAREDCACHE));
  EXPECT_FALSE(IsBusyCode(SQLITE_CONSTRAINT));
  EXPECT_FALSE(IsBusyCode(-1));
}

TEST(ErrorsTest, MapsTheCurrentException) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("CREATE TABLE t (id TEXT PRIMARY KEY)");
  db.exec("INSERT INTO t VALUES ('x')");
  try {
    db.exec("INSERT INTO t VALUES ('x')");
    FAIL() << "no exception";
  } catch (...) {
    EXPECT_EQ(CurrentExceptionSqliteCode(), SQLITE_CONSTRAINT_PRIMARYKEY);
    absl::Status s = StatusFromCurrentException("insert x");
    EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
    EXPECT_NE(std::string(s.message()).find("insert x"), std::string::npos) << s;
  }
  try {
    throw std::runtime_error("boom");
  } catch (...) {
    EXPECT_EQ(CurrentExceptionSqliteCode(), -1);
    EXPECT_EQ(StatusFromCurrentException("x").code(), absl::StatusCode::kInternal);
  }
}

}  // namespace
}  // namespace rebook::storage::sqlite_internal
