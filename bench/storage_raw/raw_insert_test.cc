#include "bench/storage_raw/raw_insert.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/files.h"

namespace rebook::bench {
namespace {

namespace conformance = storage::conformance;
using conformance::At;
using conformance::MakeAppointment;
using storage::SqliteStore;
using storage::Transaction;

class RawInsertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::rebook::testing::MakeTempDir("rebook-raw");
    path_ = dir_ + "/rebook.db";
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = path_});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(store_
                    ->Write({},
                            [](Transaction& tx) -> absl::Status {
                              REBOOK_RETURN_IF_ERROR(tx.PutOffice(conformance::MakeOffice("o1")));
                              return tx.PutService(conformance::MakeService("s1"));
                            })
                    .ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
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
  std::string path_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(RawInsertTest, WritesRowsTheStoreReadsBackIdentically) {
  std::vector<domain::Appointment> rows;
  for (int i = 0; i < 100; ++i) {
    rows.push_back(MakeAppointment("raw-" + std::to_string(i), "o1", "s1", At(2, 8, i % 60)));
  }
  rows[3].earliest_start.reset();
  rows[3].allowed_offices.clear();
  rows[3].outage_id = "out-1";
  ASSERT_TRUE(RawInsertAppointments(path_, rows).ok());
  EXPECT_EQ(Count(), 100);
  EXPECT_TRUE(store_
                  ->Read({},
                         [&](Transaction& tx) {
                           for (int i : {0, 3, 99}) {
                             EXPECT_THAT(tx.GetAppointment(rows[i].office_id, rows[i].id).value(),
                                         conformance::AppointmentEq(rows[i]));
                           }
                           return absl::OkStatus();
                         })
                  .ok());
}

TEST_F(RawInsertTest, ADuplicateOrDanglingRowInsertsNothing) {
  std::vector<domain::Appointment> rows = {MakeAppointment("a", "o1", "s1", At(2, 8)),
                                           MakeAppointment("a", "o1", "s1", At(2, 9))};
  EXPECT_EQ(RawInsertAppointments(path_, rows).code(), absl::StatusCode::kAlreadyExists);
  rows[1] = MakeAppointment("b", "nowhere", "s1", At(2, 9));
  EXPECT_EQ(RawInsertAppointments(path_, rows).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count(), 0);
}

}  // namespace
}  // namespace rebook::bench
