#include "storage/sqlite/internal/connection.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/errors.h"

namespace rebook::storage::sqlite_internal {

StatementLease::StatementLease(StatementLease&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(std::move(other.owned_)) {}

StatementLease::~StatementLease() {
  if (statement_ == nullptr) return;
  // tryReset() reports the error of the last step again, which was already handled.
  statement_->tryReset();
  if (in_use_ != nullptr) *in_use_ = false;
}

void Connection::SetSynchronous(int level) {
  if (level == synchronous_) return;
  db_.exec(level == 1 ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
  synchronous_ = level;
}

void Connection::SetCacheSize(int kib) {
  if (kib == cache_kib_) return;
  db_.exec(absl::StrCat("PRAGMA cache_size=-", kib));
  cache_kib_ = kib;
}

bool BackoffUntil(SteadyTime deadline, int attempt) {
  static constexpr std::array<int, 8> kDelaysMs = {1, 2, 5, 10, 15, 20, 25, 50};
  const auto now = std::chrono::steady_clock::now();
  if (now >= deadline) return false;
  const auto step = std::chrono::milliseconds(kDelaysMs[std::min<std::size_t>(
      static_cast<std::size_t>(std::max(attempt, 0)), kDelaysMs.size() - 1)]);
  std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(step, deadline - now));
  return true;
}

namespace {

// SQLite creates a new database file with 0644 & ~umask, and its -wal and -shm files with the
// database file's mode. Creating the (empty) file 0600 first keeps all three private to the
// owner whatever the process umask: they hold personal data. A path SQLite parses as a URI
// is left to SQLite. Returns `path`, so it can run before `db_` is constructed.
const std::string& CreatePrivateFile(const std::string& path, bool create) {
  if (create && !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) ::close(fd);  // EEXIST and others: SQLite opens the file and reports errors
  }
  return path;
}

// SQLite counts every allocation it makes for sqlite3_status() unless told not to, under one
// process-wide mutex: a lock and an unlock per malloc and free of every connection. Nothing
// here reads those counters. Must run before SQLite initializes; if something else in the
// process initialized it first, the call fails (SQLITE_MISUSE) and changes nothing.
bool NoMemoryStatistics() {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  return true;
}

const std::string& BeforeFirstOpen(const std::string& path) {
  static const bool configured = NoMemoryStatistics();
  (void)configured;
  return path;
}

}  // namespace

Connection::Connection(const std::string& path, Role role, bool create)
    : role_(role),
      db_(CreatePrivateFile(BeforeFirstOpen(path), create),
          SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX | (create ? SQLite::OPEN_CREATE : 0)),
      busy_deadline_(std::chrono::steady_clock::now()) {}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Role role,
                                                             bool create, SteadyTime deadline) {
  try {
    std::unique_ptr<Connection> conn(new Connection(path, role, create));
    conn->set_busy_deadline(deadline);
    sqlite3_busy_handler(conn->db_.getHandle(), &Connection::BusyHandler, conn.get());
    // journal_mode=WAL is stored in the file; the other pragmas hold per connection.
    conn->db_.exec("PRAGMA journal_mode=WAL");
    conn->db_.exec("PRAGMA synchronous=FULL");
    conn->db_.exec("PRAGMA foreign_keys=ON");
    conn->db_.exec("PRAGMA temp_store=MEMORY");
    // Deleted and overwritten content is zeroed in its pages, so erased personal data does not
    // linger in free space (GDPR Art. 17, 32; see docs/privacy.md).
    conn->db_.exec("PRAGMA secure_delete=ON");
    // A bulk import inserts into six b-trees at scattered positions; with the default 2 MB
    // cache SQLite spills and re-reads index pages mid-transaction (measured: 100k shuffled
    // appointments take 1.8x as long). The cache only grows as pages are used.
    if (role == Role::kWriter) conn->SetCacheSize(kWriterCacheKib);
    if (role == Role::kReader) conn->db_.exec("PRAGMA query_only=ON");
    return conn;
  } catch (...) {
    return StatusFromCurrentException(absl::StrCat("open sqlite database ", path));
  }
}

int Connection::BusyHandler(void* self, int attempt) {
  auto* conn = static_cast<Connection*>(self);
  LockWaitCounters* counters = conn->wait_counters_;
  if (counters == nullptr) return BackoffUntil(conn->busy_deadline_, attempt) ? 1 : 0;
  if (attempt == 0) counters->busy_waits.fetch_add(1, std::memory_order_relaxed);
  const auto start = std::chrono::steady_clock::now();
  const bool retry = BackoffUntil(conn->busy_deadline_, attempt);
  counters->busy_wait_ns.fetch_add(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start)
          .count(),
      std::memory_order_relaxed);
  return retry ? 1 : 0;
}

StatementLease Connection::Prepare(const std::string& sql) {
  auto [it, inserted] = cache_.try_emplace(sql);
  CacheSlot& slot = it->second;
  if (inserted) {
    try {
      slot.statement = std::make_unique<SQLite::Statement>(db_, sql);
    } catch (...) {
      cache_.erase(it);
      throw;
    }
  }
  if (slot.in_use) {
    auto fresh = std::make_unique<SQLite::Statement>(db_, sql);
    SQLite::Statement* raw = fresh.get();
    return StatementLease(raw, nullptr, std::move(fresh));
  }
  slot.in_use = true;
  return StatementLease(slot.statement.get(), &slot.in_use, nullptr);
}

}  // namespace rebook::storage::sqlite_internal
