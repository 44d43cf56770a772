// Who may do what: principals, roles, office scopes and the bearer-token file.
//
// Every RPC runs as a principal found by its `authorization: Bearer <token>` metadata. The
// token file (named in the server config) has one principal per line:
//
//   # name          role          offices                 token
//   kfz-schalter-1  clerk         HAL-NEUSTADT            sha256:5e884898da28047151d0e56f8dc629...
//   planung         planner       HAL-NEUSTADT,HAL-MITTE  sha256:...
//   betrieb         admin         *                       sha256:...
//
// Tokens are stored only as SHA-256 digests (hex). Roles: clerk, office_admin, planner,
// notifier, sync, admin, auditor. `sync` is the booking-system sync worker's role: it reads the
// change feed and appointments, nothing else. `*` means every office. The auditor alone reads the
// audit log (AuditService) and may do nothing else; no other role, admin included, reads it. An
// optional fifth field ends a token's validity:
//
//   aushilfe        clerk         HAL-MITTE               sha256:...  expires=2027-03-31T18:00:00Z
//
// (RFC 3339, UTC `Z` or an offset; from that second on the token is refused as expired). Files
// of four fields stay valid.
//
// TokenRegistry is safe to use from many threads while Replace swaps in a new file: each
// Authenticate reads one immutable snapshot (an atomic shared_ptr), and a call keeps the
// Principal it got, so a reload never drops or changes calls in flight.
#ifndef REBOOK_SERVICES_API_AUTH_H_
#define REBOOK_SERVICES_API_AUTH_H_

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/api/token_digest.h"
#include "services/common/clock.h"

namespace rebook::api {

enum class Role { kClerk, kOfficeAdmin, kPlanner, kNotifier, kSync, kAdmin, kAuditor };

enum class Permission {
  kReadCapacity,          // offices, service types, clerks, shifts, closures, bookings
  kManageOffices,         // create/delete offices, service types (global records)
  kManageOfficeCapacity,  // clerks, shifts, closures, bookings, office details, absences
  kImportCapacity,
  kReadOutages,
  kManageOutages,  // declare, close
  kReadAppointments,
  kChangeAppointments,  // create (walk-ins), update, self-rebooked, close
  kImportAppointments,
  kDeleteAppointments,  // erasure
  kReadPlans,
  kManagePlans,  // create, commit, re-plan
  kReadMessages,
  kLeaseMessages,  // notification workers
  kRetryMessages,
  kReadOffers,
  kRecordResponses,
  kProcessExpiries,
  kManagePersonalData,  // retention settings, citizen export and erasure, purges (privacy.proto)
  kReadAudit,           // the audit log: the auditor role only
  kReadChanges,         // the change feed (ChangeService): admin, office_admin, planner, sync
};

std::optional<Role> ParseRole(const std::string& s);
const char* RoleName(Role r);
bool RoleHas(Role role, Permission p);

struct Principal {
  std::string name;
  Role role = Role::kClerk;
  bool all_offices = false;
  std::set<std::string> offices;

  bool Can(Permission p) const { return RoleHas(role, p); }
  bool CanAccessOffice(const std::string& office_id) const {
    return all_offices || offices.count(office_id) > 0;
  }
  // nullopt: every office; otherwise the principal's offices.
  std::optional<std::vector<std::string>> VisibleOffices() const;
};

// PERMISSION_DENIED naming the role and what it may not do, or OK.
absl::Status Require(const Principal& who, Permission p);

class TokenRegistry {
 public:
  // An empty registry: every token is unknown.
  TokenRegistry();
  TokenRegistry(TokenRegistry&& other) noexcept;
  TokenRegistry& operator=(TokenRegistry&& other) noexcept;

  // Parses a token file; errors name the line.
  static absl::StatusOr<TokenRegistry> Parse(const std::string& text, const std::string& source);
  static absl::StatusOr<TokenRegistry> LoadFile(const std::string& path);

  // UNAUTHENTICATED for missing, unknown and expired tokens ("token expired" names no
  // principal). The first form checks expiry against the system clock: tokens are real-world
  // credentials, also when the server runs on a simulated clock.
  absl::StatusOr<Principal> Authenticate(const std::string& bearer_token) const;
  absl::StatusOr<Principal> Authenticate(const std::string& bearer_token, Instant now) const;

  // Atomically replaces every token with those of `other` (for SIGHUP). Calls that already
  // authenticated keep their principal; calls that start afterwards see only the new tokens.
  void Replace(const TokenRegistry& other);
  // Reads `path` and replaces the tokens if, and only if, it parses; otherwise the old tokens
  // stay and the error names the file and line.
  absl::Status ReloadFile(const std::string& path);

  // Principals listed (expired ones included), and those expired at `now`.
  std::size_t size() const;
  std::size_t ExpiredCount(Instant now) const;

 private:
  struct Entry {
    Principal principal;
    std::optional<Instant> expires;  // nullopt: valid until removed from the file
  };
  using Table = std::map<std::string, Entry>;  // hex SHA-256 of the token -> entry

  std::atomic<std::shared_ptr<const Table>> table_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_AUTH_H_
