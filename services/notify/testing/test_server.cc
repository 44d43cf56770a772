#include "services/notify/testing/test_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

extern char** environ;

namespace rebook::notify::testing {
namespace {

namespace fs = std::filesystem;

// Waits for `pid` at most `timeout`; returns its exit status or -1 if still running.
int WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv, const SpawnOutput& output) {
  const int mode = O_WRONLY | O_CREAT | (output.append ? O_APPEND : O_TRUNC);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!output.stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.stdout_path.c_str(), mode,
                                     0644);
  }
  if (output.stderr_to_stdout) {
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  } else if (!output.stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, output.stderr_path.c_str(), mode,
                                     0644);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return absl::InternalError(absl::StrCat("cannot spawn ", argv[0]));
  return pid;
}

std::string SourceDir() {
  const char* dir = std::getenv("REBOOK_SOURCE_DIR");
  return dir != nullptr ? dir : REBOOK_NOTIFY_TESTING_SOURCE_DIR;
}

std::string MakeTempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/", prefix, "-XXXXXX");
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) return "";
  return std::string(buf.data());
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> ListFiles(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() != ".tmp") {
      out.push_back(e.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::string> RunCommand(const std::vector<std::string>& argv,
                                       std::chrono::seconds timeout) {
  const std::string dir = MakeTempDir("rebook-cmd");
  const std::string out_path = dir + "/stdout";
  absl::StatusOr<pid_t> pid =
      Spawn(argv, {.stdout_path = out_path, .stderr_path = dir + "/stderr"});
  if (!pid.ok()) return pid.status();
  int status = WaitFor(*pid, timeout);
  if (status == -1) {
    kill(*pid, SIGKILL);
    waitpid(*pid, &status, 0);
    return absl::DeadlineExceededError(absl::StrCat(absl::StrJoin(argv, " "), ": timed out"));
  }
  std::string out = ReadFileOrEmpty(out_path);
  std::string err = ReadFileOrEmpty(dir + "/stderr");
  fs::remove_all(dir);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat(absl::StrJoin(argv, " "), ": failed; output: ", out, "; errors: ", err));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<TestServer>> TestServer::Start(
    const std::string& script, const std::vector<std::string>& args) {
  const std::string dir = MakeTempDir("rebook-server");
  const std::string port_file = dir + "/port";
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   SourceDir() + "/services/notify/testing/" + script,
                                   "--port-file", port_file};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<pid_t> pid = Spawn(argv);
  if (!pid.ok()) return pid.status();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    int port = 0;
    if (absl::SimpleAtoi(ReadFileOrEmpty(port_file), &port) && port > 0) {
      fs::remove_all(dir);
      return std::unique_ptr<TestServer>(new TestServer(*pid, port));
    }
    int status = 0;
    if (waitpid(*pid, &status, WNOHANG) == *pid) {
      return absl::InternalError(absl::StrCat(script, " exited before listening"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  kill(*pid, SIGKILL);
  waitpid(*pid, nullptr, 0);
  return absl::DeadlineExceededError(absl::StrCat(script, " did not start listening in 15 s"));
}

TestServer::~TestServer() {
  kill(pid_, SIGTERM);
  if (WaitFor(pid_, std::chrono::seconds(5)) == -1) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

}  // namespace rebook::notify::testing
