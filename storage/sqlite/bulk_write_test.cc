// Bulk writes of SqliteStore longer than one multi-row statement
// (SqliteTransaction::WriteInChunks, InsertRows): all of their rows commit, or none.
#include <chrono>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/files.h"

namespace rebook::storage {
namespace {

using conformance::MakeAppointment;
using conformance::MakeOffice;
using conformance::MakeService;

constexpr int kRows = 700;  // more than two chunks

class BulkWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::rebook::testing::MakeTempDir("rebook-bulk");
    auto store = SqliteStore::Open({.path = dir_ + "/rebook.db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    // One appointment exists already; its key is reused below to make a late row fail.
    ASSERT_TRUE(store_
                    ->Write({},
                            [&](Transaction& tx) -> absl::Status {
                              REBOOK_RETURN_IF_ERROR(tx.PutOffice(MakeOffice("o1")));
                              REBOOK_RETURN_IF_ERROR(tx.PutService(MakeService("s1")));
                              domain::Appointment a = Appointment("existing", 0);
                              return tx.InsertAppointments({&a, 1});
                            })
                    .ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static domain::Appointment Appointment(const std::string& id, int minute) {
    return MakeAppointment(id, "o1", "s1", Instant{std::chrono::seconds(1769500000 + 60 * minute)});
  }

  // kRows new appointments; the one at `failing` (in insertion order) repeats "existing".
  static std::vector<domain::Appointment> Batch(int failing) {
    std::vector<domain::Appointment> batch;
    for (int i = 0; i < kRows; ++i) {
      batch.push_back(Appointment(i == failing ? "existing" : absl::StrCat("new-", i), i + 1));
    }
    return batch;
  }

  std::int64_t Count() {
    std::int64_t n = -1;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](Transaction& tx) -> absl::Status {
                             REBOOK_ASSIGN_OR_RETURN(n, tx.CountAppointments({}));
                             return absl::OkStatus();
                           })
                    .ok());
    return n;
  }

  std::string dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(BulkWriteTest, ALongInsertCommitsEveryRow) {
  std::vector<domain::Appointment> batch = Batch(/*failing=*/-1);
  ASSERT_TRUE(
      store_->Write({}, [&](Transaction& tx) { return tx.InsertAppointments(batch); }).ok());
  EXPECT_EQ(Count(), kRows + 1);
}

// A row that fails after earlier chunks were written: the caller ignores the error and returns
// OK, yet the transaction does not commit, so none of the batch is stored.
TEST_F(BulkWriteTest, ALateFailureLetsNoRowCommit) {
  std::vector<domain::Appointment> batch = Batch(/*failing=*/kRows - 10);
  absl::Status insert;
  absl::Status write = store_->Write({}, [&](Transaction& tx) -> absl::Status {
    insert = tx.InsertAppointments(batch);
    return absl::OkStatus();
  });
  EXPECT_EQ(insert.code(), absl::StatusCode::kAlreadyExists) << insert;
  EXPECT_EQ(write.code(), absl::StatusCode::kAlreadyExists) << write;
  EXPECT_EQ(Count(), 1);
}

// A failure in the first chunk rolls back only that chunk: the transaction goes on.
TEST_F(BulkWriteTest, AnEarlyFailureLeavesTheTransactionUsable) {
  std::vector<domain::Appointment> batch = Batch(/*failing=*/3);
  domain::Appointment other = Appointment("other", kRows + 5);
  absl::Status insert;
  absl::Status write = store_->Write({}, [&](Transaction& tx) -> absl::Status {
    insert = tx.InsertAppointments(batch);
    return tx.InsertAppointments({&other, 1});
  });
  EXPECT_EQ(insert.code(), absl::StatusCode::kAlreadyExists) << insert;
  EXPECT_TRUE(write.ok()) << write;
  EXPECT_EQ(Count(), 2);
}

// Two rows of one multi-row statement with the same key: the statement changes nothing, the
// error names the row, and the transaction goes on.
TEST_F(BulkWriteTest, ADuplicateInsideOneStatementIsNamed) {
  std::vector<domain::Appointment> batch = Batch(/*failing=*/-1);
  batch.resize(100);
  batch[50].id = batch[10].id;
  domain::Appointment other = Appointment("other", kRows + 5);
  absl::Status insert;
  absl::Status write = store_->Write({}, [&](Transaction& tx) -> absl::Status {
    insert = tx.InsertAppointments(batch);
    return tx.InsertAppointments({&other, 1});
  });
  EXPECT_EQ(insert.code(), absl::StatusCode::kAlreadyExists) << insert;
  EXPECT_NE(insert.message().find(batch[10].id), absl::string_view::npos) << insert;
  EXPECT_TRUE(write.ok()) << write;
  EXPECT_EQ(Count(), 2);
}

// UpdateAppointments writes lifecycle columns with a narrower UPDATE where the rest is
// unchanged; rows whose booking data changed too still get every column.
TEST_F(BulkWriteTest, AnUpdateWritesBookingDataAndLifecycleAlike) {
  std::vector<domain::Appointment> batch = Batch(/*failing=*/-1);
  ASSERT_TRUE(
      store_->Write({}, [&](Transaction& tx) { return tx.InsertAppointments(batch); }).ok());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].status_reason = absl::StrCat("reason ", i);
    if (i % 3 == 0) batch[i].priority = 7;
  }
  ASSERT_TRUE(
      store_->Write({}, [&](Transaction& tx) { return tx.UpdateAppointments(batch); }).ok());
  std::int64_t right = 0;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](Transaction& tx) -> absl::Status {
                           return tx.ScanAppointments({}, [&](const domain::Appointment& a) {
                             for (const domain::Appointment& b : batch) {
                               if (b.id == a.id && b.status_reason == a.status_reason &&
                                   b.priority == a.priority) {
                                 ++right;
                               }
                             }
                           });
                         })
                  .ok());
  EXPECT_EQ(right, kRows);
}

// UpdateAppointments: a missing appointment late in the batch lets no update commit.
TEST_F(BulkWriteTest, ALateMissingRowLetsNoUpdateCommit) {
  std::vector<domain::Appointment> batch = Batch(/*failing=*/-1);
  ASSERT_TRUE(
      store_->Write({}, [&](Transaction& tx) { return tx.InsertAppointments(batch); }).ok());
  for (domain::Appointment& a : batch) a.priority = 5;
  batch[kRows - 3].id = "missing";
  absl::Status write = store_->Write({}, [&](Transaction& tx) -> absl::Status {
    (void)tx.UpdateAppointments(batch);
    return absl::OkStatus();
  });
  EXPECT_EQ(write.code(), absl::StatusCode::kNotFound) << write;
  std::int64_t updated = -1;
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](Transaction& tx) -> absl::Status {
                           AppointmentFilter filter;
                           updated = 0;
                           return tx.ScanAppointments(filter, [&](const domain::Appointment& a) {
                             if (a.priority == 5) ++updated;
                           });
                         })
                  .ok());
  EXPECT_EQ(updated, 0);
}

}  // namespace
}  // namespace rebook::storage
