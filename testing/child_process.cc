#include "testing/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "testing/files.h"

extern char** environ;

namespace rebook::testing {

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const SpawnOutput& output) {
  if (argv.empty()) return absl::InvalidArgumentError("nothing to start");
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
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid));
}

ChildProcess::~ChildProcess() {
  if (exit_code_.has_value()) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

void ChildProcess::Signal(int signal) const {
  if (!exit_code_.has_value()) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_.has_value()) {
    int status = 0;
    rusage usage{};
    if (wait4(pid_, &status, WNOHANG, &usage) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      cpu_seconds_ = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
                     usage.ru_stime.tv_usec / 1e6;
      break;
    }
    if (std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_code_;
}

int ChildProcess::Stop(std::chrono::milliseconds grace) {
  Signal(SIGTERM);
  if (std::optional<int> code = Wait(grace)) return *code;
  Signal(SIGKILL);
  // SIGKILL cannot be caught; the bound only guards against a child stuck in the kernel.
  return Wait(std::chrono::seconds(30)).value_or(128 + SIGKILL);
}

absl::StatusOr<int> WaitForPortFile(const std::string& path, ChildProcess& process,
                                    std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int port = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFileOrEmpty(path)), &port) && port > 0) {
      return port;
    }
    if (process.Wait(std::chrono::milliseconds(0)).has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("process ", process.pid(), " exited before writing ", path));
    }
    if (std::chrono::steady_clock::now() >= until) {
      return absl::DeadlineExceededError(
          absl::StrCat("no port in ", path, " after ", timeout.count(), " ms"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

absl::StatusOr<std::string> RunCommand(const std::vector<std::string>& argv,
                                       std::chrono::seconds timeout) {
  ScopedTempDir dir("rebook-cmd");
  const std::string out_path = dir.File("stdout");
  const std::string err_path = dir.File("stderr");
  auto process = ChildProcess::Start(argv, {.stdout_path = out_path, .stderr_path = err_path});
  if (!process.ok()) return process.status();
  const std::optional<int> code = (*process)->Wait(timeout);
  if (!code.has_value()) {
    return absl::DeadlineExceededError(absl::StrCat(absl::StrJoin(argv, " "), ": timed out"));
  }
  std::string out = ReadFileOrEmpty(out_path);
  if (*code != 0) {
    return absl::InternalError(absl::StrCat(absl::StrJoin(argv, " "), ": failed; output: ", out,
                                            "; errors: ", ReadFileOrEmpty(err_path)));
  }
  return out;
}

std::string BinaryPath(const std::string& name) {
  const char* dir = std::getenv("REBOOK_BIN_DIR");
  return absl::StrCat(dir != nullptr ? dir : REBOOK_TESTING_BIN_DIR, "/", name);
}

std::string SourceDir() {
  const char* dir = std::getenv("REBOOK_SOURCE_DIR");
  return dir != nullptr ? dir : REBOOK_TESTING_SOURCE_DIR;
}

}  // namespace rebook::testing
