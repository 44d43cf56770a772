// Test helpers for notify: Python helper servers on loopback, temp folders, subprocesses.
//
//   REBOOK_ASSIGN_OR_RETURN(auto smtp, TestServer::Start("smtp_sink.py", {"--out-dir", dir}));
//   ... smtp->port() ...                // the server listens when Start returns
//   // destructor: SIGTERM, bounded wait, then SIGKILL
//
// Scripts live in services/notify/testing/ and are found via REBOOK_SOURCE_DIR, which
// rebook_test sets for every test. Only /usr/bin/python3 sees Debian's aiosmtpd/icalendar.
#ifndef REBOOK_SERVICES_NOTIFY_TESTING_TEST_SERVER_H_
#define REBOOK_SERVICES_NOTIFY_TESTING_TEST_SERVER_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rebook::notify::testing {

// REBOOK_SOURCE_DIR, or the source dir compiled in as a fallback.
std::string SourceDir();
// A fresh folder under $TMPDIR (or /tmp); removed by the caller if it likes.
std::string MakeTempDir(const std::string& prefix);
// Runs argv, waits at most `timeout`, returns stdout (stderr is kept for the error message).
// Internal error on non-zero exit.
absl::StatusOr<std::string> RunCommand(const std::vector<std::string>& argv,
                                       std::chrono::seconds timeout = std::chrono::seconds(60));
std::string ReadFileOrEmpty(const std::string& path);

// Where a spawned process writes. Empty paths keep the parent's stream.
struct SpawnOutput {
  std::string stdout_path;
  std::string stderr_path;        // ignored with stderr_to_stdout
  bool stderr_to_stdout = false;  // one log for both streams
  bool append = false;            // append to the files instead of truncating them
};
// Starts argv (argv[0] is a path, searched nowhere) with the environment of this process.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv, const SpawnOutput& output = {});
std::vector<std::string> ListFiles(const std::string& dir);  // sorted file names

class TestServer {
 public:
  // Starts `/usr/bin/python3 <source>/services/notify/testing/<script> --port-file F args...`
  // and waits (at most 15 s) until the script has written its port.
  static absl::StatusOr<std::unique_ptr<TestServer>> Start(const std::string& script,
                                                           const std::vector<std::string>& args);
  ~TestServer();
  int port() const { return port_; }

 private:
  TestServer(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_;
  int port_;
};

}  // namespace rebook::notify::testing

#endif  // REBOOK_SERVICES_NOTIFY_TESTING_TEST_SERVER_H_
