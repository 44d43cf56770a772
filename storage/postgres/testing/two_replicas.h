// Test support: two PgStore on one scratch database, as two rebookd on one PostgreSQL would be.
// Tests are parameterised by PgStoreOptions::serialize_writes (true: the write lock, the
// default; false: SERIALIZABLE alone), so both paths are held to the same outcome. Skips when
// no server is configured (scratch_database.h); a derived SetUp calls TwoReplicasTest::SetUp()
// first and returns if IsSkipped() or HasFatalFailure().
//
//   class PgFooTest : public pg_testing::TwoReplicasTest {};
//   TEST_P(PgFooTest, ...) { a_->Write(...); b_->Read(...); }
//   INSTANTIATE_TEST_SUITE_P(WriteLock, PgFooTest, ::testing::Values(true, false), ...);
#ifndef REBOOK_STORAGE_POSTGRES_TESTING_TWO_REPLICAS_H_
#define REBOOK_STORAGE_POSTGRES_TESTING_TWO_REPLICAS_H_

#include <memory>

#include "gtest/gtest.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/scratch_database.h"

namespace rebook::storage::pg_testing {

class TwoReplicasTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (ServerUrl().empty()) GTEST_SKIP() << SkipReason();
    database_ = std::make_unique<ScratchDatabase>();
    for (auto* replica : {&a_, &b_}) {
      absl::StatusOr<std::unique_ptr<PgStore>> store = PgStore::Open(
          {.url = database_->url(), .connections = 4, .serialize_writes = GetParam()});
      ASSERT_TRUE(store.ok()) << store.status();
      *replica = *std::move(store);
    }
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
  }

  std::unique_ptr<ScratchDatabase> database_;
  std::unique_ptr<PgStore> a_;
  std::unique_ptr<PgStore> b_;
};

}  // namespace rebook::storage::pg_testing

#endif  // REBOOK_STORAGE_POSTGRES_TESTING_TWO_REPLICAS_H_
