// SinkServer: one of notify's Python loopback sinks (smtp_sink.py, http_sink.py in this folder)
// as a child process, for the channel tests and tests/notify. Plus ListFiles for spool folders.
// Temporary folders, child processes and RunCommand are in testing/ (rebook::testing).
//
//   REBOOK_ASSIGN_OR_RETURN(auto smtp, SinkServer::Start("smtp_sink.py", {"--out-dir", dir}));
//   ... smtp->port() ...                // the sink listens when Start returns
//   // destructor: SIGTERM, bounded wait, then SIGKILL
//
// Scripts are found under testing::SourceDir(). Only /usr/bin/python3 sees Debian's
// aiosmtpd/icalendar.
#ifndef REBOOK_SERVICES_NOTIFY_TESTING_SINK_SERVER_H_
#define REBOOK_SERVICES_NOTIFY_TESTING_SINK_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "testing/child_process.h"

namespace rebook::notify::testing {

std::vector<std::string> ListFiles(const std::string& dir);  // sorted file names, no *.tmp

class SinkServer {
 public:
  // Starts `/usr/bin/python3 <source>/services/notify/testing/<script> --port-file F args...`
  // and waits (at most 15 s) until the script has written its port.
  static absl::StatusOr<std::unique_ptr<SinkServer>> Start(const std::string& script,
                                                           const std::vector<std::string>& args);
  ~SinkServer();
  int port() const { return port_; }

 private:
  SinkServer(std::unique_ptr<rebook::testing::ChildProcess> process, int port)
      : process_(std::move(process)), port_(port) {}
  std::unique_ptr<rebook::testing::ChildProcess> process_;
  int port_;
};

}  // namespace rebook::notify::testing

#endif  // REBOOK_SERVICES_NOTIFY_TESTING_SINK_SERVER_H_
