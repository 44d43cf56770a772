// What an audit entry is and how the hash chain over entries is computed.
//
// Each entry stores `hash = SHA-256(prev_hash || CanonicalForm(entry))` (hex), where
// `prev_hash` is the previous entry's hash ("" for the first). Changing, removing or reordering
// stored entries therefore breaks the chain at the first changed place; VerifyChain finds it.
// Entries hold who, role, offices, method, resource names, a record count, the outcome, the
// time and the request id; never request or response content, never tokens.
#ifndef REBOOK_SERVICES_AUDIT_AUDIT_ENTRY_H_
#define REBOOK_SERVICES_AUDIT_AUDIT_ENTRY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "storage/audit_log.h"

namespace rebook::audit {

// Why a call is audited.
enum class Category {
  kNone,                // not audited (reference data, health, simulation)
  kPersonalDataRead,    // returns citizens' personal data
  kPersonalDataChange,  // writes citizens' personal data
  kPrivileged,          // changes capacity, outages, plans; token use; reads the audit log
};

// "personal_data_read", "personal_data_change", "privileged", "none".
const char* CategoryName(Category c);

// The byte string an entry's hash covers: every field except prev_hash and hash, each
// length-prefixed ("<bytes>:<value>;") in a fixed order after a version tag, so that no two
// different entries share a canonical form. Lists are prefixed with their size.
std::string CanonicalForm(const storage::AuditRecord& r);

// Hex SHA-256 of `prev_hash` followed by CanonicalForm(r).
std::string ChainHash(const std::string& prev_hash, const storage::AuditRecord& r);

// The outcome of checking a chain.
struct ChainVerdict {
  bool ok = true;
  std::int64_t entries = 0;           // entries checked
  std::int64_t first_broken_seq = 0;  // 0 when ok
  std::string reason;                 // why that entry breaks the chain; "" when ok
  std::int64_t last_seq = 0;          // the tip that was verified: compare it with an earlier
  std::string last_hash;              // export to detect a cut-off tail
};

// Feeds entries in stored order and finds the first that breaks the chain: a gap or step
// back in seq (a deleted or reordered row), a prev_hash that is not the previous entry's hash,
// or a hash that does not match the entry.
class ChainVerifier {
 public:
  // Returns false once the chain is broken (further entries are ignored).
  bool Add(const storage::AuditRecord& r);
  const ChainVerdict& verdict() const { return verdict_; }

 private:
  ChainVerdict verdict_;
  std::string expected_prev_;
};

}  // namespace rebook::audit

#endif  // REBOOK_SERVICES_AUDIT_AUDIT_ENTRY_H_
