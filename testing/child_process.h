// Child processes for tests and benchmarks: start a program, wait for it with a bound, stop it,
// and find the project's binaries and sources.
//
//   REBOOK_ASSIGN_OR_RETURN(auto server, ChildProcess::Start({BinaryPath("rebookd"), ...},
//                                                            {.stdout_path = log,
//                                                             .stderr_to_stdout = true}));
//   REBOOK_ASSIGN_OR_RETURN(int port, WaitForPortFile(port_file, *server,
//   std::chrono::seconds(20)));
//   ...
//   server->Stop(std::chrono::seconds(5));   // SIGTERM, then SIGKILL after 5 s
//
// Every wait is bounded, and a ChildProcess never outlives its owner: the destructor kills
// (SIGKILL) and reaps a child that still runs. A ChildProcess belongs to one thread. Programs
// are started with posix_spawn, so this is safe in a process that runs threads (gRPC).
#ifndef REBOOK_TESTING_CHILD_PROCESS_H_
#define REBOOK_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rebook::testing {

// Where a child writes. Empty paths keep the parent's stream.
struct SpawnOutput {
  std::string stdout_path;
  std::string stderr_path;        // ignored with stderr_to_stdout
  bool stderr_to_stdout = false;  // one log for both streams
  bool append = false;            // append to the files instead of truncating them
};

// Both streams appended to one log file, which several children may share.
inline SpawnOutput LogFile(const std::string& path) {
  return {.stdout_path = path, .stderr_to_stdout = true, .append = true};
}

class ChildProcess {
 public:
  // Starts argv (argv[0] is a path, searched nowhere) with the environment of this process.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                             const SpawnOutput& output = {});
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Sends `signal` unless the child has been reaped.
  void Signal(int signal) const;
  // The exit code (128 + n for signal n) once it exits within `timeout`; nullopt if it still
  // runs.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL if it has not exited within `grace`; returns the exit code.
  int Stop(std::chrono::milliseconds grace);
  // User plus system CPU seconds of the child; 0 until it has been reaped.
  double cpu_seconds() const { return cpu_seconds_; }

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}

  pid_t pid_;
  std::optional<int> exit_code_;
  double cpu_seconds_ = 0;
};

// Waits until `path` holds a positive port number, as servers write it when started with a
// port-file flag on port 0. FAILED_PRECONDITION when `process` exits first, DEADLINE_EXCEEDED
// after `timeout`.
absl::StatusOr<int> WaitForPortFile(const std::string& path, ChildProcess& process,
                                    std::chrono::milliseconds timeout);

// Runs argv to its end (at most `timeout`, then kills it) and returns its stdout. INTERNAL with
// stdout and stderr in the message on a non-zero exit, DEADLINE_EXCEEDED on timeout.
absl::StatusOr<std::string> RunCommand(const std::vector<std::string>& argv,
                                       std::chrono::seconds timeout = std::chrono::seconds(60));

// The path of a built binary: $REBOOK_BIN_DIR/<name>, else the build's bin folder.
std::string BinaryPath(const std::string& name);
// The source tree: $REBOOK_SOURCE_DIR, else the tree this was built from.
std::string SourceDir();

}  // namespace rebook::testing

#endif  // REBOOK_TESTING_CHILD_PROCESS_H_
