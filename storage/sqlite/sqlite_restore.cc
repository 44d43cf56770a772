#include "storage/sqlite/sqlite_restore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/errors.h"
#include "storage/sqlite/migrations.h"

namespace rebook::storage {
namespace {

std::string FolderOf(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

absl::Status SyncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sqlite_internal::StatusFromErrno(absl::StrCat("open ", path));
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? absl::OkStatus()
                 : sqlite_internal::StatusFromErrno(absl::StrCat("fsync ", path));
}

// Copies `from` into the new file `to` (mode 0600) and fsyncs it. Returns the bytes copied.
absl::StatusOr<std::int64_t> CopyFile(const std::string& from, const std::string& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no backup file ", from));
    return sqlite_internal::StatusFromErrno(absl::StrCat("open ", from));
  }
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    ::close(in);
    return sqlite_internal::StatusFromErrno(absl::StrCat("create ", to));
  }
  std::vector<char> buffer(1 << 20);
  std::int64_t total = 0;
  absl::Status status;
  for (;;) {
    const ssize_t n = ::read(in, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = sqlite_internal::StatusFromErrno(absl::StrCat("read ", from));
      break;
    }
    if (n == 0) break;
    for (ssize_t done = 0; done < n;) {
      const ssize_t w = ::write(out, buffer.data() + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        status = sqlite_internal::StatusFromErrno(absl::StrCat("write ", to));
        break;
      }
      done += w;
    }
    if (!status.ok()) break;
    total += n;
  }
  if (status.ok() && ::fsync(out) != 0)
    status = sqlite_internal::StatusFromErrno(absl::StrCat("fsync ", to));
  ::close(in);
  if (::close(out) != 0 && status.ok())
    status = sqlite_internal::StatusFromErrno(absl::StrCat("close ", to));
  REBOOK_RETURN_IF_ERROR(status);
  return total;
}

// integrity_check and the schema version of the copy, and a new change-feed epoch; closes it
// cleanly (no -wal left).
absl::StatusOr<int> CheckCopy(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    SQLite::Statement check(db, "PRAGMA integrity_check");
    std::vector<std::string> problems;
    while (check.executeStep()) problems.push_back(check.getColumn(0).getString());
    if (problems.size() != 1 || problems[0] != "ok") {
      return absl::FailedPreconditionError(
          absl::StrCat("the backup fails PRAGMA integrity_check: ",
                       problems.empty() ? std::string("no answer") : problems[0]));
    }
    REBOOK_ASSIGN_OR_RETURN(int version, sqlite::SchemaVersion(db));
    const int newest = static_cast<int>(sqlite::SchemaMigrations().size());
    if (version < 1) {
      return absl::FailedPreconditionError("the backup holds no rebook schema");
    }
    if (version > newest) {
      return absl::FailedPreconditionError(absl::StrCat("the backup has schema version ", version,
                                                        ", newer than this binary's ", newest,
                                                        ": restore it with a newer rebookd"));
    }
    // The change feed's events numbered from here on must not repeat the event ids the
    // original database gave the same cursors after this backup was taken (schema_step9.h).
    if (db.tableExists("change_feed_epoch")) {
      db.exec("UPDATE change_feed_epoch SET epoch = lower(hex(randomblob(8)))");
    }
    return version;
  } catch (...) {
    return absl::FailedPreconditionError(
        absl::StrCat("the backup is not a readable SQLite database: ",
                     sqlite_internal::StatusFromCurrentException("open backup copy").message()));
  }
}

bool Exists(const std::string& path, struct stat* st) { return ::stat(path.c_str(), st) == 0; }

}  // namespace

absl::StatusOr<RestoreResult> RestoreSqliteBackup(const RestoreOptions& options) {
  if (options.backup_path.empty() || options.db_path.empty()) {
    return absl::InvalidArgumentError("restore needs a backup file and a database path");
  }
  struct stat st {};
  if (!options.overwrite && Exists(options.db_path, &st) && st.st_size > 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.db_path,
                     " exists and is not empty; stop rebookd and pass --restore_overwrite to "
                     "replace it"));
  }
  const std::string tmp = options.db_path + ".restore-tmp";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    ::unlink((tmp + suffix).c_str());  // left by an earlier restore that stopped midway
  }
  RestoreResult result;
  auto fail = [&](absl::Status s) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((tmp + suffix).c_str());
    return s;
  };
  absl::StatusOr<std::int64_t> bytes = CopyFile(options.backup_path, tmp);
  if (!bytes.ok()) return fail(bytes.status());
  result.bytes = *bytes;
  absl::StatusOr<int> version = CheckCopy(tmp);
  if (!version.ok()) return fail(version.status());
  result.schema_version = *version;
  if (Exists(tmp + "-wal", &st) && st.st_size > 0) {
    return fail(absl::InternalError("the checked copy kept a write-ahead log"));
  }
  ::unlink((tmp + "-wal").c_str());
  ::unlink((tmp + "-shm").c_str());
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string old = options.db_path + suffix;
    if (::unlink(old.c_str()) != 0 && errno != ENOENT) {
      return fail(sqlite_internal::StatusFromErrno(absl::StrCat("remove ", old)));
    }
  }
  if (::rename(tmp.c_str(), options.db_path.c_str()) != 0) {
    return fail(
        sqlite_internal::StatusFromErrno(absl::StrCat("rename ", tmp, " to ", options.db_path)));
  }
  REBOOK_RETURN_IF_ERROR(SyncPath(FolderOf(options.db_path)));
  return result;
}

}  // namespace rebook::storage
