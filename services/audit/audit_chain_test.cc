// The hash chain against tampering done with raw SQLite, as someone with the database file
// could: the append-only triggers refuse it, and with the triggers dropped Verify finds it.
// Every case runs twice: with the log on the store's connections (as rebookd opens it) and
// with connections of its own.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "gtest/gtest.h"
#include "services/audit/audit_trail.h"
#include "storage/sqlite/sqlite_audit_log.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/store/temp_store.h"

namespace rebook::audit {
namespace {

using storage::AuditRecord;

// The parameter: true for the log on the store's connections.
class AuditChainTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.status().ok()) << db_.status();
    auto log = GetParam()
                   ? storage::SqliteAuditLog::Open(dynamic_cast<storage::SqliteStore&>(db_.store()))
                   : storage::SqliteAuditLog::Open({.path = db_.db_path()});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
    trail_ = std::make_unique<AuditTrail>(log_.get(), &clock_);
    for (int i = 1; i <= 5; ++i) {
      AuditEvent e;
      e.principal = i % 2 ? "planung" : "schalter-1";
      e.role = i % 2 ? "planner" : "clerk";
      e.offices = {i % 2 ? "HAL-MITTE" : "HAL-NEUSTADT"};
      e.method = i == 3 ? "rebook.v1.PlanService/CommitPlan"
                        : "rebook.v1.AppointmentService/GetAppointment";
      e.category = i == 3 ? Category::kPrivileged : Category::kPersonalDataRead;
      e.resources = {"offices/HAL-MITTE/appointments/a-" + std::to_string(i)};
      e.record_count = 1;
      e.outcome = "OK";
      e.request_id = "r-" + std::to_string(i);
      ASSERT_TRUE(trail_->Record(e, {}).ok());
      clock_.Advance(std::chrono::seconds(60));
    }
  }

  // A raw connection to the file, as a person with a sqlite3 shell has.
  SQLite::Database Raw() { return SQLite::Database(db_.db_path(), SQLite::OPEN_READWRITE); }
  void DropTriggers() {
    SQLite::Database raw = Raw();
    raw.exec("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete;");
  }
  ChainVerdict Verify() {
    auto v = trail_->Verify({});
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : ChainVerdict{};
  }

  testing::TempStore db_{"rebook-audit"};
  FakeClock clock_{Instant(std::chrono::seconds(1'769'529'600))};
  std::unique_ptr<storage::SqliteAuditLog> log_;
  std::unique_ptr<AuditTrail> trail_;
};

TEST_P(AuditChainTest, IntactChainVerifies) {
  ChainVerdict v = Verify();
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.entries, 5);
  EXPECT_EQ(v.last_seq, 5);
  EXPECT_EQ(v.last_hash.size(), 64u);
}

TEST_P(AuditChainTest, TriggersRefuseUpdateAndDelete) {
  SQLite::Database raw = Raw();
  EXPECT_THROW(raw.exec("UPDATE audit_entries SET principal = 'x' WHERE seq = 2"),
               SQLite::Exception);
  EXPECT_THROW(raw.exec("DELETE FROM audit_entries WHERE seq = 5"), SQLite::Exception);
  EXPECT_TRUE(Verify().ok);
}

TEST_P(AuditChainTest, ChangedByteIsFound) {
  DropTriggers();
  Raw().exec("UPDATE audit_entries SET record_count = 2 WHERE seq = 3");
  ChainVerdict v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken_seq, 3);
  EXPECT_EQ(v.entries, 2);
  EXPECT_NE(v.reason.find("content"), std::string::npos) << v.reason;
}

TEST_P(AuditChainTest, ChangedEntryWithRecomputedHashBreaksTheNext) {
  DropTriggers();
  auto page = trail_->List({}, {.page_size = 10}, {});
  ASSERT_TRUE(page.ok());
  AuditRecord forged = page->items[2];
  forged.principal = "someone-else";
  SQLite::Database raw = Raw();
  SQLite::Statement q(raw, "UPDATE audit_entries SET principal = ?, hash = ? WHERE seq = 3");
  q.bind(1, forged.principal);
  q.bind(2, ChainHash(forged.prev_hash, forged));
  q.exec();
  ChainVerdict v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken_seq, 4);
}

TEST_P(AuditChainTest, DeletedRowIsFound) {
  DropTriggers();
  Raw().exec("DELETE FROM audit_entries WHERE seq = 2");
  ChainVerdict v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken_seq, 3);
  EXPECT_NE(v.reason.find("removed"), std::string::npos) << v.reason;
}

TEST_P(AuditChainTest, DeletedAndRenumberedRowsAreFound) {
  DropTriggers();
  SQLite::Database raw = Raw();
  raw.exec("DELETE FROM audit_entries WHERE seq = 2");
  raw.exec("UPDATE audit_entries SET seq = seq - 1 WHERE seq > 2");
  ChainVerdict v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken_seq, 2);
}

TEST_P(AuditChainTest, ReorderedRowsAreFound) {
  DropTriggers();
  SQLite::Database raw = Raw();
  raw.exec("UPDATE audit_entries SET seq = 100 WHERE seq = 2");
  raw.exec("UPDATE audit_entries SET seq = 2 WHERE seq = 4");
  raw.exec("UPDATE audit_entries SET seq = 4 WHERE seq = 100");
  ChainVerdict v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_broken_seq, 2);
}

TEST_P(AuditChainTest, CutTailChangesTheTip) {
  const ChainVerdict before = Verify();
  DropTriggers();
  Raw().exec("DELETE FROM audit_entries WHERE seq = 5");
  const ChainVerdict after = Verify();
  // A cut tail leaves a valid chain; only the tip kept from an earlier export shows it.
  EXPECT_TRUE(after.ok);
  EXPECT_EQ(after.last_seq, 4);
  EXPECT_NE(after.last_hash, before.last_hash);
}

TEST_P(AuditChainTest, ListFiltersAndPages) {
  auto by_principal = trail_->List({.principal = "planung"}, {.page_size = 2}, {});
  ASSERT_TRUE(by_principal.ok()) << by_principal.status();
  ASSERT_EQ(by_principal->items.size(), 2u);
  EXPECT_EQ(by_principal->items[0].seq, 1);
  EXPECT_EQ(by_principal->items[1].seq, 3);
  ASSERT_FALSE(by_principal->next_page_token.empty());
  auto rest = trail_->List({.principal = "planung"},
                           {.page_size = 2, .page_token = by_principal->next_page_token}, {});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].seq, 5);
  EXPECT_TRUE(rest->next_page_token.empty());

  auto by_office = trail_->List({.office = "HAL-NEUSTADT"}, {}, {});
  ASSERT_TRUE(by_office.ok());
  EXPECT_EQ(by_office->items.size(), 2u);
  auto by_method = trail_->List({.method = "rebook.v1.PlanService/CommitPlan"}, {}, {});
  ASSERT_TRUE(by_method.ok());
  ASSERT_EQ(by_method->items.size(), 1u);
  EXPECT_EQ(by_method->items[0].category, "privileged");
  EXPECT_EQ(by_method->items[0].request_id, "r-3");
  const Instant t0 = Instant(std::chrono::seconds(1'769'529'600));
  auto by_time = trail_->List(
      {.from = t0 + std::chrono::seconds(60), .until = t0 + std::chrono::seconds(180)}, {}, {});
  ASSERT_TRUE(by_time.ok());
  ASSERT_EQ(by_time->items.size(), 2u);
  EXPECT_EQ(by_time->items[0].seq, 2);

  EXPECT_EQ(trail_->List({}, {.page_token = "garbage"}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(AuditChainTest, ConcurrentAppendsKeepOneChain) {
  // Appends from several threads while the store's own writer commits on the same file.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        AuditEvent e;
        e.principal = "worker-" + std::to_string(t);
        e.role = "notifier";
        e.offices = {"*"};
        e.method = "rebook.v1.NotificationService/LeaseMessages";
        e.category = Category::kPersonalDataRead;
        e.outcome = "OK";
        EXPECT_TRUE(trail_->Record(e, {}).ok());
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 25; ++i) {
      domain::Office office;
      office.id = "O-" + std::to_string(i);
      office.name = "Office";
      office.state = "DE-ST";
      office.time_zone = "Europe/Berlin";
      EXPECT_TRUE(db_.store()
                      .Write({}, [&](storage::Transaction& tx) { return tx.PutOffice(office); })
                      .ok());
    }
  });
  for (std::thread& t : threads) t.join();
  ChainVerdict v = Verify();
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.entries, 5 + 4 * 25);
}

// An entry of `principal`, sealed to `tip` as AuditTrail::Record seals it.
absl::StatusOr<AuditRecord> Sealed(const storage::AuditChainTip& tip,
                                   const std::string& principal) {
  AuditRecord r;
  r.seq = tip.seq + 1;
  r.time = Instant(std::chrono::seconds(1'769'540'000));
  r.principal = principal;
  r.role = "notifier";
  r.offices = {"*"};
  r.method = "rebook.v1.NotificationService/ReportDeliveries";
  r.category = CategoryName(Category::kPersonalDataChange);
  r.outcome = "OK";
  r.prev_hash = tip.hash;
  r.hash = ChainHash(r.prev_hash, r);
  return r;
}

// Appends `first` and, while its transaction is open, the appends of `others` from threads
// of their own, so that they queue behind it. Returns every status (first's first) and
// whether all of `others` had queued before `first` committed.
std::vector<absl::Status> AppendBehindOne(storage::SqliteAuditLog& log, const std::string& first,
                                          const std::vector<std::string>& others, bool& queued) {
  std::vector<absl::Status> results(others.size() + 1);
  std::atomic<bool> first_sealing{false}, others_queued{false};
  const int waiting = static_cast<int>(others.size());
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    results[0] = log.Append({}, [&](const storage::AuditChainTip& tip) {
      first_sealing = true;
      for (int i = 0; i < 2000 && log.queued() < waiting; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      others_queued = log.queued() == waiting;
      return Sealed(tip, first);
    });
  });
  for (int i = 0; i < 10000 && !first_sealing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (std::size_t t = 0; t < others.size(); ++t) {
    threads.emplace_back([&, t] {
      results[t + 1] = log.Append({}, [&](const storage::AuditChainTip& tip) {
        if (others[t] == "refused") {
          return absl::StatusOr<AuditRecord>(absl::InvalidArgumentError("refused"));
        }
        return Sealed(tip, others[t]);
      });
    });
    // One at a time, so that they queue in the order given (the chain's order).
    for (int i = 0; i < 10000 && log.queued() < static_cast<int>(t) + 1; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  for (std::thread& t : threads) t.join();
  queued = others_queued;
  return results;
}

// Appends that arrive while one commits are appended together, in one transaction, each
// chained to the one before; a seal that refuses its entry fails that caller alone.
TEST_P(AuditChainTest, QueuedAppendsShareOneTransaction) {
  const storage::SqliteAuditLog::Stats before = log_->stats();
  bool queued = false;
  std::vector<absl::Status> results =
      AppendBehindOne(*log_, "first", {"worker-1", "refused", "worker-3"}, queued);
  ASSERT_TRUE(queued);
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_TRUE(results[1].ok()) << results[1];
  EXPECT_EQ(results[2].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(results[3].ok()) << results[3];
  const storage::SqliteAuditLog::Stats after = log_->stats();
  EXPECT_EQ(after.appends - before.appends, 4);
  EXPECT_EQ(after.transactions - before.transactions, 2);  // the first, then the three
  EXPECT_EQ(after.largest_batch, 3);
  ChainVerdict v = Verify();
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.entries, 5 + 3);
}

// An entry the database refuses rolls back the transaction it shared; every entry of it is
// then appended alone, so only that entry's caller fails and the chain has no gap.
TEST_P(AuditChainTest, AFailedSharedTransactionAppendsEachEntryAlone) {
  Raw().exec(
      "CREATE TRIGGER audit_entries_refuse_bad BEFORE INSERT ON audit_entries "
      "WHEN NEW.principal = 'bad' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  const storage::SqliteAuditLog::Stats before = log_->stats();
  bool queued = false;
  std::vector<absl::Status> results =
      AppendBehindOne(*log_, "first", {"worker-1", "bad", "worker-3"}, queued);
  ASSERT_TRUE(queued);
  EXPECT_TRUE(results[0].ok()) << results[0];
  EXPECT_TRUE(results[1].ok()) << results[1];
  EXPECT_FALSE(results[2].ok());
  EXPECT_TRUE(results[3].ok()) << results[3];
  const storage::SqliteAuditLog::Stats after = log_->stats();
  EXPECT_EQ(after.transactions - before.transactions, 1 + 1 + 3);  // the three again alone
  ChainVerdict v = Verify();
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.entries, 5 + 3);
  auto bad = trail_->List({.principal = "bad"}, {}, {});
  ASSERT_TRUE(bad.ok());
  EXPECT_TRUE(bad->items.empty());
}

INSTANTIATE_TEST_SUITE_P(StoreConnectionsOrOwn, AuditChainTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "OnTheStore" : "OwnConnections";
                         });

TEST(SqliteAuditLogTest, RefusesAFileWithoutTheAuditTable) {
  testing::ScopedTempDir dir("rebook-audit-open");
  const std::string path = dir.File("plain.db");
  { SQLite::Database plain(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
  EXPECT_EQ(storage::SqliteAuditLog::Open({.path = path}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(storage::SqliteAuditLog::Open({.path = dir.File("missing.db")}).ok());
}

TEST(AuditEntryTest, CanonicalFormSeparatesFields) {
  AuditRecord a;
  a.principal = "ab";
  a.role = "c";
  AuditRecord b;
  b.principal = "a";
  b.role = "bc";
  EXPECT_NE(CanonicalForm(a), CanonicalForm(b));
  AuditRecord c;
  c.resources = {"x,y"};
  AuditRecord d;
  d.resources = {"x", "y"};
  EXPECT_NE(ChainHash("", c), ChainHash("", d));
  EXPECT_NE(ChainHash("", a), ChainHash("0", a));
}

}  // namespace
}  // namespace rebook::audit
