// PgAuditLog's group commit on a real PostgreSQL (REBOOK_TEST_POSTGRES_URL; skipped without
// it): appends that queue while one commits share one transaction, each chained to the one
// before; a seal that refuses its entry fails its caller alone; an entry the database refuses
// rolls back the transaction it shared, and every entry of it is then appended alone. Two
// replicas' logs keeping one chain: pg_store_test.cc.
#include "storage/postgres/pg_audit_log.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storage/conformance/store_conformance.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/scratch_database.h"

namespace rebook::storage {
namespace {

using pg_testing::ScratchDatabase;
using pg_testing::ServerUrl;
using pg_testing::SkipReason;

// Past PostgreSQL's last timestamp (year 294276): the INSERT of an entry at this time fails.
const Instant kOutOfRange = Instant(std::chrono::seconds(100'000'000'000'000));

absl::StatusOr<AuditRecord> Sealed(const AuditChainTip& tip, const std::string& principal) {
  if (principal == "refused") return absl::InvalidArgumentError("refused");
  AuditRecord r;
  r.seq = tip.seq + 1;
  r.time = principal == "bad" ? kOutOfRange : conformance::At(1, 9, 0);
  r.principal = principal;
  r.offices = {"*"};
  r.method = "rebook.v1.NotificationService/ReportDeliveries";
  r.prev_hash = tip.hash;
  r.hash = "h" + std::to_string(r.seq) + principal;
  return r;
}

class PgAuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ServerUrl().empty()) GTEST_SKIP() << SkipReason();
    database_ = std::make_unique<ScratchDatabase>();
    absl::StatusOr<std::unique_ptr<PgStore>> store = PgStore::Open({.url = database_->url()});
    ASSERT_TRUE(store.ok()) << store.status();  // migrates
    store_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<PgAuditLog>> log = PgAuditLog::Open({.url = database_->url()});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    ASSERT_TRUE(
        log_->Append({}, [](const AuditChainTip& tip) { return Sealed(tip, "seed"); }).ok());
  }

  // Appends "first" and, while its transaction is open, `others` from threads of their own.
  // Returns every status (first's first); `queued` says whether all of `others` had queued.
  std::vector<absl::Status> AppendBehindOne(const std::vector<std::string>& others, bool& queued) {
    std::vector<absl::Status> results(others.size() + 1);
    std::atomic<bool> first_sealing{false}, others_queued{false};
    const int waiting = static_cast<int>(others.size());
    std::vector<std::thread> threads;
    threads.emplace_back([&] {
      results[0] = log_->Append({}, [&](const AuditChainTip& tip) {
        first_sealing = true;
        for (int i = 0; i < 2000 && log_->queued() < waiting; ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        others_queued = log_->queued() == waiting;
        return Sealed(tip, "first");
      });
    });
    for (int i = 0; i < 10000 && !first_sealing; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    for (std::size_t t = 0; t < others.size(); ++t) {
      threads.emplace_back([&, t] {
        results[t + 1] =
            log_->Append({}, [&](const AuditChainTip& tip) { return Sealed(tip, others[t]); });
      });
      // One at a time, so that they queue in the order given (the chain's order).
      for (int i = 0; i < 10000 && log_->queued() < static_cast<int>(t) + 1; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
    for (std::thread& t : threads) t.join();
    queued = others_queued;
    return results;
  }

  // The principals of the stored entries in seq order; fails on a gap or a broken link.
  std::vector<std::string> Chain() {
    std::vector<std::string> principals;
    std::int64_t expected = 1;
    std::string prev;
    const absl::Status scanned = log_->Scan({}, [&](const AuditRecord& r) {
      EXPECT_EQ(r.seq, expected++);
      EXPECT_EQ(r.prev_hash, prev);
      prev = r.hash;
      principals.push_back(r.principal);
      return absl::OkStatus();
    });
    EXPECT_TRUE(scanned.ok()) << scanned;
    return principals;
  }

  std::unique_ptr<ScratchDatabase> database_;
  std::unique_ptr<PgStore> store_;
  std::unique_ptr<PgAuditLog> log_;
};

TEST_F(PgAuditLogTest, QueuedAppendsShareOneTransaction) {
  const PgAuditLog::Stats before = log_->stats();
  bool queued = false;
  std::vector<absl::Status> results = AppendBehindOne({"worker-1", "refused", "worker-3"}, queued);
  ASSERT_TRUE(queued);
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_TRUE(results[1].ok()) << results[1];
  EXPECT_EQ(results[2].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(results[3].ok()) << results[3];
  const PgAuditLog::Stats after = log_->stats();
  EXPECT_EQ(after.appends - before.appends, 4);
  EXPECT_EQ(after.transactions - before.transactions, 2);  // the first, then the three
  EXPECT_EQ(after.largest_batch, 3);
  EXPECT_EQ(Chain(), (std::vector<std::string>{"seed", "first", "worker-1", "worker-3"}));
}

TEST_F(PgAuditLogTest, AFailedSharedTransactionAppendsEachEntryAlone) {
  const PgAuditLog::Stats before = log_->stats();
  bool queued = false;
  std::vector<absl::Status> results = AppendBehindOne({"worker-1", "bad", "worker-3"}, queued);
  ASSERT_TRUE(queued);
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_TRUE(results[1].ok()) << results[1];
  EXPECT_FALSE(results[2].ok());
  EXPECT_TRUE(results[3].ok()) << results[3];
  const PgAuditLog::Stats after = log_->stats();
  EXPECT_EQ(after.transactions - before.transactions, 1 + 1 + 3);  // the three again alone
  EXPECT_EQ(Chain(), (std::vector<std::string>{"seed", "first", "worker-1", "worker-3"}));
  // The connection is still usable after the failed transactions.
  EXPECT_TRUE(log_->Append({}, [](const AuditChainTip& tip) { return Sealed(tip, "later"); }).ok());
}

}  // namespace
}  // namespace rebook::storage
