#include "services/notify/testing/sink_server.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "testing/files.h"

namespace rebook::notify::testing {

namespace fs = std::filesystem;

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

absl::StatusOr<std::unique_ptr<SinkServer>> SinkServer::Start(
    const std::string& script, const std::vector<std::string>& args) {
  rebook::testing::ScopedTempDir dir("rebook-server");
  const std::string port_file = dir.File("port");
  std::vector<std::string> argv = {
      "/usr/bin/python3", rebook::testing::SourceDir() + "/services/notify/testing/" + script,
      "--port-file", port_file};
  argv.insert(argv.end(), args.begin(), args.end());
  auto process = rebook::testing::ChildProcess::Start(argv);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> port =
      rebook::testing::WaitForPortFile(port_file, **process, std::chrono::seconds(15));
  if (!port.ok()) {
    return absl::Status(port.status().code(), absl::StrCat(script, ": ", port.status().message()));
  }
  return std::unique_ptr<SinkServer>(new SinkServer(std::move(*process), *port));
}

SinkServer::~SinkServer() { process_->Stop(std::chrono::seconds(5)); }

}  // namespace rebook::notify::testing
