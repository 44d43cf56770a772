// PgStore's statistics refresh (internal/statistics_keeper.h) on a real PostgreSQL: a write
// that changed a large share of a table has that table analyzed right after its commit; small
// writes and a store with the refresh off leave statistics to autovacuum.
//
// "Analyzed by the store" is read from pg_stat_user_tables.last_analyze, which only a manual
// ANALYZE sets (autovacuum sets last_autoanalyze), so autovacuum cannot make these tests pass.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/conformance/store_conformance.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/scratch_database.h"

namespace rebook::storage {
namespace {

using conformance::At;
using conformance::MakeAppointment;
using conformance::MakeOffice;
using conformance::MakeService;
using pg_testing::ScratchDatabase;
using pg_testing::ServerUrl;
using pg_testing::SkipReason;

class PgStatisticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ServerUrl().empty()) GTEST_SKIP() << SkipReason();
    database_ = std::make_unique<ScratchDatabase>();
  }

  std::unique_ptr<PgStore> Open(bool refresh) {
    absl::StatusOr<std::unique_ptr<PgStore>> store =
        PgStore::Open({.url = database_->url(), .connections = 2, .refresh_statistics = refresh});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // `count` appointments of office "o1", ids starting at `first`, in one write.
  static absl::Status Import(PgStore& store, int first, int count) {
    std::vector<domain::Appointment> appointments;
    for (int i = first; i < first + count; ++i) {
      appointments.push_back(MakeAppointment(absl::StrCat("a", i), "o1", "s1", At(2, 8 + i % 8)));
    }
    return store.Write({}, [&](Transaction& tx) -> absl::Status {
      if (first == 0) {
        absl::Status s = tx.PutOffice(MakeOffice("o1"));
        if (s.ok()) s = tx.PutService(MakeService("s1"));
        if (!s.ok()) return s;
      }
      return tx.InsertAppointments(appointments);
    });
  }

  // The table's manual analyses (pg_stat_user_tables.analyze_count) and pg_class.reltuples.
  std::pair<std::int64_t, double> Analyzed(const std::string& table) {
    pqxx::connection c(database_->url());
    pqxx::read_transaction tx(c);
    const pqxx::result r = tx.exec(absl::StrCat(
        "SELECT s.analyze_count, c.reltuples FROM pg_stat_user_tables s JOIN pg_class c ON "
        "c.oid = s.relid WHERE s.relid = to_regclass(",
        tx.quote(table), ")"));
    EXPECT_EQ(r.size(), 1u) << table;
    if (r.empty()) return {-1, -1};
    return {r[0][0].as<std::int64_t>(), r[0][1].as<double>()};
  }

  std::unique_ptr<ScratchDatabase> database_;
};

TEST_F(PgStatisticsTest, ABulkImportIsAnalyzedRightAfterItsCommit) {
  std::unique_ptr<PgStore> store = Open(/*refresh=*/true);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Analyzed("appointments").first, 0);
  ASSERT_TRUE(Import(*store, 0, 2000).ok());
  store->WaitForStatistics();
  // The appointments and the change events their triggers wrote; nothing else grew as much.
  EXPECT_EQ(store->tables_analyzed(), 2);
  EXPECT_EQ(store->failed_analyses(), 0);
  const auto [analyses, rows] = Analyzed("appointments");
  EXPECT_EQ(analyses, 1);
  EXPECT_EQ(rows, 2000.0);  // ANALYZE reads every row of a table this small
  EXPECT_EQ(Analyzed("change_events").first, 1);
  EXPECT_EQ(Analyzed("offices").first, 0);  // one row: below kMinRows
}

TEST_F(PgStatisticsTest, WritesBelowTheThresholdAddUpUntilTheyCross) {
  std::unique_ptr<PgStore> store = Open(/*refresh=*/true);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Import(*store, 0, 2000).ok());
  store->WaitForStatistics();
  ASSERT_EQ(Analyzed("appointments").first, 1);
  // 600 rows: below kMinRows (1,000) though above a tenth of the 2,000 rows.
  ASSERT_TRUE(Import(*store, 2000, 600).ok());
  store->WaitForStatistics();
  EXPECT_EQ(Analyzed("appointments").first, 1);
  // 600 more: 1,200 since the last analysis.
  ASSERT_TRUE(Import(*store, 2600, 600).ok());
  store->WaitForStatistics();
  const auto [analyses, rows] = Analyzed("appointments");
  EXPECT_EQ(analyses, 2);
  EXPECT_EQ(rows, 3200.0);
}

TEST_F(PgStatisticsTest, AFailedWriteIsNotCounted) {
  std::unique_ptr<PgStore> store = Open(/*refresh=*/true);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Import(*store, 0, 10).ok());
  // The same ids again: ALREADY_EXISTS, the transaction rolls back, nothing to analyze.
  std::vector<domain::Appointment> again;
  for (int i = 0; i < 1500; ++i) {
    again.push_back(MakeAppointment(absl::StrCat("a", i), "o1", "s1", At(2, 9)));
  }
  EXPECT_FALSE(
      store->Write({}, [&](Transaction& tx) { return tx.InsertAppointments(again); }).ok());
  store->WaitForStatistics();
  EXPECT_EQ(store->tables_analyzed(), 0);
  EXPECT_EQ(Analyzed("appointments").first, 0);
}

TEST_F(PgStatisticsTest, WithTheRefreshOffAutovacuumIsLeftAlone) {
  std::unique_ptr<PgStore> store = Open(/*refresh=*/false);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Import(*store, 0, 2000).ok());
  store->WaitForStatistics();  // returns at once
  EXPECT_EQ(store->tables_analyzed(), 0);
  EXPECT_EQ(Analyzed("appointments").first, 0);
}

}  // namespace
}  // namespace rebook::storage
