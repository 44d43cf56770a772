#include "services/api/audit_service.h"

#include "absl/strings/match.h"
#include "services/api/access.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

bool UnderOffices(const Principal& who, const std::string& resource) {
  absl::StatusOr<std::string> office =
      ParseOfficeName(resource.substr(0, resource.find('/', 8)), "resource");
  return office.ok() && who.CanAccessOffice(*office);
}

// An entry as `who` may see it. An auditor of every office sees everything; an auditor limited
// to some offices sees of an entry only its own offices and the resources under them, and the
// request id only of principals held within its offices (a wildcard principal's request ids and
// other offices' names are not its business). The hashes stay: they reveal nothing.
void ToProto(const Principal& who, const storage::AuditRecord& r, v1::AuditEntry* out) {
  const bool scoped = !who.all_offices;
  bool all_within = !r.offices.empty();
  out->set_sequence(r.seq);
  *out->mutable_time() = ToTimestamp(r.time);
  out->set_principal(r.principal);
  out->set_role(r.role);
  for (const std::string& office : r.offices) {
    if (!scoped || who.CanAccessOffice(office)) {
      out->add_offices(office);
    } else {
      all_within = false;
    }
  }
  out->set_method(r.method);
  out->set_category(r.category);
  for (const std::string& resource : r.resources) {
    if (!scoped || UnderOffices(who, resource)) out->add_resources(resource);
  }
  out->set_record_count(r.record_count);
  out->set_outcome(r.outcome);
  if (!scoped || all_within) out->set_request_id(r.request_id);
  out->set_previous_hash(r.prev_hash);
  out->set_hash(r.hash);
}

// A principal or method filter: at most 200 printable ASCII characters without spaces.
void CheckToken(const std::string& value, const std::string& field, FieldViolations& v) {
  if (value.size() > 200) v.Add(field, "is longer than 200 characters", "TOO_LONG");
  for (char c : value) {
    if (c <= ' ' || c > '~') {
      v.Add(field, "must be printable ASCII without spaces", "INVALID_FORMAT");
      return;
    }
  }
}

absl::StatusOr<storage::AuditFilter> ToFilter(const Principal& who,
                                              const v1::ListAuditEntriesRequest& req) {
  FieldViolations v;
  storage::AuditFilter filter;
  if (req.has_start_time()) filter.from = FromTimestamp(req.start_time());
  if (req.has_end_time()) filter.until = FromTimestamp(req.end_time());
  if (filter.from && filter.until && *filter.until < *filter.from) {
    v.Add("end_time", "is before start_time", "INVALID_RANGE");
  }
  CheckToken(req.principal(), "principal", v);
  CheckToken(req.method(), "method", v);
  if (!req.principal().empty()) filter.principal = req.principal();
  if (!req.method().empty()) {
    filter.method = absl::StartsWith(req.method(), "/") ? req.method().substr(1) : req.method();
  }
  if (!req.office().empty()) {
    absl::StatusOr<std::string> office = ParseOfficeName(req.office(), "office");
    if (office.ok()) {
      filter.office = *office;
    } else {
      v.AddFrom(office.status());
    }
  }
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid audit filter"));
  if (!who.all_offices && (!filter.office || !who.CanAccessOffice(*filter.office))) {
    return absl::PermissionDeniedError(
        "an auditor limited to some offices must list the entries of one of its offices "
        "(set office)");
  }
  return filter;
}

}  // namespace

grpc::Status AuditServiceImpl::ListAuditEntries(grpc::ServerContext* ctx,
                                                const v1::ListAuditEntriesRequest* req,
                                                v1::ListAuditEntriesResponse* resp) {
  return env_.Handle(ctx, "ListAuditEntries", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadAudit));
    REBOOK_ASSIGN_OR_RETURN(storage::AuditFilter filter, ToFilter(call.principal, *req));
    REBOOK_ASSIGN_OR_RETURN(
        auto page,
        trail_.List(filter, {ClampPageSize(req->page_size()), req->page_token()}, call.tx_options));
    resp->Clear();
    for (const storage::AuditRecord& r : page.items) {
      ToProto(call.principal, r, resp->add_entries());
    }
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status AuditServiceImpl::VerifyAuditChain(grpc::ServerContext* ctx,
                                                const v1::VerifyAuditChainRequest* req,
                                                v1::VerifyAuditChainResponse* resp) {
  return env_.Handle(ctx, "VerifyAuditChain", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadAudit));
    if (!call.principal.all_offices) {
      return absl::PermissionDeniedError(
          "verifying the whole audit chain needs an auditor of every office (*)");
    }
    REBOOK_ASSIGN_OR_RETURN(audit::ChainVerdict verdict, trail_.Verify(call.tx_options));
    resp->set_ok(verdict.ok);
    resp->set_verified_entries(verdict.entries);
    resp->set_first_broken_sequence(verdict.first_broken_seq);
    resp->set_reason(verdict.reason);
    resp->set_last_sequence(verdict.last_seq);
    resp->set_last_hash(verdict.last_hash);
    return absl::OkStatus();
  });
}

}  // namespace rebook::api
