#include "testing/rebookd/test_database.h"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/postgres/testing/scratch_database.h"

namespace rebook::testing {
namespace {

// Sets an environment variable for the scope, restoring the old value after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

absl::Status PutOffice(storage::Store& store, const std::string& id) {
  return store.Write({}, [&](storage::Transaction& tx) {
    return tx.PutOffice({.id = id, .name = "Bürgerbüro " + id, .state = "DE-ST"});
  });
}

absl::StatusOr<int> CountOffices(storage::Store& store) {
  int count = 0;
  absl::Status s = store.Read({}, [&](storage::Transaction& tx) -> absl::Status {
    auto offices = tx.ListOffices({});
    if (!offices.ok()) return offices.status();
    count = static_cast<int>(offices->items.size());
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return count;
}

bool DatabaseExists(const std::string& url) {
  const std::string name = url.substr(url.rfind('/') + 1);
  pqxx::connection admin(storage::pg_testing::ServerUrl());
  return !pqxx::nontransaction(admin)
              .exec_params("SELECT 1 FROM pg_database WHERE datname = $1", name)
              .empty();
}

TEST(TestDatabaseTest, SqliteIsTheDefault) {
  ScopedEnv backend(kTestBackendVariable, nullptr);
  std::filesystem::path dir;
  {
    TestDatabase db("rebook-testdb");
    ASSERT_TRUE(db.status().ok()) << db.status();
    EXPECT_FALSE(db.postgres());
    EXPECT_EQ(db.db(), db.sqlite_path());
    ASSERT_TRUE(PutOffice(db.store(), "A").ok());
    EXPECT_TRUE(std::filesystem::exists(db.sqlite_path()));
    EXPECT_TRUE(db.OpenAuditLog().ok());
    dir = db.dir();
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(TestDatabaseTest, PostgresWithoutAServerSaysWhatIsMissing) {
  ScopedEnv backend(kTestBackendVariable, "postgres");
  ScopedEnv url(kTestPostgresUrlVariable, nullptr);
  TestDatabase db("rebook-testdb");
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(db.status().message().find(kTestPostgresUrlVariable), std::string::npos);
}

TEST(TestDatabaseTest, PostgresGivesEachServerADatabaseOfItsOwnAndDropsIt) {
  if (storage::pg_testing::ServerUrl().empty()) {
    GTEST_SKIP() << storage::pg_testing::SkipReason();
  }
  ScopedEnv backend(kTestBackendVariable, "postgres");
  std::string first_url;
  {
    TestDatabase first("rebook-testdb");
    TestDatabase second("rebook-testdb");
    ASSERT_TRUE(first.status().ok()) << first.status();
    ASSERT_TRUE(second.status().ok()) << second.status();
    EXPECT_TRUE(first.postgres());
    first_url = first.db();
    EXPECT_NE(first_url, second.db());
    EXPECT_EQ(first_url.rfind("postgresql://", 0), 0u) << first_url;
    EXPECT_TRUE(std::filesystem::is_directory(first.dir()));
    ASSERT_TRUE(PutOffice(first.store(), "A").ok());
    EXPECT_EQ(CountOffices(first.store()).value_or(-1), 1);
    EXPECT_EQ(CountOffices(second.store()).value_or(-1), 0);
    EXPECT_TRUE(first.OpenAuditLog().ok());
    EXPECT_TRUE(DatabaseExists(first_url));
  }
  EXPECT_FALSE(DatabaseExists(first_url));
}

}  // namespace
}  // namespace rebook::testing
