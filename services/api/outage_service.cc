#include "services/api/outage_service.h"

#include "services/api/access.h"
#include "services/api/convert.h"
#include "services/api/convert_rebooking.h"
#include "services/api/names.h"
#include "services/common/status_macros.h"
#include "services/rebooking/outages.h"

namespace rebook::api {
namespace {

constexpr char kDeclare[] = "rebook.v1.OutageService/DeclareOutage";
constexpr char kCloseOutageMethod[] = "rebook.v1.OutageService/CloseOutage";

// The outage as `who` may see it: of an outage that also touches offices not theirs, only their
// offices are listed and the cancelled appointments are counted at their offices only.
absl::Status OutageToProto(storage::Transaction& tx, const Principal& who, const domain::Outage& o,
                           v1::Outage* out) {
  std::string tz = o.office_ids.empty() ? "Europe/Berlin" : OfficeTimeZone(tx, o.office_ids[0]);
  ToProto(o, tz, out);
  std::vector<std::string> mine;
  for (const std::string& office : o.office_ids) {
    if (who.CanAccessOffice(office)) mine.push_back(office);
  }
  if (mine.size() == o.office_ids.size()) return absl::OkStatus();
  out->clear_offices();
  for (const std::string& office : mine) out->add_offices(OfficeName(office));
  storage::AppointmentFilter filter;
  filter.office_ids = std::move(mine);
  filter.outage_id = o.id;
  REBOOK_ASSIGN_OR_RETURN(std::int64_t count, tx.CountAppointments(filter));
  out->set_cancelled_appointment_count(count);
  return absl::OkStatus();
}

// Reads an outage the principal may see; NOT_FOUND otherwise.
absl::StatusOr<domain::Outage> VisibleOutage(storage::Transaction& tx, const Principal& who,
                                             const std::string& id, const std::string& name) {
  absl::StatusOr<domain::Outage> o = tx.GetOutage(id);
  if (!o.ok()) return MapNotFound(o.status(), "outage", name);
  if (!CanSeeOutage(who, *o)) return NotFound("outage", name);
  return o;
}

}  // namespace

grpc::Status OutageServiceImpl::DeclareOutage(grpc::ServerContext* ctx,
                                              const v1::DeclareOutageRequest* req,
                                              v1::Outage* resp) {
  return env_.Handle(ctx, "DeclareOutage", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOutages));
    FieldViolations v;
    rebooking::DeclareOutageCommand cmd;
    cmd.outage_id = req->outage_id();
    for (int i = 0; i < req->outage().offices_size(); ++i) {
      absl::StatusOr<std::string> office =
          ParseOfficeName(req->outage().offices(i), absl::StrCat("outage.offices[", i, "]"));
      if (office.ok()) {
        cmd.office_ids.push_back(*office);
      } else {
        v.AddFrom(office.status());
      }
    }
    if (!req->outage().has_window()) v.Add("outage.window", "is required", "REQUIRED");
    cmd.window = FromIntervalProto(req->outage().window(), "outage.window", v);
    cmd.cause = req->outage().cause();
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid outage"));
    REBOOK_RETURN_IF_ERROR(RequireAllOffices(call.principal, cmd.office_ids));
    // Outage ids are global (outages/{id}), so for a caller scoped to offices ALREADY_EXISTS on
    // a chosen id would tell that another office declared it. Such callers get a server-assigned
    // random id; only callers of all offices, who see every outage, may choose one (see
    // docs/resource-ids.md).
    if (!cmd.outage_id.empty() && !call.principal.all_offices) {
      FieldViolations id;
      id.Add("outage_id",
             "may be chosen only by principals of all offices; leave it empty and the server "
             "assigns one",
             "ID_NOT_ALLOWED");
      return id.ToStatus("invalid outage");
    }
    return env_.WriteIdempotent(
        call, req->request_id(), kDeclare, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(
              domain::Outage o, rebooking::DeclareOutage(tx, cmd, env_.clock().Now(), env_.ids()));
          return OutageToProto(tx, call.principal, o, resp);
        });
  });
}

grpc::Status OutageServiceImpl::GetOutage(grpc::ServerContext* ctx, const v1::GetOutageRequest* req,
                                          v1::Outage* resp) {
  return env_.Handle(ctx, "GetOutage", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadOutages));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseOutageName(req->name(), "name"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Outage o, VisibleOutage(tx, call.principal, id, req->name()));
      return OutageToProto(tx, call.principal, o, resp);
    });
  });
}

grpc::Status OutageServiceImpl::ListOutages(grpc::ServerContext* ctx,
                                            const v1::ListOutagesRequest* req,
                                            v1::ListOutagesResponse* resp) {
  return env_.Handle(ctx, "ListOutages", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadOutages));
    storage::OutageFilter filter;
    std::string office = kAnyOffice;
    if (!req->office().empty()) {
      REBOOK_ASSIGN_OR_RETURN(office, ParseOfficeName(req->office(), "office"));
    }
    REBOOK_ASSIGN_OR_RETURN(filter.office_ids, ListScope(call.principal, office));
    if (req->state() == v1::Outage::ACTIVE) filter.state = domain::OutageState::kActive;
    if (req->state() == v1::Outage::CLOSED) filter.state = domain::OutageState::kClosed;
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListOutages(filter, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const domain::Outage& o : page.items) {
        REBOOK_RETURN_IF_ERROR(OutageToProto(tx, call.principal, o, resp->add_outages()));
      }
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status OutageServiceImpl::CloseOutage(grpc::ServerContext* ctx,
                                            const v1::CloseOutageRequest* req, v1::Outage* resp) {
  return env_.Handle(ctx, "CloseOutage", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOutages));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseOutageName(req->name(), "name"));
    return env_.WriteIdempotent(
        call, req->request_id(), kCloseOutageMethod, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(domain::Outage o,
                                  VisibleOutage(tx, call.principal, id, req->name()));
          REBOOK_RETURN_IF_ERROR(RequireAllOffices(call.principal, o.office_ids));
          REBOOK_ASSIGN_OR_RETURN(
              o, rebooking::CloseOutage(tx, id, req->force(), req->reason(), env_.clock().Now()));
          return OutageToProto(tx, call.principal, o, resp);
        });
  });
}

grpc::Status OutageServiceImpl::GetOutageImpact(grpc::ServerContext* ctx,
                                                const v1::GetOutageImpactRequest* req,
                                                v1::OutageImpact* resp) {
  return env_.Handle(ctx, "GetOutageImpact", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadAppointments));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseOutageName(req->name(), "name"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Outage o, VisibleOutage(tx, call.principal, id, req->name()));
      REBOOK_ASSIGN_OR_RETURN(
          rebooking::OutageImpact impact,
          rebooking::ComputeOutageImpact(tx, o, call.principal.VisibleOffices()));
      ToProto(impact, resp);
      return absl::OkStatus();
    });
  });
}

}  // namespace rebook::api
