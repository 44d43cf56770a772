#include "services/sync/atomic_file.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "testing/files.h"

namespace rebook::sync {
namespace {

TEST(CursorFileTest, MissingMeansFromTheStartAndSavesRoundTrip) {
  rebook::testing::ScopedTempDir tmp("rebook-cursor");
  CursorFile file(tmp.File("cursor"));
  absl::StatusOr<std::int64_t> cursor = file.Load();
  ASSERT_TRUE(cursor.ok()) << cursor.status();
  EXPECT_EQ(*cursor, 0);
  for (std::int64_t c : {1LL, 2000LL, 9007199254740993LL}) {
    ASSERT_TRUE(file.Save(c).ok());
    EXPECT_EQ(file.Load().value_or(-1), c);
  }
  EXPECT_EQ(rebook::testing::ReadFileOrEmpty(tmp.File("cursor")), "9007199254740993\n");
  EXPECT_FALSE(std::filesystem::exists(tmp.File("cursor.tmp")));
}

TEST(CursorFileTest, GarbageIsDataLossNotAFreshStart) {
  rebook::testing::ScopedTempDir tmp("rebook-cursor");
  for (const char* content : {"", "abc", "-5\n", "12 13\n", "1e3"}) {
    { std::ofstream(tmp.File("cursor")) << content; }
    absl::StatusOr<std::int64_t> cursor = CursorFile(tmp.File("cursor")).Load();
    EXPECT_EQ(cursor.status().code(), absl::StatusCode::kDataLoss) << "'" << content << "'";
  }
}

TEST(CursorFileTest, ALeftoverTempFileDoesNotMatter) {
  rebook::testing::ScopedTempDir tmp("rebook-cursor");
  CursorFile file(tmp.File("cursor"));
  ASSERT_TRUE(file.Save(7).ok());
  { std::ofstream(tmp.File("cursor.tmp")) << "99"; }  // a crash between write and rename
  EXPECT_EQ(file.Load().value_or(-1), 7);
  ASSERT_TRUE(file.Save(8).ok());
  EXPECT_EQ(file.Load().value_or(-1), 8);
  EXPECT_FALSE(std::filesystem::exists(tmp.File("cursor.tmp")));
}

TEST(AtomicFileTest, AMissingFolderIsUnavailable) {
  rebook::testing::ScopedTempDir tmp("rebook-cursor");
  absl::Status s = WriteFileAtomically(tmp.File("no/such/file"), "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("no/such/file.tmp"), absl::string_view::npos) << s;
}

}  // namespace
}  // namespace rebook::sync
