#include "services/sync/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace rebook::sync {
namespace {

absl::Status Errno(std::string_view step, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(std::string(step), " ", path, ": ", std::strerror(errno)));
}

// Closes the descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::string tmp = absl::StrCat(path, ".tmp");
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (fd.get() < 0) return Errno("open", tmp);
    std::size_t done = 0;
    while (done < content.size()) {
      const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Errno("write", tmp);
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) return Errno("fsync", tmp);
    if (::close(fd.Release()) != 0) return Errno("close", tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("rename to", path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0) return Errno("open folder", dir);
  if (::fsync(dir_fd.get()) != 0) return Errno("fsync folder", dir);
  return absl::OkStatus();
}

absl::StatusOr<std::int64_t> CursorFile::Load() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    std::error_code error;
    if (!std::filesystem::exists(path_, error) && !error) return 0;
    return absl::UnavailableError(absl::StrCat("cannot read cursor file ", path_));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::int64_t cursor = 0;
  const std::string content = text.str();
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(content), &cursor) || cursor < 0 ||
      content.size() > 32) {
    return absl::DataLossError(absl::StrCat(
        "cursor file ", path_,
        " does not hold one non-negative integer; restore it or remove it to start over"));
  }
  return cursor;
}

absl::Status CursorFile::Save(std::int64_t cursor) const {
  return WriteFileAtomically(path_, absl::StrCat(cursor, "\n"));
}

}  // namespace rebook::sync
