// The storage interface of the audit log: an append-only sequence of records.
//
//   REBOOK_RETURN_IF_ERROR(log.Append(options, [&](const AuditChainTip& tip) {
//     AuditRecord r = ...;  // seq = tip.seq + 1, prev_hash = tip.hash, hash computed
//     return absl::StatusOr<AuditRecord>(r);
//   }));
//
// Storage only stores, filters and pages records; what a record holds and how its hash is
// computed is decided in services/audit. Backends refuse to change or delete a stored record
// (the SQLite backend with triggers); records are only ever appended.
// Contract: thread-safe; errors are absl::Status (no exceptions); a busy database makes a call
// wait until the deadline in `options`, then DEADLINE_EXCEEDED.
#ifndef REBOOK_STORAGE_AUDIT_LOG_H_
#define REBOOK_STORAGE_AUDIT_LOG_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "storage/paging.h"
#include "storage/store.h"

namespace rebook::storage {

// One stored audit entry. Never holds personal data: only who, what, when and the outcome.
struct AuditRecord {
  std::int64_t seq = 0;  // 1, 2, ... in append order
  Instant time;
  std::string principal;               // the principal's name from the token file, never a token
  std::string role;                    // e.g. "planner"
  std::vector<std::string> offices;    // the principal's office ids; {"*"} for every office
  std::string method;                  // full gRPC method, e.g. "rebook.v1.PlanService/CommitPlan"
  std::string category;                // see services/audit/audit_entry.h
  std::vector<std::string> resources;  // resource names the call named or returned
  std::int64_t record_count = 0;       // records read or written
  std::string outcome;                 // status code name: "OK", "NOT_FOUND", ...
  std::string request_id;              // the client's request_id, "" if none
  std::string prev_hash;               // hex SHA-256 hash of entry seq-1 ("" for seq 1)
  std::string hash;                    // hex SHA-256 over prev_hash and this entry
};

// The last stored entry: seq 0 and an empty hash when the log is empty.
struct AuditChainTip {
  std::int64_t seq = 0;
  std::string hash;
};

// Unset members do not filter. Results are ordered by seq.
struct AuditFilter {
  std::optional<Instant> from;   // time >= from
  std::optional<Instant> until;  // time < until
  std::optional<std::string> principal;
  std::optional<std::string> office;  // entries whose principal holds this office (or "*")
  std::optional<std::string> method;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // In one write transaction: reads the tip, calls `seal` with it and appends the record it
  // returns (whose seq must be tip.seq + 1). An error from `seal` appends nothing. A backend
  // may share the transaction with concurrent appends and run `seal` again after a retry, so
  // `seal` must depend on the tip only.
  virtual absl::Status Append(
      const TransactionOptions& options,
      absl::FunctionRef<absl::StatusOr<AuditRecord>(const AuditChainTip&)> seal) = 0;

  // A page of matching records in seq order; INVALID_ARGUMENT for a foreign page token.
  virtual absl::StatusOr<Page<AuditRecord>> List(const TransactionOptions& options,
                                                 const AuditFilter& filter,
                                                 const PageRequest& page) = 0;

  // Calls `fn` for every record in seq order, on one snapshot, until `fn` returns an error
  // (which Scan returns).
  virtual absl::Status Scan(const TransactionOptions& options,
                            const std::function<absl::Status(const AuditRecord&)>& fn) = 0;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_AUDIT_LOG_H_
