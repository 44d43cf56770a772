// The page token of AuditLog::List (storage/audit_log.h), one format for every backend so that
// a token handed out by one replica or backend reads the same on another: "audit:<seq>", the
// seq of the last record of the page before.
#ifndef REBOOK_STORAGE_AUDIT_PAGE_TOKEN_H_
#define REBOOK_STORAGE_AUDIT_PAGE_TOKEN_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace rebook::storage {

// The token of the page that starts after record `after_seq`.
std::string AuditPageToken(std::int64_t after_seq);

// The seq a token's page starts after: 0 for "" (the first page); INVALID_ARGUMENT
// "invalid page token" for anything that is not a token of AuditPageToken.
absl::StatusOr<std::int64_t> ParseAuditPageToken(const std::string& token);

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_AUDIT_PAGE_TOKEN_H_
