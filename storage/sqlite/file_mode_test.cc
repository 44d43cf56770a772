// The database file and its -wal and -shm files are private to the owner (0600) whatever the
// process umask: they hold citizens' personal data.
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "storage/conformance/store_conformance.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/files.h"

namespace rebook::storage {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

class UmaskScope {
 public:
  explicit UmaskScope(mode_t mask) : old_(::umask(mask)) {}
  ~UmaskScope() { ::umask(old_); }

 private:
  mode_t old_;
};

TEST(SqliteFileModeTest, NewDatabaseWalAndShmAre0600UnderUmask022) {
  ::rebook::testing::ScopedTempDir dir("rebook-filemode");
  const std::string path = dir.File("rebook.db");
  UmaskScope umask(022);
  auto store = SqliteStore::Open({.path = path});
  ASSERT_TRUE(store.ok()) << store.status();
  // A write makes sure the WAL and the shared-memory index exist.
  ASSERT_TRUE(
      (*store)
          ->Write({}, [](Transaction& tx) { return tx.PutOffice(conformance::MakeOffice("o1")); })
          .ok());
  for (const char* suffix : {"", "-wal", "-shm"}) {
    ASSERT_TRUE(std::filesystem::exists(path + suffix)) << suffix;
    EXPECT_EQ(ModeOf(path + suffix), 0600u) << "rebook.db" << suffix;
  }
}

TEST(SqliteFileModeTest, AnExistingFileKeepsItsMode) {
  ::rebook::testing::ScopedTempDir dir("rebook-filemode");
  const std::string path = dir.File("rebook.db");
  UmaskScope umask(022);
  { ASSERT_TRUE(SqliteStore::Open({.path = path}).ok()); }
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  ASSERT_TRUE(SqliteStore::Open({.path = path}).ok());
  EXPECT_EQ(ModeOf(path), 0640u) << "an operator's choice is not overridden";
}

}  // namespace
}  // namespace rebook::storage
