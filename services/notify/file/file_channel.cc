#include "services/notify/file/file_channel.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/notify/message_json.h"

namespace rebook::notify {
namespace {

class FileChannel final : public Channel {
 public:
  FileChannel(std::FILE* file, std::string path, bool include_contact, bool fsync)
      : file_(file), path_(std::move(path)), include_contact_(include_contact), fsync_(fsync) {}
  ~FileChannel() override { std::fclose(file_); }

  std::string_view name() const override { return "file"; }
  ContactField required_contact() const override { return ContactField::kNone; }

  DeliveryResult Send(const RenderedMessage& message) override {
    const std::string line =
        MessageToJson(message, {.include_contact = include_contact_}).dump() + "\n";
    std::lock_guard<std::mutex> lock(mu_);
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0 ||
        (fsync_ && ::fsync(fileno(file_)) != 0)) {
      const std::string reason =
          absl::StrCat("cannot append to ", path_, ": ", std::strerror(errno));
      std::clearerr(file_);
      return DeliveryResult::Temporary(reason);
    }
    return DeliveryResult::Delivered(message.message.key.ToString());
  }

 private:
  std::mutex mu_;
  std::FILE* const file_;
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
  std::FILE* file = std::fopen(path.c_str(), "ae");
  if (file == nullptr) {
    return config.Invalid("path", absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  return std::make_unique<FileChannel>(file, std::move(path), include_contact, fsync);
}

}  // namespace rebook::notify
