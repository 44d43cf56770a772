#include "services/audit/audit_trail.h"

#include "services/common/status_macros.h"

namespace rebook::audit {

absl::Status AuditTrail::Record(const AuditEvent& event,
                                const storage::TransactionOptions& options) const {
  if (event.category == Category::kNone || event.principal.empty() || event.method.empty()) {
    return absl::InvalidArgumentError("an audit event needs a category, principal and method");
  }
  storage::AuditRecord r;
  r.time = clock_->Now();
  r.principal = event.principal;
  r.role = event.role;
  r.offices = event.offices;
  r.method = event.method;
  r.category = CategoryName(event.category);
  r.resources = event.resources;
  r.record_count = event.record_count;
  r.outcome = event.outcome;
  r.request_id = event.request_id;
  return log_->Append(
      options, [&](const storage::AuditChainTip& tip) -> absl::StatusOr<storage::AuditRecord> {
        r.seq = tip.seq + 1;
        r.prev_hash = tip.hash;
        r.hash = ChainHash(r.prev_hash, r);
        return r;
      });
}

absl::StatusOr<storage::Page<storage::AuditRecord>> AuditTrail::List(
    const storage::AuditFilter& filter, const storage::PageRequest& page,
    const storage::TransactionOptions& options) const {
  return log_->List(options, filter, page);
}

absl::StatusOr<ChainVerdict> AuditTrail::Verify(const storage::TransactionOptions& options) const {
  ChainVerifier verifier;
  absl::Status scanned = log_->Scan(options, [&](const storage::AuditRecord& r) -> absl::Status {
    if (!verifier.Add(r)) return absl::AbortedError("the chain is broken");  // stop scanning
    return absl::OkStatus();
  });
  if (!scanned.ok() && verifier.verdict().ok) return scanned;
  return verifier.verdict();
}

}  // namespace rebook::audit
