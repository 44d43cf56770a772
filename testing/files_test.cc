#include "testing/files.h"

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace rebook::testing {
namespace {

namespace fs = std::filesystem;

TEST(MakeTempDirTest, FreshFolderUnderTheBaseWithThePrefix) {
  ScopedTempDir base("rebook-base");
  const std::string a = MakeTempDir("rebook-x", base.path().string());
  const std::string b = MakeTempDir("rebook-x", base.path().string());
  EXPECT_NE(a, b);
  EXPECT_TRUE(fs::is_directory(a));
  EXPECT_TRUE(fs::is_directory(b));
  EXPECT_EQ(fs::path(a).parent_path(), base.path());
  EXPECT_EQ(fs::path(a).filename().string().rfind("rebook-x-", 0), 0u) << a;
}

TEST(ScopedTempDirTest, RemovesItsFolderAndContent) {
  fs::path kept;
  {
    ScopedTempDir dir("rebook-scoped");
    kept = dir.path();
    std::ofstream(dir.File("a.txt")) << "x";
    fs::create_directories(dir.path() / "sub");
    std::ofstream(dir.File("sub/b.txt")) << "y";
    EXPECT_EQ(ReadFileOrEmpty(dir.File("a.txt")), "x");
  }
  EXPECT_FALSE(fs::exists(kept));
}

TEST(ScopedTempDirTest, KeepAndMoveLeaveOneOwner) {
  fs::path kept;
  {
    ScopedTempDir dir("rebook-keep");
    kept = dir.path();
    dir.Keep();
  }
  EXPECT_TRUE(fs::is_directory(kept));
  fs::remove_all(kept);

  fs::path moved;
  {
    ScopedTempDir first("rebook-move");
    moved = first.path();
    ScopedTempDir second = std::move(first);
    EXPECT_TRUE(first.path().empty());
    EXPECT_EQ(second.path(), moved);
  }
  EXPECT_FALSE(fs::exists(moved));
}

TEST(ReadFileOrEmptyTest, MissingFileIsEmpty) {
  EXPECT_EQ(ReadFileOrEmpty("/nonexistent/rebook/file"), "");
}

}  // namespace
}  // namespace rebook::testing
