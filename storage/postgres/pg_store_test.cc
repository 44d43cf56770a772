// PgStore: the conformance suite on a real PostgreSQL, plus what only a shared server has
// (migrations, several stores on one database as several replicas would be).
//
// The server is named by REBOOK_TEST_POSTGRES_URL (testing/scratch_database.h); every test gets
// a schema of its own, dropped afterwards. Without the variable every test is skipped with a
// message saying so. Replica races: pg_replicas_test.cc.
#include "storage/postgres/pg_store.h"

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"
#include "storage/postgres/migrations.h"
#include "storage/postgres/pg_audit_log.h"
#include "storage/postgres/testing/scratch_database.h"

namespace rebook::storage {
namespace {

using absl::StatusCode;
using conformance::At;
using conformance::MakeMessage;
using conformance::MakeOffice;
using conformance::StatusIs;
using conformance::StoreBackend;

using pg_testing::ScratchDatabase;
using pg_testing::ServerUrl;
using pg_testing::SkipReason;

// A PgStore on its own scratch database; the database goes with the store.
class ScratchStore final : public Store {
 public:
  static absl::StatusOr<std::unique_ptr<Store>> Create(int connections) {
    auto database = std::make_unique<ScratchDatabase>();
    REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<PgStore> store,
                            PgStore::Open({.url = database->url(), .connections = connections}));
    return std::unique_ptr<Store>(new ScratchStore(std::move(database), std::move(store)));
  }
  absl::Status Read(const TransactionOptions& o,
                    absl::FunctionRef<absl::Status(Transaction&)> fn) override {
    return store_->Read(o, fn);
  }
  absl::Status Write(const TransactionOptions& o,
                     absl::FunctionRef<absl::Status(Transaction&)> fn) override {
    return store_->Write(o, fn);
  }
  absl::Status FlushErasures(const TransactionOptions& o) override {
    return store_->FlushErasures(o);
  }

 private:
  ScratchStore(std::unique_ptr<ScratchDatabase> database, std::unique_ptr<PgStore> store)
      : database_(std::move(database)), store_(std::move(store)) {}
  std::unique_ptr<ScratchDatabase> database_;  // outlives the store
  std::unique_ptr<PgStore> store_;
};

StoreBackend PostgresBackend(std::string name, int connections) {
  return {std::move(name),
          [connections](const std::string&) { return ScratchStore::Create(connections); },
          SkipReason()};
}

}  // namespace

namespace conformance {
INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         ::testing::Values(PostgresBackend("postgres", 4)), StoreBackendName);
}  // namespace conformance

namespace {

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ServerUrl().empty()) GTEST_SKIP() << SkipReason();
    database_ = std::make_unique<ScratchDatabase>();
  }

  std::unique_ptr<PgStore> OpenOrDie(bool serialize_writes = true) {
    absl::StatusOr<std::unique_ptr<PgStore>> store = PgStore::Open(
        {.url = database_->url(), .connections = 4, .serialize_writes = serialize_writes});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::unique_ptr<ScratchDatabase> database_;
};

TEST_F(PgStoreTest, ReplicasOpeningAtOnceMigrateOnce) {
  std::vector<std::future<absl::StatusOr<std::unique_ptr<PgStore>>>> opening;
  for (int i = 0; i < 4; ++i) {
    opening.push_back(std::async(std::launch::async, [&] {
      return PgStore::Open({.url = database_->url(), .connections = 1});
    }));
  }
  for (auto& f : opening) {
    absl::StatusOr<std::unique_ptr<PgStore>> store = f.get();
    EXPECT_TRUE(store.ok()) << store.status();
  }
  pqxx::connection c(database_->url());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec("SELECT COUNT(*) FROM schema_migrations")[0][0].as<int>(),
            static_cast<int>(postgres::SchemaMigrations().size()));
}

TEST_F(PgStoreTest, RefusesADatabaseWithANewerSchema) {
  ASSERT_NE(OpenOrDie(), nullptr);
  {
    pqxx::connection c(database_->url());
    pqxx::work tx(c);
    tx.exec("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    tx.commit();
  }
  EXPECT_THAT(PgStore::Open({.url = database_->url()}), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(PgStoreTest, AnUnreachableServerIsUnavailable) {
  EXPECT_THAT(PgStore::Open({.url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"}),
              StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(PgStore::Open({.url = ""}), StatusIs(StatusCode::kInvalidArgument));
}

// Two replicas saving the same request id at once: exactly one saves it, the other finds it
// saved (its transaction is run again after the serialization failure).
TEST_F(PgStoreTest, ARequestIdHasOneEffectAcrossReplicas) {
  // Concurrent writers (no write lock): SERIALIZABLE and SKIP LOCKED alone.
  std::unique_ptr<PgStore> a = OpenOrDie(/*serialize_writes=*/false);
  std::unique_ptr<PgStore> b = OpenOrDie(/*serialize_writes=*/false);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (int round = 0; round < 20; ++round) {
    const std::string id = absl::StrCat("req-", round);
    std::atomic<int> saved{0};
    std::atomic<int> found{0};
    auto replica = [&](PgStore* store, const std::string& answer) {
      return store->Write({}, [&](Transaction& tx) -> absl::Status {
        if (tx.FindRequest(id).ok()) {
          ++found;
          return absl::OkStatus();
        }
        REBOOK_RETURN_IF_ERROR(tx.PutOffice(MakeOffice(absl::StrCat("o-", answer, "-", round))));
        REBOOK_RETURN_IF_ERROR(tx.SaveRequest({id, "m", "f", answer}));
        ++saved;
        return absl::OkStatus();
      });
    };
    auto fa = std::async(std::launch::async, replica, a.get(), "a");
    auto fb = std::async(std::launch::async, replica, b.get(), "b");
    EXPECT_TRUE(fa.get().ok());
    EXPECT_TRUE(fb.get().ok());
    int offices = 0;
    ASSERT_TRUE(a->Read({}, [&](Transaction& tx) -> absl::Status {
                   REBOOK_ASSIGN_OR_RETURN(Page<domain::Office> page, tx.ListOffices({}));
                   for (const domain::Office& o : page.items) {
                     offices += absl::EndsWith(o.id, absl::StrCat("-", round)) ? 1 : 0;
                   }
                   return absl::OkStatus();
                 }).ok());
    EXPECT_EQ(offices, 1) << "only the committed attempt's writes remain";
    EXPECT_GE(found.load(), 1);
  }
}

// Four workers on two replicas leasing at once never hold one message twice.
TEST_F(PgStoreTest, LeasesAcrossReplicasNeverOverlap) {
  // Concurrent writers (no write lock): SERIALIZABLE and SKIP LOCKED alone.
  std::unique_ptr<PgStore> a = OpenOrDie(/*serialize_writes=*/false);
  std::unique_ptr<PgStore> b = OpenOrDie(/*serialize_writes=*/false);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kMessages = 400;
  ASSERT_TRUE(a->Write({}, [&](Transaction& tx) {
                 std::vector<domain::OutboxMessage> messages;
                 for (int i = 0; i < kMessages; ++i) {
                   domain::OutboxMessage m =
                       MakeMessage(absl::StrCat("m", i), absl::StrCat("a", i), "email", At(1, 9));
                   messages.push_back(m);
                 }
                 return tx.InsertMessages(messages);
               }).ok());
  std::mutex mu;
  std::multiset<std::string> leased;
  auto worker = [&](PgStore* store, int n) {
    for (int round = 0; round < 200; ++round) {
      std::vector<LeasedMessage> got;
      absl::Status s = store->Write({}, [&](Transaction& tx) -> absl::Status {
        REBOOK_ASSIGN_OR_RETURN(got, tx.LeaseMessages({.channels = {"email"},
                                                       .max_messages = 7,
                                                       .now = At(1, 10),
                                                       .lease_until = At(1, 11),
                                                       .lease_token = absl::StrCat("w", n),
                                                       .worker = absl::StrCat("w", n)}));
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
      if (got.empty()) return;
      std::lock_guard<std::mutex> lock(mu);
      for (const LeasedMessage& l : got) leased.insert(l.message.id);
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) workers.emplace_back(worker, i % 2 == 0 ? a.get() : b.get(), i);
  for (std::thread& t : workers) t.join();
  EXPECT_EQ(leased.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(leased.begin(), leased.end()).size(), leased.size())
      << "a message was leased twice";
}

TEST_F(PgStoreTest, BackupIsLeftToPostgres) {
  std::unique_ptr<PgStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->Backup("/tmp/x", {}), StatusIs(StatusCode::kFailedPrecondition));
  absl::StatusOr<OperationalCounts> counts = store->CountByState({});
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->open_outages, 0);
}

// A write that gave up waiting for the write lock (another replica held it) leaves nothing
// behind: once the lock is free, the next write on the same connection (the store has one)
// runs at once, and a later wait for the lock lasts as long as that write's own deadline.
TEST_F(PgStoreTest, AWriteAfterALockWaitTimeoutRunsAtOnce) {
  std::unique_ptr<PgStore> other = OpenOrDie();
  ASSERT_NE(other, nullptr);
  absl::StatusOr<std::unique_ptr<PgStore>> opened =
      PgStore::Open({.url = database_->url(), .connections = 1});
  ASSERT_TRUE(opened.ok()) << opened.status();
  PgStore& store = **opened;
  // `other` holds the write lock for `hold`, from when this returns.
  std::thread holder;
  std::atomic<bool> holding{false};
  const auto hold = [&](std::chrono::milliseconds hold) {
    holding = false;
    holder = std::thread([&other, hold, &holding] {
      (void)other->Write({}, [&](Transaction&) {
        holding = true;
        std::this_thread::sleep_for(hold);
        return absl::OkStatus();
      });
    });
    for (int i = 0; i < 1000 && !holding; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(holding);
  };
  const auto put = [&](std::chrono::milliseconds wait) {
    return store.Write({.deadline = std::chrono::steady_clock::now() + wait},
                       [](Transaction& tx) { return tx.PutOffice(MakeOffice("o1")); });
  };
  using std::chrono::milliseconds;
  hold(milliseconds(1500));
  EXPECT_THAT(put(milliseconds(300)), StatusIs(StatusCode::kDeadlineExceeded));
  holder.join();
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(put(milliseconds(10'000)).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(3000));
  // A wait longer than the one that timed out before still ends in the lock, not at 300 ms.
  hold(milliseconds(1000));
  start = std::chrono::steady_clock::now();
  EXPECT_TRUE(put(milliseconds(10'000)).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(500));
  holder.join();
}

// Two replicas' audit logs appending at once keep one chain: seq 1..N, each prev_hash the hash
// before it; filters and pages work as on SQLite.
TEST_F(PgStoreTest, AuditLogsOfTwoReplicasKeepOneChain) {
  ASSERT_NE(OpenOrDie(), nullptr);  // migrates
  absl::StatusOr<std::unique_ptr<PgAuditLog>> a = PgAuditLog::Open({.url = database_->url()});
  absl::StatusOr<std::unique_ptr<PgAuditLog>> b = PgAuditLog::Open({.url = database_->url()});
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  auto append = [](PgAuditLog* log, const std::string& principal) {
    for (int i = 0; i < 20; ++i) {
      absl::Status s = log->Append({}, [&](const AuditChainTip& tip) {
        AuditRecord r;
        r.seq = tip.seq + 1;
        r.time = At(1, 9, i);
        r.principal = principal;
        r.offices = {principal == "alice" ? "o1" : "*"};
        r.method = "rebook.v1.OutageService/GetOutage";
        r.prev_hash = tip.hash;
        r.hash = absl::StrCat("h", r.seq);
        return absl::StatusOr<AuditRecord>(r);
      });
      EXPECT_TRUE(s.ok()) << s;
    }
  };
  std::thread ta(append, a->get(), "alice");
  std::thread tb(append, b->get(), "bob");
  ta.join();
  tb.join();
  std::int64_t expected = 1;
  std::string prev;
  ASSERT_TRUE((*a)->Scan({},
                         [&](const AuditRecord& r) {
                           EXPECT_EQ(r.seq, expected++);
                           EXPECT_EQ(r.prev_hash, prev);
                           prev = r.hash;
                           return absl::OkStatus();
                         })
                  .ok());
  EXPECT_EQ(expected, 41);
  absl::StatusOr<Page<AuditRecord>> page =
      (*b)->List({}, {.principal = "alice"}, {.page_size = 15});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->items.size(), 15u);
  absl::StatusOr<Page<AuditRecord>> rest = (*b)->List(
      {}, {.principal = "alice"}, {.page_size = 15, .page_token = page->next_page_token});
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->items.size(), 5u);
  EXPECT_TRUE(rest->next_page_token.empty());
  // An office filter matches the principal's offices and "*".
  absl::StatusOr<Page<AuditRecord>> o1 = (*b)->List({}, {.office = "o1"}, {.page_size = 100});
  ASSERT_TRUE(o1.ok()) << o1.status();
  EXPECT_EQ(o1->items.size(), 40u);
  absl::StatusOr<Page<AuditRecord>> o2 = (*b)->List({}, {.office = "o2"}, {.page_size = 100});
  ASSERT_TRUE(o2.ok()) << o2.status();
  EXPECT_EQ(o2->items.size(), 20u);
  EXPECT_THAT((*a)->List({}, {}, {.page_token = "bogus"}), StatusIs(StatusCode::kInvalidArgument));
  // Entries are append-only.
  pqxx::connection c(database_->url());
  pqxx::work tx(c);
  EXPECT_THROW(tx.exec("UPDATE audit_entries SET principal = 'mallory'"), pqxx::sql_error);
}

}  // namespace
}  // namespace rebook::storage
