#include "storage/postgres/internal/errors.h"

#include "gtest/gtest.h"

namespace rebook::storage::postgres_internal {
namespace {

TEST(StatusFromSqlStateTest, MapsClassesToCodes) {
  struct Case {
    const char* sqlstate;
    absl::StatusCode code;
  };
  for (const Case& c :
       {Case{"23505", absl::StatusCode::kAlreadyExists},
        Case{"23503", absl::StatusCode::kFailedPrecondition},
        Case{"23502", absl::StatusCode::kFailedPrecondition},
        Case{"40001", absl::StatusCode::kAborted}, Case{"40P01", absl::StatusCode::kAborted},
        Case{"55P03", absl::StatusCode::kDeadlineExceeded},
        Case{"57014", absl::StatusCode::kDeadlineExceeded},
        Case{"25006", absl::StatusCode::kFailedPrecondition},
        Case{"08006", absl::StatusCode::kUnavailable},
        Case{"53100", absl::StatusCode::kUnavailable},
        Case{"57P01", absl::StatusCode::kUnavailable},
        Case{"42601", absl::StatusCode::kInternal}}) {
    const absl::Status s = StatusFromSqlState(c.sqlstate, "put office", "ERROR:  boom\n");
    EXPECT_EQ(s.code(), c.code) << c.sqlstate;
    EXPECT_EQ(s.message().substr(0, 21), "put office: ERROR:  b") << s;
  }
  EXPECT_TRUE(IsRetryableSqlState("40001"));
  EXPECT_TRUE(IsRetryableSqlState("40P01"));
  EXPECT_FALSE(IsRetryableSqlState("23505"));
}

// Two writers that drew the same change-feed cursor: the later one runs again; any other unique
// violation stays ALREADY_EXISTS.
TEST(StatusFromSqlStateTest, ACursorCollisionIsRetried) {
  EXPECT_TRUE(
      IsCursorCollision("23505",
                        "ERROR:  duplicate key value violates unique constraint "
                        "\"change_events_pkey\"\nDETAIL:  Key (cursor)=(5) already exists."));
  EXPECT_FALSE(IsCursorCollision(
      "23505", "ERROR:  duplicate key value violates unique constraint \"appointments_pkey\""));
  EXPECT_FALSE(IsCursorCollision("23503", "change_events_pkey"));
}

}  // namespace
}  // namespace rebook::storage::postgres_internal
