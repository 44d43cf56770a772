// SqliteStore as StoreMaintenance: the online backup, the counts by state of the metrics
// endpoint and the lock-wait totals.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/connection.h"
#include "storage/sqlite/internal/connection_pool.h"
#include "storage/sqlite/internal/errors.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_store.h"

namespace rebook::storage {
namespace {

using sqlite_internal::Connection;
using sqlite_internal::SteadyTime;

// Removes the file unless dismissed: a failed backup leaves nothing behind.
class PartialFile {
 public:
  explicit PartialFile(std::string path) : path_(std::move(path)) {}
  ~PartialFile() {
    if (armed_) {
      ::unlink(path_.c_str());
      ::unlink((path_ + "-journal").c_str());
    }
  }
  void Keep() { armed_ = false; }

 private:
  std::string path_;
  bool armed_ = true;
};

// fsyncs the file and the folder that holds it, so that the copy survives a power cut.
absl::Status SyncFileAndFolder(const std::string& path) {
  for (const std::string& p : {path, path.substr(0, path.find_last_of('/') + 1)}) {
    const std::string target = p.empty() ? "." : p;
    const int fd = ::open(target.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return sqlite_internal::StatusFromErrno(absl::StrCat("open ", target));
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return sqlite_internal::StatusFromErrno(absl::StrCat("fsync ", target));
  }
  return absl::OkStatus();
}

// Copies `src` (inside its open read transaction) into the empty file `path`.
absl::Status CopyPages(sqlite3* src, const std::string& path, const BackupOptions& options,
                       SteadyTime deadline, BackupResult& result) {
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &dest, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    std::string error = dest != nullptr ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    sqlite3_close(dest);
    return absl::UnavailableError(absl::StrCat("open backup file ", path, ": ", error));
  }
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", src, "main");
  if (backup == nullptr) {
    std::string error = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    return absl::InternalError(absl::StrCat("sqlite3_backup_init: ", error));
  }
  absl::Status status;
  for (int attempt = 0;;) {
    rc = sqlite3_backup_step(backup, options.pages_per_step);
    ++result.steps;
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      if (!sqlite_internal::BackoffUntil(deadline, attempt++)) {
        status = absl::DeadlineExceededError("the backup met a lock until its deadline");
        break;
      }
      continue;
    }
    if (rc != SQLITE_OK) {
      status = absl::UnavailableError(absl::StrCat("sqlite3_backup_step: ", sqlite3_errstr(rc)));
      break;
    }
    attempt = 0;
    if (std::chrono::steady_clock::now() >= deadline) {
      status = absl::DeadlineExceededError("the backup did not finish before its deadline");
      break;
    }
    if (options.pause.count() > 0) std::this_thread::sleep_for(options.pause);
  }
  result.pages = sqlite3_backup_pagecount(backup);
  rc = sqlite3_backup_finish(backup);
  if (status.ok() && rc != SQLITE_OK) {
    status = absl::UnavailableError(absl::StrCat("sqlite3_backup_finish: ", sqlite3_errstr(rc)));
  }
  if (sqlite3_close(dest) != SQLITE_OK && status.ok()) {
    status = absl::InternalError("closing the backup file failed");
  }
  return status;
}

}  // namespace

absl::StatusOr<BackupResult> SqliteStore::Backup(const std::string& path,
                                                 const BackupOptions& options) {
  if (options.pages_per_step < 1) {
    return absl::InvalidArgumentError("pages_per_step must be at least 1");
  }
  const SteadyTime deadline =
      options.deadline.value_or(SteadyTime::max() - std::chrono::hours(24 * 365));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError(absl::StrCat(path, " exists already"));
    return sqlite_internal::StatusFromErrno(absl::StrCat("create ", path));
  }
  ::close(fd);
  PartialFile partial(path);

  // A connection of its own, so that no request's reader is held for the whole copy.
  REBOOK_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> source,
      Connection::Open(
          options_.path, Connection::Role::kReader, /*create=*/false,
          std::min(deadline, std::chrono::steady_clock::now() + options_.default_timeout)));
  source->set_busy_deadline(deadline);
  BackupResult result;
  try {
    // The read transaction starts with the first read and pins that snapshot until COMMIT:
    // commits of other connections during the copy neither enter it nor restart it.
    source->db().exec("BEGIN");
    REBOOK_ASSIGN_OR_RETURN(result.schema_version, sqlite::SchemaVersion(source->db()));
    absl::Status copied = CopyPages(source->db().getHandle(), path, options, deadline, result);
    source->db().exec("COMMIT");
    REBOOK_RETURN_IF_ERROR(copied);
  } catch (...) {
    return sqlite_internal::StatusFromCurrentException("backup");
  }
  REBOOK_RETURN_IF_ERROR(SyncFileAndFolder(path));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return sqlite_internal::StatusFromErrno(absl::StrCat("stat ", path));
  result.bytes = st.st_size;
  partial.Keep();
  return result;
}

absl::StatusOr<OperationalCounts> SqliteStore::CountByState(const TransactionOptions& options) {
  const SteadyTime deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  REBOOK_ASSIGN_OR_RETURN(sqlite_internal::ConnectionPool::Lease lease,
                          pool_->AcquireReader(deadline));
  Connection& connection = *lease;
  connection.set_busy_deadline(deadline);
  OperationalCounts counts;
  try {
    connection.db().exec("BEGIN");
    struct EndRead {
      Connection& c;
      ~EndRead() {
        if (sqlite3_get_autocommit(c.db().getHandle()) == 0) c.db().tryExec("ROLLBACK");
      }
    } end_read{connection};
    {
      auto s = connection.Prepare(
          "SELECT channel, state, COUNT(*) FROM outbox_messages GROUP BY state, channel");
      while (s->executeStep()) {
        REBOOK_ASSIGN_OR_RETURN(domain::MessageState state,
                                sqlite_internal::DecodeMessageState(s->getColumn(1).getString()));
        counts.messages.push_back({.channel = s->getColumn(0).getString(),
                                   .state = state,
                                   .count = s->getColumn(2).getInt64()});
      }
    }
    {
      auto s =
          // One index seek per state (migration 7); MIN over `state IN (...)` read every row.
          connection.Prepare(
              "SELECT MIN(t) FROM (SELECT MIN(create_time) AS t FROM outbox_messages WHERE state = "
              "?"
              " UNION ALL SELECT MIN(create_time) FROM outbox_messages WHERE state = ?)");
      s->bind(1, std::string(domain::ToString(domain::MessageState::kPending)));
      s->bind(2, std::string(domain::ToString(domain::MessageState::kLeased)));
      if (s->executeStep() && !s->getColumn(0).isNull()) {
        counts.oldest_unsent_create_time =
            sqlite_internal::FromUnixSeconds(s->getColumn(0).getInt64());
      }
    }
    {
      auto s = connection.Prepare("SELECT state, COUNT(*) FROM offers GROUP BY state");
      while (s->executeStep()) {
        REBOOK_ASSIGN_OR_RETURN(domain::OfferState state,
                                sqlite_internal::DecodeOfferState(s->getColumn(0).getString()));
        counts.offers.emplace_back(state, s->getColumn(1).getInt64());
      }
    }
    {
      auto s = connection.Prepare("SELECT COUNT(*) FROM outages WHERE state = ?");
      s->bind(1, std::string(domain::ToString(domain::OutageState::kActive)));
      if (s->executeStep()) counts.open_outages = s->getColumn(0).getInt64();
    }
  } catch (...) {
    return sqlite_internal::StatusFromCurrentException("count rows by state");
  }
  return counts;
}

LockWaitTotals SqliteStore::lock_waits() const {
  const sqlite_internal::LockWaitCounters& c = pool_->wait_counters();
  LockWaitTotals t;
  t.busy_waits = c.busy_waits.load(std::memory_order_relaxed);
  t.busy_wait_seconds = static_cast<double>(c.busy_wait_ns.load(std::memory_order_relaxed)) / 1e9;
  t.writer_queue_waits = c.writer_queue_waits.load(std::memory_order_relaxed);
  t.writer_queue_wait_seconds =
      static_cast<double>(c.writer_queue_wait_ns.load(std::memory_order_relaxed)) / 1e9;
  return t;
}

}  // namespace rebook::storage
