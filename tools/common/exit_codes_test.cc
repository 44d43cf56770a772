#include "tools/common/exit_codes.h"

#include <sstream>

#include "gtest/gtest.h"

namespace rebook::cli {
namespace {

TEST(ExitCodesTest, StatusCodesMapToDocumentedExitCodes) {
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInternal), 1);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnknown), 1);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInvalidArgument), 3);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kNotFound), 4);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnauthenticated), 5);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kPermissionDenied), 5);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kFailedPrecondition), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kAborted), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnavailable), 7);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kDeadlineExceeded), 7);
}

int ParseExit(std::vector<std::string> args) {
  CLI::App app{"test"};
  int n = 0;
  app.add_option("--n", n)->check(CLI::PositiveNumber);
  app.set_version_flag("--version", "test 1.0");
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return ExitForParseError(app, e);
  }
  return -1;  // parsed
}

TEST(ExitCodesTest, UsageErrorsAreTwoHelpAndVersionAreZero) {
  EXPECT_EQ(ParseExit({"--unknown"}), kExitUsage);
  EXPECT_EQ(ParseExit({"--n=0"}), kExitUsage);
  EXPECT_EQ(ParseExit({"extra"}), kExitUsage);
  EXPECT_EQ(ParseExit({"--help"}), kExitOk);
  EXPECT_EQ(ParseExit({"--version"}), kExitOk);
  EXPECT_EQ(ParseExit({"--n=3"}), -1);
}

}  // namespace
}  // namespace rebook::cli
