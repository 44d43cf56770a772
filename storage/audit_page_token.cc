#include "storage/audit_page_token.h"

#include <algorithm>
#include <charconv>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace rebook::storage {
namespace {

constexpr char kPageTokenPrefix[] = "audit:";

}  // namespace

std::string AuditPageToken(std::int64_t after_seq) {
  return absl::StrCat(kPageTokenPrefix, after_seq);
}

absl::StatusOr<std::int64_t> ParseAuditPageToken(const std::string& token) {
  if (token.empty()) return 0;
  const std::string digits = token.substr(std::min(token.size(), sizeof(kPageTokenPrefix) - 1));
  std::int64_t after = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), after);
  if (token.rfind(kPageTokenPrefix, 0) != 0 || ec != std::errc() ||
      end != digits.data() + digits.size() || after < 0) {
    return absl::InvalidArgumentError("invalid page token");
  }
  return after;
}

}  // namespace rebook::storage
