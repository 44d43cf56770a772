#include "services/notify/file/file_channel.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/notify/message_json_text.h"

namespace rebook::notify {
namespace {

class FileChannel final : public Channel {
 public:
  FileChannel(int fd, std::string path, bool include_contact, bool fsync)
      : fd_(fd), path_(std::move(path)), include_contact_(include_contact), fsync_(fsync) {}
  ~FileChannel() override { ::close(fd_); }

  std::string_view name() const override { return "file"; }
  ContactField required_contact() const override { return ContactField::kNone; }

  DeliveryResult Send(const RenderedMessage& message) override {
    std::string line;
    line.reserve(4096);
    const absl::Status written =
        AppendMessageJsonText(message, {.include_contact = include_contact_}, line);
    if (!written.ok()) return DeliveryResult::Permanent(std::string(written.message()));
    line.push_back('\n');
    std::lock_guard<std::mutex> lock(mu_);
    if (!Append(line)) {
      return DeliveryResult::Temporary(
          absl::StrCat("cannot append to ", path_, ": ", std::strerror(errno)));
    }
    return DeliveryResult::Delivered(message.message.key.ToString());
  }

 private:
  // One write() of the whole line at the end (O_APPEND), under an exclusive flock so that
  // another process appending to the same file (several rebook-notifier on one path) never
  // lands inside the line, even if a short write needs a second call.
  bool Append(const std::string& line) {
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) return false;
    }
    bool ok = true;
    for (std::size_t done = 0; ok && done < line.size();) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
      } else if (n == 0) {
        errno = EIO;
        ok = false;
      } else if (errno != EINTR) {
        ok = false;
      }
    }
    if (ok && fsync_ && ::fsync(fd_) != 0) ok = false;
    const int saved = errno;
    ::flock(fd_, LOCK_UN);
    errno = saved;
    return ok;
  }

  std::mutex mu_;
  const int fd_;
  const std::string path_;
  const bool include_contact_;
  const bool fsync_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Channel>> FileChannelFactory::Create(
    const ChannelConfig& config) const {
  REBOOK_RETURN_IF_ERROR(config.CheckKnownKeys({"path", "include_contact", "fsync"}));
  REBOOK_ASSIGN_OR_RETURN(std::string path, config.GetString("path"));
  REBOOK_ASSIGN_OR_RETURN(bool include_contact, config.GetBool("include_contact", true));
  REBOOK_ASSIGN_OR_RETURN(bool fsync, config.GetBool("fsync", false));
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return config.Invalid("path", absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  return std::make_unique<FileChannel>(fd, std::move(path), include_contact, fsync);
}

}  // namespace rebook::notify
