#include "storage/sqlite/sqlite_audit_log.h"

#include <algorithm>
#include <utility>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/status_macros.h"
#include "sqlite3.h"
#include "storage/audit_page_token.h"
#include "storage/sqlite/internal/connection.h"
#include "storage/sqlite/internal/connection_pool.h"
#include "storage/sqlite/internal/errors.h"
#include "storage/sqlite/sqlite_store.h"

namespace rebook::storage {
namespace {

using sqlite_internal::Connection;
using sqlite_internal::ConnectionPool;

constexpr char kColumns[] =
    "seq, time, principal, role, offices, method, category, resources, record_count, outcome, "
    "request_id, prev_hash, hash";

// Lists are stored as JSON arrays of strings, so that any value round-trips exactly (the hash
// covers them).
std::string ToJson(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }

std::vector<std::string> FromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return {"<not a JSON array: " + text + ">"};
  for (const auto& item : j)
    out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

AuditRecord ReadRecord(SQLite::Statement& q) {
  AuditRecord r;
  r.seq = q.getColumn(0).getInt64();
  r.time = Instant(std::chrono::seconds(q.getColumn(1).getInt64()));
  r.principal = q.getColumn(2).getString();
  r.role = q.getColumn(3).getString();
  r.offices = FromJson(q.getColumn(4).getString());
  r.method = q.getColumn(5).getString();
  r.category = q.getColumn(6).getString();
  r.resources = FromJson(q.getColumn(7).getString());
  r.record_count = q.getColumn(8).getInt64();
  r.outcome = q.getColumn(9).getString();
  r.request_id = q.getColumn(10).getString();
  r.prev_hash = q.getColumn(11).getString();
  r.hash = q.getColumn(12).getString();
  return r;
}

AuditChainTip ReadTip(Connection& connection) {
  AuditChainTip tip;
  auto q = connection.Prepare("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1");
  if (q->executeStep()) {
    tip.seq = q->getColumn(0).getInt64();
    tip.hash = q->getColumn(1).getString();
  }
  return tip;
}

void InsertRecord(Connection& connection, const AuditRecord& r) {
  auto insert = connection.Prepare(
      absl::StrCat("INSERT INTO audit_entries(", kColumns, ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  insert->bind(1, r.seq);
  insert->bind(2, static_cast<std::int64_t>(r.time.time_since_epoch().count()));
  insert->bind(3, r.principal);
  insert->bind(4, r.role);
  insert->bind(5, ToJson(r.offices));
  insert->bind(6, r.method);
  insert->bind(7, r.category);
  insert->bind(8, ToJson(r.resources));
  insert->bind(9, r.record_count);
  insert->bind(10, r.outcome);
  insert->bind(11, r.request_id);
  insert->bind(12, r.prev_hash);
  insert->bind(13, r.hash);
  insert->exec();
}

// The error of a failed audit statement: a lock held past the deadline is DEADLINE_EXCEEDED.
absl::Status CurrentError(const char* what) {
  if (sqlite_internal::IsBusyCode(sqlite_internal::CurrentExceptionSqliteCode())) {
    return absl::DeadlineExceededError("audit log: the database stayed busy until the deadline");
  }
  return sqlite_internal::StatusFromCurrentException(what);
}

// Ends the connection's transaction, if one is still open (SQLite may have rolled it back).
void RollbackAuditQuietly(Connection& connection) {
  if (sqlite3_get_autocommit(connection.db().getHandle()) != 0) return;
  try {
    connection.db().exec("ROLLBACK");
  } catch (...) {
    // Nothing more to undo.
  }
}

}  // namespace

SqliteAuditLog::SqliteAuditLog(SqliteAuditLogOptions options,
                               std::shared_ptr<sqlite_internal::ConnectionPool> pool)
    : options_(std::move(options)),
      pool_(std::move(pool)),
      group_([this](AuditGroupCommit::SteadyTime deadline, AuditGroupCommit::Body body) {
        return AppendTransaction(deadline, body);
      }) {}

SqliteAuditLog::~SqliteAuditLog() = default;

absl::StatusOr<std::unique_ptr<SqliteAuditLog>> SqliteAuditLog::Open(
    const SqliteAuditLogOptions& options) {
  // One reader is enough for the auditor's calls; SQLite's own auto-checkpoint, as before.
  REBOOK_ASSIGN_OR_RETURN(
      std::unique_ptr<ConnectionPool> pool,
      ConnectionPool::Open(options.path, /*readers=*/1, /*checkpoint_pages=*/0,
                           std::chrono::steady_clock::now() + options.default_timeout));
  return OpenOn(options, std::move(pool));
}

absl::StatusOr<std::unique_ptr<SqliteAuditLog>> SqliteAuditLog::Open(
    SqliteStore& store, const SqliteAuditLogOptions& options) {
  SqliteAuditLogOptions on_store = options;
  on_store.path = store.options().path;
  return OpenOn(std::move(on_store), store.pool_);
}

absl::StatusOr<std::unique_ptr<SqliteAuditLog>> SqliteAuditLog::OpenOn(
    SqliteAuditLogOptions options, std::shared_ptr<sqlite_internal::ConnectionPool> pool) {
  std::unique_ptr<SqliteAuditLog> log(new SqliteAuditLog(std::move(options), std::move(pool)));
  bool has_table = false;
  REBOOK_RETURN_IF_ERROR(log->Read({}, [&](Connection& connection) -> absl::Status {
    SQLite::Statement q(connection.db(),
                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                        "name = 'audit_entries'");
    has_table = q.executeStep() && q.getColumn(0).getInt() == 1;
    return absl::OkStatus();
  }));
  if (!has_table) {
    return absl::FailedPreconditionError(absl::StrCat(
        log->options_.path, " has no audit table; open it with SqliteStore first (migration 5)"));
  }
  return log;
}

absl::Status SqliteAuditLog::AppendTransaction(AuditGroupCommit::SteadyTime deadline,
                                               AuditGroupCommit::Body body) {
  REBOOK_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->AcquireWriter(deadline));
  Connection& connection = *lease;
  connection.set_busy_deadline(deadline);
  try {
    // The store's writer may have run at synchronous=NORMAL: an entry is always FULL (its
    // fsync also makes the NORMAL commits before it durable: the WAL is written in order).
    connection.SetSynchronous(2);
    connection.SetCacheSize(sqlite_internal::kSmallWriteCacheKib);  // a small write
    connection.db().exec("BEGIN IMMEDIATE");
    absl::Status result = body(ReadTip(connection), [&](const AuditRecord& r) -> absl::Status {
      InsertRecord(connection, r);
      return absl::OkStatus();
    });
    if (!result.ok()) {
      RollbackAuditQuietly(connection);
      return result;
    }
    connection.db().exec("COMMIT");
    return absl::OkStatus();
  } catch (...) {
    absl::Status failed = CurrentError("append audit entry");
    RollbackAuditQuietly(connection);
    return failed;
  }
}

absl::Status SqliteAuditLog::Read(const TransactionOptions& options,
                                  absl::FunctionRef<absl::Status(Connection&)> fn) {
  const auto deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  REBOOK_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, pool_->AcquireReader(deadline));
  Connection& connection = *lease;
  connection.set_busy_deadline(deadline);
  try {
    connection.db().exec("BEGIN");
    absl::Status result = fn(connection);
    RollbackAuditQuietly(connection);
    return result;
  } catch (...) {
    absl::Status failed = CurrentError("read audit log");
    RollbackAuditQuietly(connection);
    return failed;
  }
}

absl::Status SqliteAuditLog::Append(
    const TransactionOptions& options,
    absl::FunctionRef<absl::StatusOr<AuditRecord>(const AuditChainTip&)> seal) {
  return group_.Append(
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout), seal);
}

absl::StatusOr<Page<AuditRecord>> SqliteAuditLog::List(const TransactionOptions& options,
                                                       const AuditFilter& filter,
                                                       const PageRequest& page) {
  REBOOK_ASSIGN_OR_RETURN(std::int64_t after, ParseAuditPageToken(page.page_token));
  const int size = std::clamp(page.page_size, 1, 1000);
  // One statement shape: unset filters bind NULL and match everything.
  auto sql = absl::StrCat("SELECT ", kColumns,
                          " FROM audit_entries WHERE seq > ?1"
                          " AND (?2 IS NULL OR time >= ?2) AND (?3 IS NULL OR time < ?3)"
                          " AND (?4 IS NULL OR principal = ?4) AND (?5 IS NULL OR method = ?5)"
                          " AND (?6 IS NULL OR EXISTS (SELECT 1 FROM json_each(offices) AS o"
                          "                           WHERE o.value = ?6 OR o.value = '*'))"
                          " ORDER BY seq LIMIT ?7");
  Page<AuditRecord> result;
  REBOOK_RETURN_IF_ERROR(Read(options, [&](Connection& connection) -> absl::Status {
    auto q = connection.Prepare(sql);
    q->bind(1, after);
    if (filter.from) {
      q->bind(2, static_cast<std::int64_t>(filter.from->time_since_epoch().count()));
    } else {
      q->bind(2);
    }
    if (filter.until) {
      q->bind(3, static_cast<std::int64_t>(filter.until->time_since_epoch().count()));
    } else {
      q->bind(3);
    }
    if (filter.principal)
      q->bind(4, *filter.principal);
    else
      q->bind(4);
    if (filter.method)
      q->bind(5, *filter.method);
    else
      q->bind(5);
    if (filter.office)
      q->bind(6, *filter.office);
    else
      q->bind(6);
    q->bind(7, size + 1);
    while (q->executeStep()) result.items.push_back(ReadRecord(*q));
    return absl::OkStatus();
  }));
  if (result.items.size() > static_cast<std::size_t>(size)) {
    result.items.pop_back();
    result.next_page_token = AuditPageToken(result.items.back().seq);
  }
  return result;
}

absl::Status SqliteAuditLog::Scan(const TransactionOptions& options,
                                  const std::function<absl::Status(const AuditRecord&)>& fn) {
  return Read(options, [&](Connection& connection) -> absl::Status {
    SQLite::Statement q(connection.db(),
                        absl::StrCat("SELECT ", kColumns, " FROM audit_entries ORDER BY seq"));
    while (q.executeStep()) REBOOK_RETURN_IF_ERROR(fn(ReadRecord(q)));
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage
