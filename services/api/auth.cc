#include "services/api/auth.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "services/common/status_macros.h"
#include "services/domain/model.h"

namespace rebook::api {
namespace {

using P = Permission;

constexpr P kReadAll[] = {P::kReadCapacity, P::kReadOutages,  P::kReadAppointments,
                          P::kReadPlans,    P::kReadMessages, P::kReadOffers};

bool ReadPermission(P p) {
  for (P r : kReadAll) {
    if (r == p) return true;
  }
  return false;
}

}  // namespace

std::optional<Role> ParseRole(const std::string& s) {
  if (s == "clerk") return Role::kClerk;
  if (s == "office_admin") return Role::kOfficeAdmin;
  if (s == "planner") return Role::kPlanner;
  if (s == "notifier") return Role::kNotifier;
  if (s == "sync") return Role::kSync;
  if (s == "admin") return Role::kAdmin;
  if (s == "auditor") return Role::kAuditor;
  return std::nullopt;
}

const char* RoleName(Role r) {
  switch (r) {
    case Role::kClerk:
      return "clerk";
    case Role::kOfficeAdmin:
      return "office_admin";
    case Role::kPlanner:
      return "planner";
    case Role::kNotifier:
      return "notifier";
    case Role::kSync:
      return "sync";
    case Role::kAdmin:
      return "admin";
    case Role::kAuditor:
      return "auditor";
  }
  return "unknown";
}

bool RoleHas(Role role, Permission p) {
  switch (role) {
    case Role::kAdmin:
      return p != P::kReadAudit;  // separation of duties: admins do not read their own trail
    case Role::kAuditor:
      return p == P::kReadAudit;
    case Role::kNotifier:
      return p == P::kLeaseMessages || p == P::kReadMessages;
    case Role::kSync:
      return p == P::kReadChanges || p == P::kReadAppointments;
    case Role::kClerk:
      return ReadPermission(p) || p == P::kChangeAppointments || p == P::kRecordResponses;
    case Role::kOfficeAdmin:
      return ReadPermission(p) || p == P::kChangeAppointments || p == P::kRecordResponses ||
             p == P::kManageOfficeCapacity || p == P::kImportCapacity || p == P::kManageOutages ||
             p == P::kImportAppointments || p == P::kManagePlans || p == P::kRetryMessages ||
             p == P::kManagePersonalData || p == P::kReadChanges;
    case Role::kPlanner:
      return ReadPermission(p) || p == P::kReadChanges || p == P::kImportCapacity ||
             p == P::kManageOutages || p == P::kImportAppointments || p == P::kManagePlans ||
             p == P::kProcessExpiries || p == P::kRecordResponses;
  }
  return false;
}

std::optional<std::vector<std::string>> Principal::VisibleOffices() const {
  if (all_offices) return std::nullopt;
  return std::vector<std::string>(offices.begin(), offices.end());
}

absl::Status Require(const Principal& who, Permission p) {
  if (who.Can(p)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("principal \"", who.name, "\" with role ",
                                                  RoleName(who.role), " may not do this"));
}

TokenRegistry::TokenRegistry() : table_(std::make_shared<const Table>()) {}

TokenRegistry::TokenRegistry(TokenRegistry&& other) noexcept : table_(other.table_.load()) {}

TokenRegistry& TokenRegistry::operator=(TokenRegistry&& other) noexcept {
  table_.store(other.table_.load());
  return *this;
}

absl::StatusOr<TokenRegistry> TokenRegistry::Parse(const std::string& text,
                                                   const std::string& source) {
  auto table = std::make_shared<Table>();
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto bad = [&](const std::string& why) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", line_no, ": ", why));
    };
    if (f.size() != 4 && f.size() != 5) {
      return bad("expected 4 or 5 fields: name role offices sha256:<hex digest> [expires=<time>]");
    }
    Entry e;
    Principal& p = e.principal;
    p.name = f[0];
    std::optional<Role> role = ParseRole(f[1]);
    if (!role) return bad(absl::StrCat("unknown role \"", f[1], "\""));
    p.role = *role;
    if (f[2] == "*") {
      p.all_offices = true;
    } else {
      for (const std::string& office :
           std::vector<std::string>(absl::StrSplit(f[2], ',', absl::SkipEmpty()))) {
        if (!domain::IsValidId(office)) return bad(absl::StrCat("bad office id \"", office, "\""));
        p.offices.insert(office);
      }
    }
    if (f[3].rfind("sha256:", 0) != 0 || f[3].size() != 7 + 64 ||
        !std::all_of(f[3].begin() + 7, f[3].end(), absl::ascii_isxdigit)) {
      return bad("the token must be given as sha256:<64 hex digits> (see rebookctl hash-token)");
    }
    if (f.size() == 5) {
      absl::Time t;
      std::string err;
      if (f[4].rfind("expires=", 0) != 0 ||
          !absl::ParseTime(absl::RFC3339_full, f[4].substr(8), &t, &err)) {
        return bad(
            "the fifth field must be expires=<RFC 3339 time>, e.g. "
            "expires=2027-03-31T18:00:00Z");
      }
      e.expires = Instant(std::chrono::seconds(absl::ToUnixSeconds(t)));
    }
    std::string digest = absl::AsciiStrToLower(f[3].substr(7));
    if (!table->emplace(digest, std::move(e)).second) return bad("the same token is listed twice");
  }
  TokenRegistry registry;
  registry.table_.store(std::move(table));
  return registry;
}

absl::StatusOr<TokenRegistry> TokenRegistry::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read token file ", path));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read token file ", path));
  return Parse(text.str(), path);
}

absl::StatusOr<Principal> TokenRegistry::Authenticate(const std::string& bearer_token) const {
  return Authenticate(bearer_token, SystemClock::Instance().Now());
}

absl::StatusOr<Principal> TokenRegistry::Authenticate(const std::string& bearer_token,
                                                      Instant now) const {
  if (bearer_token.empty()) {
    return absl::UnauthenticatedError("missing authorization: Bearer <token> metadata");
  }
  std::shared_ptr<const Table> table = table_.load();
  auto it = table->find(TokenDigest(bearer_token));
  if (it == table->end()) return absl::UnauthenticatedError("unknown token");
  if (it->second.expires && now >= *it->second.expires) {
    return absl::UnauthenticatedError("token expired; ask the administrator for a new one");
  }
  return it->second.principal;
}

void TokenRegistry::Replace(const TokenRegistry& other) { table_.store(other.table_.load()); }

absl::Status TokenRegistry::ReloadFile(const std::string& path) {
  REBOOK_ASSIGN_OR_RETURN(TokenRegistry fresh, LoadFile(path));
  Replace(fresh);
  return absl::OkStatus();
}

std::size_t TokenRegistry::size() const { return table_.load()->size(); }

std::size_t TokenRegistry::ExpiredCount(Instant now) const {
  std::shared_ptr<const Table> table = table_.load();
  return std::count_if(table->begin(), table->end(), [&](const auto& entry) {
    return entry.second.expires && now >= *entry.second.expires;
  });
}

}  // namespace rebook::api
