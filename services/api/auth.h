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
// notifier, admin, auditor. `*` means every office. The auditor alone reads the audit log
// (AuditService) and may do nothing else; no other role, admin included, reads it.
#ifndef REBOOK_SERVICES_API_AUTH_H_
#define REBOOK_SERVICES_API_AUTH_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/api/token_digest.h"

namespace rebook::api {

enum class Role { kClerk, kOfficeAdmin, kPlanner, kNotifier, kAdmin, kAuditor };

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
  kReadAudit,  // the audit log: the auditor role only
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
  // Parses a token file; errors name the line.
  static absl::StatusOr<TokenRegistry> Parse(const std::string& text, const std::string& source);
  static absl::StatusOr<TokenRegistry> LoadFile(const std::string& path);

  // UNAUTHENTICATED for unknown tokens.
  absl::StatusOr<Principal> Authenticate(const std::string& bearer_token) const;
  std::size_t size() const { return by_digest_.size(); }

 private:
  std::map<std::string, Principal> by_digest_;  // hex SHA-256 of the token -> principal
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_AUTH_H_
