// The common machinery of SqliteTransaction and the idempotency records. The other record
// types' queries live in *_queries.cc beside this file.
#include "storage/sqlite/internal/sqlite_transaction.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/errors.h"

namespace rebook::storage::sqlite_internal {

absl::Status SqliteTransaction::OnException(const char* what) {
  const int code = CurrentExceptionSqliteCode();
  if (code != -1 && IsBusyCode(code)) {
    needs_retry_ = true;
    if (std::chrono::steady_clock::now() >= deadline_) {
      return absl::DeadlineExceededError(
          absl::StrCat(what, ": the database stayed busy until the deadline"));
    }
    return absl::UnavailableError(
        absl::StrCat(what, ": the database is busy; the transaction will be re-run"));
  }
  return StatusFromCurrentException(what);
}

absl::Status SqliteTransaction::CheckWritable(const char* what) const {
  if (mode_ == Mode::kRead) {
    return absl::FailedPreconditionError(absl::StrCat(what, ": not allowed in a read transaction"));
  }
  return CheckWriteScope(scope_, what);
}

absl::Status SqliteTransaction::WriteAtomically(const char* what,
                                                const std::function<absl::Status()>& body) {
  if (absl::Status s = CheckWritable(what); !s.ok()) return s;
  if (!broken_.ok()) return broken_;
  // The savepoint statements are prepared once per connection (cached), not parsed per
  // call: a capacity import runs one savepoint per record.
  static const std::string* savepoint = new std::string("SAVEPOINT store_op");
  static const std::string* release = new std::string("RELEASE store_op");
  static const std::string* rollback = new std::string("ROLLBACK TO store_op");
  const auto exec = [&](const std::string& sql) { Prepare(sql)->exec(); };
  return Guard(what, [&]() -> absl::Status {
    exec(*savepoint);
    absl::Status result;
    try {
      result = body();
    } catch (...) {
      result = OnException(what);
    }
    if (result.ok()) {
      exec(*release);
      return result;
    }
    try {
      exec(*rollback);
      exec(*release);
    } catch (...) {
      // A busy error may have rolled back the whole transaction already; the runner re-runs it.
      if (!needs_retry_) broken_ = OnException("roll back a failed write");
    }
    return result;
  });
}

absl::Status SqliteTransaction::WriteInChunks(
    const char* what, std::size_t count,
    const std::function<absl::Status(std::size_t, std::size_t)>& write) {
  if (absl::Status s = CheckWritable(what); !s.ok()) return s;
  if (!broken_.ok()) return broken_;
  for (std::size_t begin = 0; begin < count; begin += MultiRowInsert::kMaxRows) {
    const std::size_t end = std::min(count, begin + MultiRowInsert::kMaxRows);
    // The first chunk alone runs in a savepoint (64 rows cost little): a call that fails in it
    // leaves the transaction as it was.
    absl::Status s = begin == 0 ? WriteAtomically(what, [&] { return write(begin, end); })
                                : Guard(what, [&] { return write(begin, end); });
    if (s.ok()) continue;
    // An I/O or memory error may have made SQLite roll back the whole transaction.
    const bool ended = sqlite3_get_autocommit(connection_.db().getHandle()) != 0;
    if ((begin > 0 || ended) && broken_.ok() && !needs_retry_) {
      broken_ = absl::Status(s.code(), absl::StrCat(s.message(),
                                                    " (after part of the bulk write was done: the "
                                                    "transaction is rolled back)"));
    }
    return s;
  }
  return absl::OkStatus();
}

absl::Status SqliteTransaction::InsertRows(
    const MultiRowInsert& shape, std::size_t begin, std::size_t end,
    const std::function<void(SQLite::Statement&, std::size_t, int)>& bind,
    const std::function<absl::Status(const SQLite::Exception&, std::size_t)>& constraint) {
  const int params = static_cast<int>(shape.params());
  for (std::size_t row = begin; row < end;) {
    const std::size_t rows = MultiRowInsert::RowsFor(end - row);
    {
      StatementLease q = Prepare(shape.Sql(rows));
      for (std::size_t i = 0; i < rows; ++i) bind(*q, row + i, static_cast<int>(i) * params);
      try {
        q->exec();
        row += rows;
        continue;
      } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) != SQLITE_CONSTRAINT) throw;
      }
    }
    // Find the row that broke the constraint, then undo the rows before it.
    absl::Status found = WriteAtomically("find the failing row", [&]() -> absl::Status {
      StatementLease one = Prepare(shape.Sql(1));
      for (std::size_t i = row; i < row + rows; ++i) {
        bind(*one, i, 0);
        try {
          one->exec();
          one->reset();
        } catch (const SQLite::Exception& e) {
          if ((e.getErrorCode() & 0xff) != SQLITE_CONSTRAINT) throw;
          return constraint(e, i);
        }
      }
      return absl::InternalError("a multi-row insert failed on a constraint no single row breaks");
    });
    return found;
  }
  return absl::OkStatus();
}

absl::Status SqliteTransaction::ExecExpectingRow(
    const char* what, const std::string& key, const char* sql,
    const std::function<void(SQLite::Statement&)>& bind) {
  return WriteAtomically(what, [&]() -> absl::Status {
    StatementLease statement = Prepare(sql);
    bind(*statement);
    if (statement->exec() == 0) {
      return absl::NotFoundError(absl::StrCat(what, ": no record ", key));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<StoredRequest> SqliteTransaction::FindRequest(const std::string& request_id) {
  return Guard("find request", [&]() -> absl::StatusOr<StoredRequest> {
    StatementLease q =
        Prepare("SELECT method, fingerprint, response FROM requests WHERE request_id = ?");
    q->bindNoCopy(1, request_id);
    if (!q->executeStep()) {
      return absl::NotFoundError(absl::StrCat("no request ", request_id));
    }
    StoredRequest r;
    r.request_id = request_id;
    r.method = q->getColumn(0).getString();
    r.fingerprint = q->getColumn(1).getString();
    r.response = q->getColumn(2).getString();
    return r;
  });
}

absl::Status SqliteTransaction::SaveRequest(const StoredRequest& request) {
  return WriteAtomically("save request", [&]() -> absl::Status {
    StatementLease q = Prepare(
        "INSERT INTO requests (request_id, method, fingerprint, response) VALUES (?, ?, ?, ?)");
    q->bindNoCopy(1, request.request_id);
    q->bindNoCopy(2, request.method);
    // Fingerprints and responses are bytes (serialized protos), not text.
    q->bindNoCopy(3, request.fingerprint.data(), static_cast<int>(request.fingerprint.size()));
    q->bindNoCopy(4, request.response.data(), static_cast<int>(request.response.size()));
    q->exec();
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::sqlite_internal
