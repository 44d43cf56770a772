#include "tools/common/version.h"

#include "gtest/gtest.h"

namespace rebook {
namespace {

TEST(VersionTest, ProjectVersionAndCommitAreFilledIn) {
  EXPECT_TRUE(std::string(ProjectVersion()).find('.') != std::string::npos) << ProjectVersion();
  EXPECT_NE(ProjectVersion(), "@PROJECT_VERSION@");
  EXPECT_FALSE(BuildCommit().empty());
  EXPECT_NE(BuildCommit(), "@REBOOK_GIT_COMMIT@");
  EXPECT_EQ(VersionLine("rebookd"), "rebookd " + std::string(ProjectVersion()) + " (commit " +
                                        std::string(BuildCommit()) + ")");
}

}  // namespace
}  // namespace rebook
