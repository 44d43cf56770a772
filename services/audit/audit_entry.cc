#include "services/audit/audit_entry.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"

namespace rebook::audit {
namespace {

void AppendField(std::string& out, absl::string_view value) {
  absl::StrAppend(&out, value.size(), ":", value, ";");
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

}  // namespace

const char* CategoryName(Category c) {
  switch (c) {
    case Category::kNone:
      return "none";
    case Category::kPersonalDataRead:
      return "personal_data_read";
    case Category::kPersonalDataChange:
      return "personal_data_change";
    case Category::kPrivileged:
      return "privileged";
  }
  return "none";
}

std::string CanonicalForm(const storage::AuditRecord& r) {
  std::string out = "rebook-audit-v1;";
  AppendField(out, absl::StrCat(r.seq));
  AppendField(out, absl::StrCat(r.time.time_since_epoch().count()));
  AppendField(out, r.principal);
  AppendField(out, r.role);
  AppendField(out, absl::StrCat(r.offices.size()));
  for (const std::string& office : r.offices) AppendField(out, office);
  AppendField(out, r.method);
  AppendField(out, r.category);
  AppendField(out, absl::StrCat(r.resources.size()));
  for (const std::string& resource : r.resources) AppendField(out, resource);
  AppendField(out, absl::StrCat(r.record_count));
  AppendField(out, r.outcome);
  AppendField(out, r.request_id);
  return out;
}

std::string ChainHash(const std::string& prev_hash, const storage::AuditRecord& r) {
  const std::string canonical = CanonicalForm(r);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(prev_hash.data()),
                            prev_hash.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(canonical.data()),
                            canonical.size());
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return Hex(digest, sizeof(digest));
}

bool ChainVerifier::Add(const storage::AuditRecord& r) {
  if (!verdict_.ok) return false;
  const std::int64_t expected_seq = verdict_.last_seq + 1;
  std::string reason;
  if (r.seq != expected_seq) {
    reason = absl::StrCat("sequence number ", r.seq, " where ", expected_seq,
                          " was expected (an entry was removed or moved)");
  } else if (r.prev_hash != expected_prev_) {
    reason = "prev_hash is not the hash of the entry before (an entry was removed or moved)";
  } else if (r.hash != ChainHash(r.prev_hash, r)) {
    reason = "the entry does not match its hash (its content was changed)";
  }
  if (!reason.empty()) {
    verdict_.ok = false;
    verdict_.first_broken_seq = r.seq;
    verdict_.reason = std::move(reason);
    return false;
  }
  ++verdict_.entries;
  verdict_.last_seq = r.seq;
  verdict_.last_hash = r.hash;
  expected_prev_ = r.hash;
  return true;
}

}  // namespace rebook::audit
