// RestoreSqliteBackup: puts a backup file (StoreMaintenance::Backup, `rebookctl admin backup`)
// in place as a store's database file. rebookd --restore runs it; rebookd must not be running
// on that file.
//
//   absl::Status s = storage::RestoreSqliteBackup({.backup_path = "/tmp/rebook-2026-12-05.db",
//                                                  .db_path = "/var/lib/rebook/rebook.db"});
//
// Steps: copy the backup next to the database (a temporary file, mode 0600, fsynced); check
// the copy with PRAGMA integrity_check and its schema version (at least 1, at most this
// binary's newest migration); give the copy's change feed a new event-id epoch
// (docs/changes.md); remove the old database's -wal and -shm files (an old log must
// never be replayed onto another file); rename the copy over the database; fsync the folder.
// The backup file itself is only read.
// Errors: NOT_FOUND (no backup), FAILED_PRECONDITION (the database exists and is not empty
// while `overwrite` is false; the copy fails its checks; a schema newer than this binary),
// UNAVAILABLE (I/O). On error the database file is left as it was, and the temporary copy is
// removed.
#ifndef REBOOK_STORAGE_SQLITE_SQLITE_RESTORE_H_
#define REBOOK_STORAGE_SQLITE_SQLITE_RESTORE_H_

#include <string>

#include "absl/status/statusor.h"

namespace rebook::storage {

struct RestoreOptions {
  std::string backup_path;
  std::string db_path;
  // Replace a database file that holds data. Default: refuse.
  bool overwrite = false;
};

struct RestoreResult {
  int schema_version = 0;
  std::int64_t bytes = 0;
};

absl::StatusOr<RestoreResult> RestoreSqliteBackup(const RestoreOptions& options);

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_SQLITE_SQLITE_RESTORE_H_
