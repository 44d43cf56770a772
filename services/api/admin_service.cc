#include "services/api/admin_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/access.h"
#include "services/common/field_violations.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

constexpr int kDefaultChunk = 1 << 20;
constexpr int kMinChunk = 4096;
constexpr int kMaxChunk = 4 << 20;

// The temporary copy: a fresh name in `dir`, removed when this goes out of scope.
class ScratchFile {
 public:
  static absl::StatusOr<ScratchFile> Reserve(const std::string& dir) {
    std::string pattern = absl::StrCat(dir, "/.rebook-backup-XXXXXX");
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot create a backup file in ", dir, ": ", std::strerror(errno)));
    }
    ::close(fd);
    std::string path(name.data());
    ::unlink(path.c_str());  // Backup creates it again, exclusively
    return ScratchFile(std::move(path));
  }
  ScratchFile(ScratchFile&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  ScratchFile& operator=(ScratchFile&&) = delete;
  ~ScratchFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit ScratchFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Streams the file at `path` in chunks of `chunk` bytes; the first carries the header fields.
absl::Status StreamFile(const std::string& path, int chunk, const storage::BackupResult& result,
                        grpc::ServerContext* ctx, grpc::ServerWriter<v1::BackupChunk>* writer) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("reopen backup: ", std::strerror(errno)));
  std::vector<char> buffer(static_cast<std::size_t>(chunk));
  std::int64_t sent = 0;
  absl::Status status;
  bool first = true;
  for (;;) {
    if (ctx->IsCancelled()) {
      status = absl::CancelledError("the client cancelled the backup");
      break;
    }
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = absl::UnavailableError(absl::StrCat("read backup: ", std::strerror(errno)));
      break;
    }
    if (n == 0 && !first) break;
    v1::BackupChunk message;
    message.set_data(buffer.data(), static_cast<std::size_t>(n));
    if (first) {
      message.set_total_bytes(result.bytes);
      message.set_schema_version(result.schema_version);
      first = false;
    }
    if (!writer->Write(message)) {
      status = absl::CancelledError("the client went away during the backup");
      break;
    }
    sent += n;
    if (n == 0) break;
  }
  ::close(fd);
  if (status.ok() && sent != result.bytes) {
    status = absl::InternalError("the backup file changed size while it was sent");
  }
  return status;
}

}  // namespace

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* ctx, const v1::BackupRequest* req,
                                      grpc::ServerWriter<v1::BackupChunk>* writer) {
  return env_.Handle(ctx, "Backup", *req, [&](const Call& call) -> absl::Status {
    if (call.principal.role != Role::kAdmin) {
      return absl::PermissionDeniedError("only admins may back up the database");
    }
    REBOOK_RETURN_IF_ERROR(RequireEveryOffice(call.principal, "a backup of the database"));
    const int chunk = req->chunk_bytes() == 0 ? kDefaultChunk : req->chunk_bytes();
    if (chunk < kMinChunk || chunk > kMaxChunk) {
      return InvalidField("chunk_bytes", "must be 0 or 4096 to 4194304", "OUT_OF_RANGE");
    }
    if (options_.maintenance == nullptr) {
      return absl::FailedPreconditionError("this server's store cannot make backups");
    }
    std::unique_lock<std::mutex> one(backup_mu_, std::try_to_lock);
    if (!one.owns_lock()) {
      return absl::UnavailableError("another backup is running; retry when it has finished");
    }
    REBOOK_ASSIGN_OR_RETURN(ScratchFile scratch, ScratchFile::Reserve(options_.scratch_dir));
    storage::BackupOptions backup;
    // The client's deadline, if any: the copy runs outside the request's storage wait cap.
    if (ctx->deadline() != std::chrono::system_clock::time_point::max()) {
      backup.deadline =
          std::chrono::steady_clock::now() + (ctx->deadline() - std::chrono::system_clock::now());
    }
    const auto start = std::chrono::steady_clock::now();
    REBOOK_ASSIGN_OR_RETURN(storage::BackupResult result,
                            options_.maintenance->Backup(scratch.path(), backup));
    Log(LogLevel::kInfo, "backup_copied",
        {{"bytes", result.bytes},
         {"pages", result.pages},
         {"steps", result.steps},
         {"ms", static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - start)
                                              .count())}});
    return StreamFile(scratch.path(), chunk, result, ctx, writer);
  });
}

}  // namespace rebook::api
