// The transaction's shared machinery (savepoints, error mapping) and idempotency records.
#include "storage/postgres/internal/pg_transaction.h"

#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/postgres/internal/errors.h"

namespace rebook::storage::postgres_internal {

absl::Status PgTransaction::OnException(const char* what, bool in_savepoint) {
  bool retryable = false;
  absl::Status status = StatusFromCurrentException(what, &retryable);
  if (retryable) {
    needs_retry_ = true;
  } else if (!in_savepoint && broken_.ok()) {
    // A failed statement outside a savepoint aborts the whole PostgreSQL transaction.
    broken_ = status;
  }
  return status;
}

absl::Status PgTransaction::CheckWritable(const char* what) const {
  if (mode_ == Mode::kWrite) return CheckWriteScope(scope_, what);
  return absl::FailedPreconditionError(absl::StrCat(what, ": not allowed in a read transaction"));
}

void PgTransaction::AddWritten(const char* table, std::size_t rows) {
  // An approximation, as statistics need: a bulk write nested in another call that fails later
  // is counted although its savepoint was rolled back.
  if (table == nullptr || rows == 0) return;
  written_[table] += static_cast<std::int64_t>(rows);
  // The feed triggers on appointments add a change event per row (schema_slots_feed.h).
  if (std::string_view(table) == "appointments") {
    written_["change_events"] += static_cast<std::int64_t>(rows);
  }
}

absl::Status PgTransaction::WriteAtomically(
    const char* what, const std::function<absl::Status(pqxx::dbtransaction&)>& body) {
  const Counted counted = std::exchange(counted_, {});
  REBOOK_RETURN_IF_ERROR(CheckWritable(what));
  if (needs_retry_) return absl::AbortedError(absl::StrCat(what, ": transaction must restart"));
  if (!broken_.ok()) return broken_;
  // Plain SAVEPOINT statements: libpqxx 6's subtransaction did not roll back to its savepoint
  // after a failed statement (the transaction stayed aborted, SQLSTATE 25P02).
  // The savepoint of a write call is released by the next call, in the same round trip as that
  // call's own SAVEPOINT, or by COMMIT: one round trip per call for savepoints, not two (an
  // import makes a write call per shift and per booking). One savepoint stays open at a time.
  // A call made from inside another's body uses a savepoint of its own, released at once.
  const bool nested = write_depth_ > 0;
  const std::string name = nested ? "rebook_write_nested" : "rebook_write";
  ++write_depth_;
  struct Leave {
    int& depth;
    ~Leave() { --depth; }
  } leave{write_depth_};
  bool open = false;
  try {
    if (nested || !savepoint_held_) {
      tx_.exec(absl::StrCat("SAVEPOINT ", name));
    } else {
      tx_.exec("RELEASE SAVEPOINT rebook_write; SAVEPOINT rebook_write");
    }
    open = true;
    if (!nested) savepoint_held_ = true;
    absl::Status status = body(tx_);
    const Counted by_body = std::exchange(counted_, {});  // a body may count what it wrote
    if (status.ok()) {
      if (nested) tx_.exec(absl::StrCat("RELEASE SAVEPOINT ", name));
      AddWritten(counted.table, counted.rows);
      AddWritten(by_body.table, by_body.rows);
      return status;
    }
    tx_.exec(absl::StrCat("ROLLBACK TO SAVEPOINT ", name));
    return status;
  } catch (...) {
    counted_ = {};
    absl::Status status = OnException(what, /*in_savepoint=*/open);
    if (open && !needs_retry_) {
      try {
        tx_.exec(absl::StrCat("ROLLBACK TO SAVEPOINT ", name));
      } catch (...) {
        (void)OnException("roll back to savepoint", /*in_savepoint=*/false);
      }
    }
    return status;
  }
}

absl::Status PgTransaction::ExecExpectingRow(const char* what, const std::string& key,
                                             const std::string& sql, const Params& params) {
  return WriteAtomically(what, [&](pqxx::dbtransaction& tx) -> absl::Status {
    if (params.Exec(tx, sql).affected_rows() == 0) {
      return absl::NotFoundError(absl::StrCat(what, ": no record ", key));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<StoredRequest> PgTransaction::FindRequest(const std::string& request_id) {
  return Guard("find request", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<StoredRequest> {
    const pqxx::result r = tx.exec_params(
        "SELECT method, fingerprint, response FROM requests WHERE request_id = $1", request_id);
    if (r.empty()) return absl::NotFoundError(absl::StrCat("no request ", request_id));
    StoredRequest request{.request_id = request_id, .method = Str(r[0][0])};
    REBOOK_ASSIGN_OR_RETURN(request.fingerprint, FromByteaText(r[0][1].c_str()));
    REBOOK_ASSIGN_OR_RETURN(request.response, FromByteaText(r[0][2].c_str()));
    return request;
  });
}

absl::Status PgTransaction::SaveRequest(const StoredRequest& request) {
  return WriteAtomically("save request", [&](pqxx::dbtransaction& tx) -> absl::Status {
    // ON CONFLICT DO NOTHING: a concurrent replica saving the same id makes this statement wait
    // for it and then insert nothing (or fail with a serialization failure, which retries the
    // caller's whole transaction, whose FindRequest then sees the saved answer).
    Params p;
    const std::string sql =
        absl::StrCat("INSERT INTO requests (request_id, method, fingerprint, response) VALUES (",
                     p.Add(request.request_id), ", ", p.Add(request.method), ", ",
                     p.AddBytes(request.fingerprint), ", ", p.AddBytes(request.response),
                     ") ON CONFLICT (request_id) DO NOTHING");
    if (p.Exec(tx, sql).affected_rows() == 0) {
      return absl::AlreadyExistsError(absl::StrCat("request ", request.request_id, " is saved"));
    }
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::postgres_internal
