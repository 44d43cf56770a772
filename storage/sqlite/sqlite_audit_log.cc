#include "storage/sqlite/sqlite_audit_log.h"

#include <algorithm>

#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/status_macros.h"
#include "storage/audit_page_token.h"
#include "storage/sqlite/internal/connection.h"
#include "storage/sqlite/internal/errors.h"

namespace rebook::storage {
namespace {

using sqlite_internal::Connection;

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

}  // namespace

SqliteAuditLog::SqliteAuditLog(SqliteAuditLogOptions options,
                               std::unique_ptr<sqlite_internal::Connection> connection)
    : options_(std::move(options)), connection_(std::move(connection)) {}

SqliteAuditLog::~SqliteAuditLog() = default;

absl::StatusOr<std::unique_ptr<SqliteAuditLog>> SqliteAuditLog::Open(
    const SqliteAuditLogOptions& options) {
  REBOOK_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> connection,
      Connection::Open(options.path, Connection::Role::kWriter, /*create=*/false,
                       std::chrono::steady_clock::now() + options.default_timeout));
  try {
    SQLite::Statement q(connection->db(),
                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                        "name = 'audit_entries'");
    if (!q.executeStep() || q.getColumn(0).getInt() != 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          options.path, " has no audit table; open it with SqliteStore first (migration 5)"));
    }
  } catch (...) {
    return sqlite_internal::StatusFromCurrentException("check the audit table");
  }
  return std::unique_ptr<SqliteAuditLog>(new SqliteAuditLog(options, std::move(connection)));
}

absl::Status SqliteAuditLog::Run(bool write, const TransactionOptions& options,
                                 absl::FunctionRef<absl::Status()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  connection_->set_busy_deadline(deadline);
  SQLite::Database& db = connection_->db();
  bool open = false;
  try {
    db.exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
    open = true;
    absl::Status result = fn();
    if (result.ok() && write) {
      db.exec("COMMIT");
      return result;
    }
    db.exec("ROLLBACK");
    return result;
  } catch (...) {
    absl::Status failed;
    if (sqlite_internal::IsBusyCode(sqlite_internal::CurrentExceptionSqliteCode())) {
      failed =
          absl::DeadlineExceededError("audit log: the database stayed busy until the deadline");
    } else {
      failed = sqlite_internal::StatusFromCurrentException(write ? "append audit entry"
                                                                 : "read audit log");
    }
    if (open) {
      try {
        db.exec("ROLLBACK");
      } catch (...) {
        // The failed statement may have ended the transaction already.
      }
    }
    return failed;
  }
}

absl::Status SqliteAuditLog::Append(
    const TransactionOptions& options,
    absl::FunctionRef<absl::StatusOr<AuditRecord>(const AuditChainTip&)> seal) {
  PendingAppend me{.seal = seal,
                   .deadline = options.deadline.value_or(std::chrono::steady_clock::now() +
                                                         options_.default_timeout)};
  std::unique_lock<std::mutex> lock(queue_mu_);
  queue_.push_back(&me);
  while (!me.done) {
    if (leading_) {
      appended_.wait(lock);
      continue;
    }
    // Lead: append what is queued (our own entry among it, unless more than a batch is ahead).
    leading_ = true;
    std::vector<PendingAppend*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    AppendBatch(batch);
    lock.lock();
    for (PendingAppend* p : batch) p->done = true;
    stats_.appends += static_cast<std::int64_t>(batch.size());
    stats_.largest_batch = std::max<std::int64_t>(stats_.largest_batch, batch.size());
    leading_ = false;
    appended_.notify_all();
  }
  return me.result;
}

void SqliteAuditLog::AppendBatch(const std::vector<PendingAppend*>& batch) {
  // The latest deadline of the batch: no entry fails for another caller's shorter one.
  TransactionOptions options;
  for (const PendingAppend* p : batch) {
    options.deadline = std::max(options.deadline.value_or(p->deadline), p->deadline);
  }
  absl::Status shared = Run(/*write=*/true, options, [&]() -> absl::Status {
    AuditChainTip tip;
    REBOOK_RETURN_IF_ERROR(ReadTip(tip));
    for (PendingAppend* p : batch) {
      p->result = AppendOne(*p, tip);
      // A refused seal appended nothing and concerns only its caller; any other error leaves
      // the transaction in doubt, so the batch is rolled back and run again entry by entry.
      if (!p->result.ok() && !p->sealed_out) return p->result;
    }
    return absl::OkStatus();
  });
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    ++stats_.transactions;
  }
  if (shared.ok()) return;
  if (batch.size() == 1) {
    batch.front()->result = shared;
    return;
  }
  for (PendingAppend* p : batch) {
    TransactionOptions alone;
    alone.deadline = p->deadline;
    p->sealed_out = false;
    absl::Status s = Run(/*write=*/true, alone, [&]() -> absl::Status {
      AuditChainTip tip;
      REBOOK_RETURN_IF_ERROR(ReadTip(tip));
      return AppendOne(*p, tip);
    });
    p->result = s;
    std::lock_guard<std::mutex> lock(queue_mu_);
    ++stats_.transactions;
  }
}

absl::Status SqliteAuditLog::ReadTip(AuditChainTip& tip) {
  auto q = connection_->Prepare("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1");
  if (q->executeStep()) {
    tip.seq = q->getColumn(0).getInt64();
    tip.hash = q->getColumn(1).getString();
  }
  return absl::OkStatus();
}

absl::Status SqliteAuditLog::AppendOne(PendingAppend& p, AuditChainTip& tip) {
  absl::StatusOr<AuditRecord> sealed = p.seal(tip);
  if (!sealed.ok()) {
    p.sealed_out = true;
    return sealed.status();
  }
  const AuditRecord& r = *sealed;
  if (r.seq != tip.seq + 1) {
    p.sealed_out = true;
    return absl::InternalError(absl::StrCat("audit entry ", r.seq, " does not follow ", tip.seq));
  }
  auto insert = connection_->Prepare(
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
  tip = AuditChainTip{.seq = r.seq, .hash = r.hash};
  return absl::OkStatus();
}

SqliteAuditLog::Stats SqliteAuditLog::stats() {
  std::lock_guard<std::mutex> lock(queue_mu_);
  return stats_;
}

int SqliteAuditLog::queued() {
  std::lock_guard<std::mutex> lock(queue_mu_);
  return static_cast<int>(queue_.size());
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
  REBOOK_RETURN_IF_ERROR(Run(/*write=*/false, options, [&]() -> absl::Status {
    auto q = connection_->Prepare(sql);
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
  return Run(/*write=*/false, options, [&]() -> absl::Status {
    SQLite::Statement q(connection_->db(),
                        absl::StrCat("SELECT ", kColumns, " FROM audit_entries ORDER BY seq"));
    while (q.executeStep()) REBOOK_RETURN_IF_ERROR(fn(ReadRecord(q)));
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage
