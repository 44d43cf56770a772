// The SQLite schema of the audit log (migration step 5, see migrations.cc).
//
// `audit_entries` holds one row per audited call, in append order (`seq` = 1, 2, ...). Rows are
// append-only: triggers refuse every UPDATE and DELETE, so only someone who edits the file (or
// drops the triggers) can change a row, and the hash chain (services/audit) shows that.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_AUDIT_SCHEMA_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_AUDIT_SCHEMA_H_

#include <string_view>

namespace rebook::storage::sqlite_internal {

// Creates audit_entries, its indexes and the append-only triggers. No BEGIN/COMMIT.
inline constexpr std::string_view kAuditSchema = R"sql(
CREATE TABLE audit_entries (
  seq INTEGER PRIMARY KEY NOT NULL,  -- 1, 2, ... in append order
  time INTEGER NOT NULL,             -- Unix time in seconds
  principal TEXT NOT NULL,
  role TEXT NOT NULL,
  offices TEXT NOT NULL,             -- JSON array of office ids, ["*"] for every office
  method TEXT NOT NULL,              -- e.g. rebook.v1.AppointmentService/GetAppointment
  category TEXT NOT NULL,            -- personal_data_read | personal_data_change | privileged
  resources TEXT NOT NULL,           -- JSON array of resource names
  record_count INTEGER NOT NULL,
  outcome TEXT NOT NULL,             -- gRPC status code name, e.g. OK, NOT_FOUND
  request_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,           -- hex SHA-256 of the previous entry ('' for seq 1)
  hash TEXT NOT NULL                 -- hex SHA-256(prev_hash || canonical form of this entry)
);
CREATE INDEX audit_entries_by_time ON audit_entries(time, seq);
CREATE INDEX audit_entries_by_principal ON audit_entries(principal, seq);
CREATE INDEX audit_entries_by_method ON audit_entries(method, seq);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
)sql";

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_AUDIT_SCHEMA_H_
