// SqliteStore: the conformance suite on a real file, plus what only SQLite has (pragmas,
// migrations, files, other connections holding the lock).
#include "storage/sqlite/sqlite_store.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <thread>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"
#include "storage/sqlite/migrations.h"
#include "testing/files.h"

namespace rebook::storage {
namespace {

using absl::StatusCode;
using conformance::At;
using conformance::MakeAppointment;
using conformance::MakeAssigned;
using conformance::MakeClerk;
using conformance::MakeMessage;
using conformance::MakeOffer;
using conformance::MakeOffice;
using conformance::MakeOutage;
using conformance::MakePlan;
using conformance::MakeService;
using conformance::MakeShift;
using conformance::StatusIs;
using conformance::StoreBackend;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

StoreBackend SqliteBackend(std::string name, int read_connections) {
  return {std::move(name), [read_connections](const std::string& dir) {
            return absl::StatusOr<std::unique_ptr<Store>>(SqliteStore::Open(
                {.path = dir + "/rebook.db", .read_connections = read_connections}));
          }};
}

}  // namespace

// The fixture must be named unqualified, from its own namespace.
namespace conformance {
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(SqliteBackend("sqlite", 4),
                                           SqliteBackend("sqlite_one_reader", 1)),
                         StoreBackendName);
}  // namespace conformance

namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::rebook::testing::MakeTempDir("rebook-sqlite");
    path_ = dir_ + "/rebook.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqliteStore> OpenOrDie(SqliteStoreOptions options = {}) {
    if (options.path.empty()) options.path = path_;
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  static absl::Status PutWorld(Transaction& tx) {
    REBOOK_RETURN_IF_ERROR(tx.PutOffice(MakeOffice("o1")));
    return tx.PutService(MakeService("s1"));
  }

  std::string dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, WalFullSyncAndForeignKeysAreOnForEveryConnection) {
  std::unique_ptr<SqliteStore> store = OpenOrDie({.read_connections = 3});
  ASSERT_NE(store, nullptr);
  auto settings = store->InspectConnections();
  ASSERT_TRUE(settings.ok()) << settings.status();
  ASSERT_EQ(settings->size(), 4u);
  EXPECT_TRUE(settings->front().writer);
  for (const SqliteStore::ConnectionSettings& s : *settings) {
    EXPECT_EQ(s.journal_mode, "wal");
    EXPECT_EQ(s.synchronous, 2) << "FULL";
    EXPECT_TRUE(s.foreign_keys);
    EXPECT_EQ(s.query_only, !s.writer);
  }
  // WAL is a property of the file: a fresh connection sees it too.
  SQLite::Database raw(path_, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST_F(SqliteStoreTest, ProcessCrashDurabilityCommitsWithoutFullSyncOnlyForThatWrite) {
  std::unique_ptr<SqliteStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  auto writer_synchronous = [&] {
    absl::StatusOr<std::vector<SqliteStore::ConnectionSettings>> all = store->InspectConnections();
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? all->front().synchronous : -1;
  };
  const TransactionOptions relaxed{.durability = Durability::kProcessCrash};
  ASSERT_TRUE(store->Write(relaxed, PutWorld).ok());
  EXPECT_EQ(writer_synchronous(), 1) << "NORMAL: the commit is appended to the WAL, no fsync";
  // Committed: another connection, as another process would, sees it at once.
  {
    SQLite::Database raw(path_, SQLite::OPEN_READONLY);
    EXPECT_EQ(raw.execAndGet("SELECT COUNT(*) FROM offices").getInt(), 1);
  }
  // A relaxed write that fails still changes nothing.
  EXPECT_THAT(store->Write(relaxed,
                           [](Transaction& tx) -> absl::Status {
                             REBOOK_RETURN_IF_ERROR(tx.PutOffice(MakeOffice("o2")));
                             return absl::InternalError("boom");
                           }),
              StatusIs(StatusCode::kInternal));
  // The next default write is FULL again and makes the earlier commit durable with its fsync.
  ASSERT_TRUE(
      store->Write({}, [](Transaction& tx) { return tx.PutOffice(MakeOffice("o3")); }).ok());
  EXPECT_EQ(writer_synchronous(), 2) << "FULL";
  EXPECT_TRUE(store
                  ->Read({},
                         [](Transaction& tx) {
                           EXPECT_TRUE(tx.GetOffice("o1").ok());
                           EXPECT_THAT(tx.GetOffice("o2"), StatusIs(StatusCode::kNotFound));
                           EXPECT_TRUE(tx.GetOffice("o3").ok());
                           return absl::OkStatus();
                         })
                  .ok());
}

TEST_F(SqliteStoreTest, MigrationsAreRecordedAndReopeningIsANoOp) {
  ASSERT_NE(OpenOrDie(), nullptr);
  auto read_migrations = [&] {
    SQLite::Database raw(path_, SQLite::OPEN_READONLY);
    SQLite::Statement q(raw, "SELECT version, name, applied_at FROM schema_migrations");
    std::vector<std::tuple<int, std::string, std::int64_t>> rows;
    while (q.executeStep()) {
      rows.emplace_back(q.getColumn(0).getInt(), q.getColumn(1).getString(),
                        q.getColumn(2).getInt64());
    }
    return rows;
  };
  const auto first = read_migrations();
  ASSERT_EQ(first.size(), sqlite::SchemaMigrations().size());
  EXPECT_EQ(std::get<0>(first.back()), static_cast<int>(sqlite::SchemaMigrations().size()));
  EXPECT_EQ(std::get<1>(first.front()), std::string(sqlite::SchemaMigrations()[0].name));
  EXPECT_GT(std::get<2>(first.front()), 1700000000);  // a plausible unix time

  std::this_thread::sleep_for(milliseconds(1100));  // a re-applied step would get a new time
  ASSERT_NE(OpenOrDie(), nullptr);
  EXPECT_EQ(read_migrations(), first);
}

TEST_F(SqliteStoreTest, RefusesADatabaseWithANewerSchema) {
  ASSERT_NE(OpenOrDie(), nullptr);
  const int next = static_cast<int>(sqlite::SchemaMigrations().size()) + 1;
  {
    SQLite::Database raw(path_, SQLite::OPEN_READWRITE);
    SQLite::Statement q(raw, "INSERT INTO schema_migrations VALUES (?, 'from the future', 0)");
    q.bind(1, next);
    q.exec();
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = path_});
  EXPECT_THAT(store, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(std::string(store.status().message()), ::testing::HasSubstr(std::to_string(next)));
}

TEST_F(SqliteStoreTest, DataSurvivesCloseAndReopen) {
  domain::Appointment a = MakeAppointment("a1", "o1", "s1", At(2, 9));
  {
    std::unique_ptr<SqliteStore> store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write({},
                            [&](Transaction& tx) -> absl::Status {
                              REBOOK_RETURN_IF_ERROR(PutWorld(tx));
                              return tx.InsertAppointments({&a, 1});
                            })
                    .ok());
  }
  std::unique_ptr<SqliteStore> store = OpenOrDie({.create_if_missing = false});
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store
                  ->Read({},
                         [&](Transaction& tx) {
                           EXPECT_EQ(tx.GetOffice("o1").value(), MakeOffice("o1"));
                           EXPECT_THAT(tx.GetAppointment("o1", "a1").value(),
                                       conformance::AppointmentEq(a));
                           return absl::OkStatus();
                         })
                  .ok());
}

TEST_F(SqliteStoreTest, OpenErrorsAreStatuses) {
  EXPECT_THAT(SqliteStore::Open({.path = ""}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(SqliteStore::Open({.path = ":memory:"}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(SqliteStore::Open({.path = path_, .create_if_missing = false}),
              StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(SqliteStore::Open({.path = dir_ + "/no/such/dir/rebook.db"}),
              StatusIs(StatusCode::kUnavailable));
  {
    std::ofstream junk(dir_ + "/junk.db");
    junk << std::string(8192, 'x');
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> junk =
      SqliteStore::Open({.path = dir_ + "/junk.db"});
  EXPECT_FALSE(junk.ok());
  EXPECT_THAT(junk, StatusIs(StatusCode::kInternal));  // SQLITE_NOTADB
}

// Another connection (as another process would) holds the file's write lock: the store waits
// for it instead of reporting SQLITE_BUSY, and gives up at the deadline.
TEST_F(SqliteStoreTest, ForeignWriteLockMakesWritersWaitNotFail) {
  std::unique_ptr<SqliteStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  SQLite::Database other(path_, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  other.exec(
      "INSERT INTO offices (id, name, state, time_zone, address) VALUES ('foreign', 'n', 's', "
      "'Europe/Berlin', 'a')");

  auto begin = steady_clock::now();
  EXPECT_THAT(store->Write({.deadline = begin + milliseconds(200)}, PutWorld),
              StatusIs(StatusCode::kDeadlineExceeded));
  EXPECT_GE(steady_clock::now() - begin, milliseconds(190));
  // Readers are not blocked by the foreign writer (WAL).
  EXPECT_TRUE(store
                  ->Read({.deadline = steady_clock::now() + milliseconds(1000)},
                         [](Transaction& tx) {
                           EXPECT_THAT(tx.GetOffice("foreign"), StatusIs(StatusCode::kNotFound));
                           return absl::OkStatus();
                         })
                  .ok());

  std::thread committer([&] {
    std::this_thread::sleep_for(milliseconds(300));
    other.exec("COMMIT");
  });
  begin = steady_clock::now();
  absl::Status waited = store->Write({.deadline = begin + milliseconds(10000)}, PutWorld);
  const auto elapsed = steady_clock::now() - begin;
  committer.join();
  EXPECT_TRUE(waited.ok()) << waited;
  EXPECT_GE(elapsed, milliseconds(250));
  EXPECT_TRUE(store
                  ->Read({},
                         [](Transaction& tx) {
                           EXPECT_TRUE(tx.GetOffice("foreign").ok());
                           EXPECT_TRUE(tx.GetOffice("o1").ok());
                           return absl::OkStatus();
                         })
                  .ok());
}

// Two stores on one file contend through SQLite's file locks, not the in-process mutex.
TEST_F(SqliteStoreTest, TwoStoresOnOneFileNeverLeakBusy) {
  std::unique_ptr<SqliteStore> first = OpenOrDie();
  std::unique_ptr<SqliteStore> second = OpenOrDie();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->Write({}, PutWorld).ok());
  constexpr int kThreads = 4;
  constexpr int kWrites = 15;
  std::vector<absl::Status> statuses(kThreads * kWrites);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      SqliteStore& store = t % 2 ? *first : *second;
      for (int i = 0; i < kWrites; ++i) {
        domain::Appointment a =
            MakeAppointment(absl::StrCat("t", t, "-", i), "o1", "s1", At(2, 9, i));
        statuses[t * kWrites + i] = store.Write({}, [&](Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(std::int64_t n, tx.CountAppointments({}));
          (void)n;  // a read before the write: the transaction spans both
          return tx.InsertAppointments({&a, 1});
        });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& s : statuses) EXPECT_TRUE(s.ok()) << s;
  EXPECT_TRUE(second
                  ->Read({},
                         [](Transaction& tx) {
                           EXPECT_EQ(tx.CountAppointments({}).value(), kThreads * kWrites);
                           return absl::OkStatus();
                         })
                  .ok());
}

TEST_F(SqliteStoreTest, ReadersWaitForAFreeConnectionUntilTheirDeadline) {
  std::unique_ptr<SqliteStore> store = OpenOrDie({.read_connections = 1});
  ASSERT_NE(store, nullptr);
  std::promise<void> reading;
  std::promise<void> release;
  std::thread holder([&] {
    EXPECT_TRUE(store
                    ->Read({},
                           [&](Transaction&) {
                             reading.set_value();
                             release.get_future().wait();
                             return absl::OkStatus();
                           })
                    .ok());
  });
  reading.get_future().wait();
  EXPECT_THAT(store->Read({.deadline = steady_clock::now() + milliseconds(150)},
                          [](Transaction&) { return absl::OkStatus(); }),
              StatusIs(StatusCode::kDeadlineExceeded));
  release.set_value();
  holder.join();
  EXPECT_TRUE(store->Read({}, [](Transaction&) { return absl::OkStatus(); }).ok());
}

TEST_F(SqliteStoreTest, AnExceptionFromTheFunctionRollsBackAndFreesTheWriter) {
  std::unique_ptr<SqliteStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_THROW((void)store->Write({},
                                  [](Transaction& tx) -> absl::Status {
                                    EXPECT_TRUE(tx.PutOffice(MakeOffice("o1")).ok());
                                    throw std::runtime_error("caller bug");
                                  }),
               std::runtime_error);
  // The writer is free again and the office was rolled back.
  EXPECT_TRUE(store
                  ->Write({.deadline = steady_clock::now() + milliseconds(1000)},
                          [](Transaction& tx) {
                            EXPECT_THAT(tx.GetOffice("o1"), StatusIs(StatusCode::kNotFound));
                            return tx.PutOffice(MakeOffice("o2"));
                          })
                  .ok());
}

// A foreign connection in exclusive locking mode keeps every other connection out: opening
// waits for it until open_timeout, then fails with DEADLINE_EXCEEDED, never SQLITE_BUSY.
TEST_F(SqliteStoreTest, OpenWaitsForAForeignExclusiveLock) {
  ASSERT_NE(OpenOrDie(), nullptr);
  auto other = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE);
  other->exec("PRAGMA locking_mode=EXCLUSIVE");
  other->exec("BEGIN IMMEDIATE");
  other->exec(
      "INSERT INTO offices (id, name, state, time_zone, address) VALUES ('foreign', 'n', 's', "
      "'Europe/Berlin', 'a')");
  other->exec("COMMIT");  // keeps the exclusive lock until the connection closes

  auto begin = steady_clock::now();
  EXPECT_THAT(SqliteStore::Open({.path = path_, .open_timeout = milliseconds(200)}),
              StatusIs(StatusCode::kDeadlineExceeded));
  EXPECT_GE(steady_clock::now() - begin, milliseconds(190));

  std::thread closer([&] {
    std::this_thread::sleep_for(milliseconds(300));
    other.reset();
  });
  std::unique_ptr<SqliteStore> store = OpenOrDie({.open_timeout = milliseconds(10000)});
  closer.join();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(
      store->Read({}, [](Transaction& tx) { return tx.GetOffice("foreign").status(); }).ok());
}

TEST_F(SqliteStoreTest, BackgroundCheckpointsCopyTheWalIntoTheDatabaseFile) {
  std::unique_ptr<SqliteStore> store = OpenOrDie({.checkpoint_pages = 50});
  ASSERT_NE(store, nullptr);
  const auto size_before = std::filesystem::file_size(path_);
  std::vector<domain::Appointment> rows;
  for (int i = 0; i < 3000; ++i) {
    rows.push_back(MakeAppointment(absl::StrCat("a", i), "o1", "s1", At(2, 8, i % 60)));
  }
  ASSERT_TRUE(store
                  ->Write({},
                          [&](Transaction& tx) -> absl::Status {
                            REBOOK_RETURN_IF_ERROR(PutWorld(tx));
                            return tx.InsertAppointments(rows);
                          })
                  .ok());
  const auto give_up = steady_clock::now() + milliseconds(10000);
  while (store->background_checkpoints() == 0 && steady_clock::now() < give_up) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_GE(store->background_checkpoints(), 1);
  // The rows are in the database file itself now, not only in the WAL.
  EXPECT_GT(std::filesystem::file_size(path_), size_before + 500'000);
}

TEST_F(SqliteStoreTest, CheckpointPagesZeroKeepsSqlitesOwnAutoCheckpoint) {
  std::unique_ptr<SqliteStore> store = OpenOrDie({.checkpoint_pages = 0});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write({}, PutWorld).ok());
  EXPECT_EQ(store->background_checkpoints(), 0);
}

// Page tokens outlive processes and releases (a client may hold one across an upgrade), so their
// bytes are pinned: the first page's token of every listing, with a filter where it takes one,
// and the item of the second page that token leads to. Schema step 4 (appointment ids per
// office) added the office to the keys of appointments, assignments and offers: their tokens
// changed then, and tokens issued before are refused as for any change of a listing's key.
TEST_F(SqliteStoreTest, PageTokensKeepTheirBytes) {
  std::unique_ptr<SqliteStore> store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  REBOOK_ASSERT_OK(store->Write({}, [](Transaction& tx) -> absl::Status {
    for (int n : {1, 2}) {
      const std::string k = std::to_string(n);
      REBOOK_RETURN_IF_ERROR(tx.PutOffice(MakeOffice("o" + k)));
      REBOOK_RETURN_IF_ERROR(tx.PutService(MakeService("s" + k)));
      REBOOK_RETURN_IF_ERROR(tx.PutClerk(MakeClerk("c" + k, "o1", {"s1"})));
      REBOOK_RETURN_IF_ERROR(tx.PutShift(MakeShift("o1", "sh" + k, "c1", At(2, 8), At(2, 9))));
      REBOOK_RETURN_IF_ERROR(tx.PutStandingBooking({"b" + k, "c1", "o1", {At(2, 8), At(2, 9)}}));
      REBOOK_RETURN_IF_ERROR(tx.PutOutage(MakeOutage("out" + k, {"o1"})));
      REBOOK_RETURN_IF_ERROR(tx.PutPlan(MakePlan("out1", "p" + k, At(3, 8 + n))));
      REBOOK_RETURN_IF_ERROR(tx.PutOffer(MakeOffer("a1", n, "o1")));
      REBOOK_RETURN_IF_ERROR(tx.PutClosure({"o1", date::year(2026) / 3 / n, "Inventur"}));
    }
    REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(
        std::vector<domain::Appointment>{MakeAppointment("a1", "o1", "s1", At(4, 9)),
                                         MakeAppointment("a2", "o1", "s1", At(4, 10))}));
    REBOOK_RETURN_IF_ERROR(
        tx.InsertAssignments("out1", "p1",
                             std::vector<domain::Assignment>{MakeAssigned("a1", "o1", At(5, 9)),
                                                             MakeAssigned("a2", "o1", At(5, 10))}));
    return tx.InsertMessages(std::vector<domain::OutboxMessage>{
        MakeMessage("m1", "a1", "sms", At(4, 9)), MakeMessage("m2", "a2", "sms", At(4, 9))});
  }));
  using TokenAndKey = std::pair<std::string, std::string>;  // a page's token and first key
  auto first = [](const auto& page, auto key) -> absl::StatusOr<TokenAndKey> {
    if (!page.ok()) return page.status();
    if (page->items.empty()) return absl::NotFoundError("empty page");
    return TokenAndKey(page->next_page_token, key(page->items.front()));
  };
  auto id = [](const auto& item) { return item.id; };
  const std::vector<std::string> o1 = {"o1"};
  struct Golden {
    std::function<absl::StatusOr<TokenAndKey>(Transaction&, const PageRequest&)> list;
    const char* token;
    const char* second;
  };
  const std::vector<Golden> goldens = {
      {[&](Transaction& tx, auto p) { return first(tx.ListOffices(p), id); },
       "NjZkOTY1ZTc2ZjI0YTYxYjI6bzE", "o2"},
      {[&](Transaction& tx, auto p) { return first(tx.ListServices(p), id); },
       "MTJmNTdkM2JmN2JlNjhiZTI6czE", "s2"},
      {[&](Transaction& tx, auto p) { return first(tx.ListClerks({.office_ids = o1}, p), id); },
       "MTg0N2QwYTVhNTYxYTA1NTI6YzE", "c2"},
      {[&](Transaction& tx, auto p) {
         return first(tx.ListShifts({.office_ids = o1, .clerk_id = "c1"}, p), id);
       },
       "ZmMyYWRmZGNmZjg5MzAwOTI6bzEzOnNoMQ", "sh2"},
      {[&](Transaction& tx, auto p) {
         return first(tx.ListStandingBookings({.office_ids = o1}, p), id);
       },
       "MmJlYzZjNWQyM2Q2MWEzOTI6bzEyOmIx", "b2"},
      {[&](Transaction& tx, auto p) { return first(tx.ListOutages({.office_ids = o1}, p), id); },
       "YzcyM2Y3NmRhOTQyYmY4MjQ6b3V0MQ", "out2"},
      {[&](Transaction& tx, auto p) {
         return first(tx.ListAppointments({.office_ids = o1}, p), id);
       },
       "YWQwZjY2MTI3ZTkwNjJhNjEwOjE3NzI2MTQ4MDAyOmExMjpvMQ", "a2"},
      {[&](Transaction& tx, auto p) { return first(tx.ListPlans("out1", p), id); },
       "MTA3ZWYzMjg3YmYwZDY4NzEwOjE3NzI1MzIwMDAyOnAy", "p1"},
      {[&](Transaction& tx, auto p) {
         return first(tx.ListAssignments("out1", "p1", {.office_ids = o1}, p),
                      [](const auto& a) { return a.appointment_id; });
       },
       "NWEwNDUyMDJiZGZiOGE4NzI6YTEwOg", "a2"},
      {[&](Transaction& tx, auto p) {
         return first(tx.ListOffers({.office_ids = o1}, p),
                      [](const auto& o) { return std::to_string(o.version); });
       },
       "MzBlZGY1ODBmMWMyODIxMTI6YTEyOm8xMTox", "2"},
      {[&](Transaction& tx, auto p) {
         return first(tx.ListClosures(o1, p),
                      [](const auto& c) { return domain::FormatLocalDate(c.date); });
       },
       "Yzg4NWZkOGVjODZmZWQ4ZTI6bzExMDoyMDI2LTAzLTAx", "2026-03-02"},
      {[&](Transaction& tx, auto p) { return first(tx.ListMessages({.channel = "sms"}, p), id); },
       "YmNjZmFjN2U0OGUxYzk0ZjEwOjE3NzI2MTEyMDAyOm0x", "m2"},
  };
  REBOOK_EXPECT_OK(store->Read({}, [&](Transaction& tx) -> absl::Status {
    for (const Golden& g : goldens) {
      SCOPED_TRACE(g.token);
      REBOOK_ASSIGN_OR_RETURN(TokenAndKey page1, g.list(tx, {.page_size = 1}));
      EXPECT_EQ(page1.first, g.token);
      REBOOK_ASSIGN_OR_RETURN(TokenAndKey page2,
                              g.list(tx, {.page_size = 1, .page_token = g.token}));
      EXPECT_EQ(page2.second, g.second);
    }
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rebook::storage
