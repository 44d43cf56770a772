#include "testing/store/temp_store.h"

#include <filesystem>

#include "gtest/gtest.h"

namespace rebook::testing {
namespace {

namespace fs = std::filesystem;

absl::Status PutOffice(storage::Store& store) {
  return store.Write({}, [](storage::Transaction& tx) {
    return tx.PutOffice({.id = "A", .name = "Bürgerbüro A", .state = "DE-ST"});
  });
}

TEST(TempStoreTest, AFreshStoreThatOutlivesCloseAndGoesWithItsFolder) {
  fs::path dir;
  {
    TempStore db("rebook-temp-store");
    ASSERT_TRUE(db.status().ok()) << db.status();
    dir = db.dir();
    EXPECT_EQ(fs::path(db.db_path()).parent_path(), dir);
    ASSERT_TRUE(PutOffice(db.store()).ok());
    db.Close();
    // The file stays after Close, for a process that opens it.
    auto reopened = OpenStoreFile(db.db_path());
    ASSERT_TRUE(reopened.ok()) << reopened.status();
    absl::Status read =
        (*reopened)->Read({}, [](storage::Transaction& tx) { return tx.GetOffice("A").status(); });
    EXPECT_TRUE(read.ok()) << read;
  }
  EXPECT_FALSE(fs::exists(dir));
}

TEST(TempStoreTest, AFileInAMissingFolderDoesNotOpen) {
  EXPECT_FALSE(OpenStoreFile("/nonexistent/rebook/rebook.db").ok());
}

}  // namespace
}  // namespace rebook::testing
