#include "testing/child_process.h"

#include <signal.h>

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/files.h"

namespace rebook::testing {
namespace {

using ::testing::HasSubstr;

TEST(ChildProcessTest, ExitCodeOutputAndSignal) {
  ScopedTempDir dir("rebook-child");
  auto ok = ChildProcess::Start({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"},
                                {.stdout_path = dir.File("log"), .stderr_to_stdout = true});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ((*ok)->Wait(std::chrono::seconds(30)), 3);
  EXPECT_EQ(ReadFileOrEmpty(dir.File("log")), "out\nerr\n");

  auto sleeper = ChildProcess::Start({"/bin/sleep", "60"});
  ASSERT_TRUE(sleeper.ok()) << sleeper.status();
  EXPECT_EQ((*sleeper)->Wait(std::chrono::milliseconds(50)), std::nullopt);
  EXPECT_EQ((*sleeper)->Stop(std::chrono::seconds(10)), 128 + SIGTERM);
}

TEST(ChildProcessTest, MissingProgramIsAnError) {
  // glibc's posix_spawn reports a failed exec to the parent.
  EXPECT_FALSE(ChildProcess::Start({"/nonexistent/rebook-program"}).ok());
}

TEST(WaitForPortFileTest, ReadsThePortOrNoticesAnEarlyExit) {
  ScopedTempDir dir("rebook-port");
  const std::string port_file = dir.File("port");
  auto server = ChildProcess::Start({"/bin/sh", "-c",
                                     "echo 4242 > " + port_file + ".tmp && mv " + port_file +
                                         ".tmp " + port_file + " && exec sleep 60"});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(WaitForPortFile(port_file, **server, std::chrono::seconds(30)).value_or(0), 4242);

  auto quitter = ChildProcess::Start({"/bin/sh", "-c", "exit 1"});
  ASSERT_TRUE(quitter.ok()) << quitter.status();
  EXPECT_EQ(WaitForPortFile(dir.File("never"), **quitter, std::chrono::seconds(30)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(RunCommandTest, StdoutOnSuccessBothStreamsOnFailure) {
  EXPECT_EQ(RunCommand({"/bin/sh", "-c", "echo hello"}).value_or(""), "hello\n");
  auto failed = RunCommand({"/bin/sh", "-c", "echo partial; echo broken >&2; exit 1"});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(failed.status().message()), HasSubstr("partial"));
  EXPECT_THAT(std::string(failed.status().message()), HasSubstr("broken"));
  EXPECT_EQ(RunCommand({"/bin/sleep", "60"}, std::chrono::seconds(1)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace rebook::testing
