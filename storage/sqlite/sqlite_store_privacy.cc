// SqliteStore::FlushErasures: the WAL half of "erased means gone from the file".
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/connection.h"
#include "storage/sqlite/internal/connection_pool.h"
#include "storage/sqlite/internal/errors.h"
#include "storage/sqlite/sqlite_store.h"

namespace rebook::storage {

absl::Status SqliteStore::FlushErasures(const TransactionOptions& options) {
  const sqlite_internal::SteadyTime deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  // The write connection: no write transaction runs meanwhile, so every frame in the WAL is
  // committed and the checkpoint only waits for readers.
  REBOOK_ASSIGN_OR_RETURN(sqlite_internal::ConnectionPool::Lease writer,
                          pool_->AcquireWriter(deadline));
  writer->set_busy_deadline(deadline);
  for (int attempt = 0;; ++attempt) {
    bool busy = true;
    try {
      // One row: busy (1 if readers or the background checkpointer kept it from finishing),
      // WAL frames, frames checkpointed.
      SQLite::Statement q(writer->db(), "PRAGMA wal_checkpoint(TRUNCATE)");
      if (q.executeStep()) busy = q.getColumn(0).getInt() != 0;
    } catch (...) {
      const int code = sqlite_internal::CurrentExceptionSqliteCode();
      if (code == -1 || !sqlite_internal::IsBusyCode(code)) {
        return sqlite_internal::StatusFromCurrentException("checkpoint and truncate the WAL");
      }
    }
    if (!busy) return absl::OkStatus();
    if (!sqlite_internal::BackoffUntil(deadline, attempt)) {
      return absl::DeadlineExceededError(absl::StrCat("readers kept the WAL of ", options_.path,
                                                      " from being truncated until the deadline"));
    }
  }
}

}  // namespace rebook::storage
