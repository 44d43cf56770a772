// rebookctl admin backup: a consistent copy of the server's database (admins of every office).
//
//   rebookctl admin backup /backups/rebook-$(date +%F).db
//
// The server copies the database with SQLite's online backup API while requests go on, and
// streams the copy; this writes it to FILE.part (mode 0600), checks the size the server
// announced, fsyncs and renames it to FILE. An existing FILE is kept unless --force is given.
// Restore with `rebookd --db=... --restore=FILE` (docs/reliability.md).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "rebook/v1/admin.grpc.pb.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

struct BackupFlags {
  std::string file;
  bool force = false;
  int timeout_s = 3600;
};

int Fail(const std::string& what) {
  std::cerr << "error: " << what << "\n";
  return cli::kExitFailed;
}

bool WriteAll(int fd, const std::string& data) {
  for (std::size_t done = 0; done < data.size();) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

int Backup(const Client& client, const BackupFlags& f, bool json) {
  struct stat st {};
  if (!f.force && ::stat(f.file.c_str(), &st) == 0) {
    std::cerr << "error: " << f.file << " exists; pass --force to replace it\n";
    return cli::kExitFailedPrecondition;
  }
  const std::string part = f.file + ".part";
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(absl::StrCat("cannot create ", part, ": ", std::strerror(errno)));
  auto stub = v1::AdminService::NewStub(client.channel());
  auto ctx = client.Context(f.timeout_s);
  auto reader = stub->Backup(ctx.get(), v1::BackupRequest());
  v1::BackupChunk chunk;
  std::int64_t expected = -1;
  std::int64_t written = 0;
  int schema_version = 0;
  bool io_ok = true;
  while (reader->Read(&chunk)) {
    if (expected < 0) {
      expected = chunk.total_bytes();
      schema_version = chunk.schema_version();
    }
    if (io_ok && !WriteAll(fd, chunk.data())) io_ok = false;
    written += static_cast<std::int64_t>(chunk.data().size());
  }
  grpc::Status status = reader->Finish();
  if (io_ok && ::fsync(fd) != 0) io_ok = false;
  const int saved_errno = errno;
  ::close(fd);
  if (!status.ok()) {
    ::unlink(part.c_str());
    return ReportError(status);
  }
  if (!io_ok) {
    ::unlink(part.c_str());
    return Fail(absl::StrCat("cannot write ", part, ": ", std::strerror(saved_errno)));
  }
  if (written != expected) {
    ::unlink(part.c_str());
    return Fail(absl::StrCat("the server announced ", expected, " bytes but sent ", written));
  }
  if (::rename(part.c_str(), f.file.c_str()) != 0) {
    return Fail(absl::StrCat("cannot rename ", part, ": ", std::strerror(errno)));
  }
  if (json) {
    std::cout << "{\"file\":\"" << f.file << "\",\"bytes\":" << written
              << ",\"schema_version\":" << schema_version << "}\n";
  } else {
    std::cout << "backed up " << written << " bytes (schema version " << schema_version << ") to "
              << f.file << "\n";
  }
  return cli::kExitOk;
}

}  // namespace

void AddAdminCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* admin = app.add_subcommand("admin", "Operating the server (admins of every office)")
                        ->require_subcommand(1);
  auto flags = std::make_shared<BackupFlags>();
  CLI::App* b = admin->add_subcommand(
      "backup", "Write a consistent copy of the server's database to FILE (mode 0600)");
  b->add_option("file", flags->file, "where to write the copy")->required();
  b->add_flag("--force", flags->force, "replace FILE if it exists");
  b->add_option("--timeout-s", flags->timeout_s, "give up after this many seconds (default 3600)");
  b->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Backup(*client, *flags, global.json);
  });
}

}  // namespace rebook::ctl
