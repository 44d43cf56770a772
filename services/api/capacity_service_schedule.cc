// CapacityService: shifts, closures, standing bookings and absences.
#include "absl/strings/str_cat.h"
#include "services/api/access.h"
#include "services/api/capacity_service.h"
#include "services/api/capacity_visibility.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/capacity.h"

namespace rebook::api {
namespace {

absl::Status ParentOffice(const Principal& who, const std::string& parent, std::string* office) {
  REBOOK_ASSIGN_OR_RETURN(*office, ParseOfficeName(parent, "parent"));
  return RequireOffice(who, *office, "office", parent);
}

}  // namespace

grpc::Status CapacityServiceImpl::CreateShift(Ctx* ctx, const v1::CreateShiftRequest* req,
                                              v1::Shift* resp) {
  return env_.Handle(ctx, "CreateShift", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    std::string office;
    REBOOK_RETURN_IF_ERROR(ParentOffice(call.principal, req->parent(), &office));
    if (!req->shift_id().empty() && !domain::IsValidId(req->shift_id())) {
      return InvalidField("shift_id", "must be 1 to 128 characters of [A-Za-z0-9._~-]", "BAD_ID");
    }
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/CreateShift", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          std::string id = req->shift_id().empty() ? env_.ids().NewId("shift") : req->shift_id();
          FieldViolations v;
          domain::Shift shift = FromProto(req->shift(), office, id, "shift", v);
          REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid shift"));
          REBOOK_RETURN_IF_ERROR(RequireVisibleClerk(tx, call.principal, shift.clerk_id));
          REBOOK_ASSIGN_OR_RETURN(auto s, rebooking::CreateShift(tx, shift));
          ToProto(s, OfficeTimeZone(tx, office), resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::GetShift(Ctx* ctx, const v1::GetShiftRequest* req,
                                           v1::Shift* resp) {
  return env_.Handle(ctx, "GetShift", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    REBOOK_ASSIGN_OR_RETURN(OfficeChildName n, ParseOfficeChildName(req->name(), "shifts", "name"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, n.office_id, "shift", req->name()));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::Shift> s = tx.GetShift(n.office_id, n.child_id);
      if (!s.ok()) return MapNotFound(s.status(), "shift", req->name());
      ToProto(*s, OfficeTimeZone(tx, n.office_id), resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::ListShifts(Ctx* ctx, const v1::ListShiftsRequest* req,
                                             v1::ListShiftsResponse* resp) {
  return env_.Handle(ctx, "ListShifts", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    REBOOK_ASSIGN_OR_RETURN(std::string office, ParseOfficeName(req->parent(), "parent", true));
    storage::ShiftFilter filter;
    REBOOK_ASSIGN_OR_RETURN(filter.office_ids, ListScope(call.principal, office));
    if (!req->clerk().empty()) {
      REBOOK_ASSIGN_OR_RETURN(filter.clerk_id, ParseClerkName(req->clerk(), "clerk"));
    }
    if (req->has_interval()) {
      FieldViolations v;
      filter.overlapping = FromIntervalProto(req->interval(), "interval", v);
      REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid interval"));
    }
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListShifts(filter, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const domain::Shift& s : page.items) {
        ToProto(s, OfficeTimeZone(tx, s.office_id), resp->add_shifts());
      }
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::DeleteShift(Ctx* ctx, const v1::DeleteShiftRequest* req, Empty*) {
  return env_.Handle(ctx, "DeleteShift", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    REBOOK_ASSIGN_OR_RETURN(OfficeChildName n, ParseOfficeChildName(req->name(), "shifts", "name"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, n.office_id, "shift", req->name()));
    return env_.store().Write(call.tx_options, [&](storage::Transaction& tx) {
      return MapNotFound(tx.DeleteShift(n.office_id, n.child_id), "shift", req->name());
    });
  });
}

grpc::Status CapacityServiceImpl::CreateClosure(Ctx* ctx, const v1::CreateClosureRequest* req,
                                                v1::Closure* resp) {
  return env_.Handle(ctx, "CreateClosure", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    std::string office;
    REBOOK_RETURN_IF_ERROR(ParentOffice(call.principal, req->parent(), &office));
    FieldViolations v;
    domain::Closure closure = FromProto(req->closure(), office, "closure", v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid closure"));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/CreateClosure", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(auto c, rebooking::CreateClosure(tx, closure));
          ToProto(c, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::ListClosures(Ctx* ctx, const v1::ListClosuresRequest* req,
                                               v1::ListClosuresResponse* resp) {
  return env_.Handle(ctx, "ListClosures", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    REBOOK_ASSIGN_OR_RETURN(std::string office, ParseOfficeName(req->parent(), "parent", true));
    REBOOK_ASSIGN_OR_RETURN(auto scope, ListScope(call.principal, office));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListClosures(scope, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const domain::Closure& c : page.items) ToProto(c, resp->add_closures());
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::DeleteClosure(Ctx* ctx, const v1::DeleteClosureRequest* req,
                                                Empty*) {
  return env_.Handle(ctx, "DeleteClosure", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    REBOOK_ASSIGN_OR_RETURN(OfficeChildName n,
                            ParseOfficeChildName(req->name(), "closures", "name"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, n.office_id, "closure", req->name()));
    absl::StatusOr<domain::LocalDate> day = domain::ParseLocalDate(n.child_id);
    if (!day.ok()) return InvalidField("name", "the closure id must be a date YYYY-MM-DD");
    return env_.store().Write(call.tx_options, [&](storage::Transaction& tx) {
      return MapNotFound(tx.DeleteClosure(n.office_id, *day), "closure", req->name());
    });
  });
}

grpc::Status CapacityServiceImpl::CreateStandingBooking(Ctx* ctx,
                                                        const v1::CreateStandingBookingRequest* req,
                                                        v1::StandingBooking* resp) {
  return env_.Handle(ctx, "CreateStandingBooking", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    std::string office;
    REBOOK_RETURN_IF_ERROR(ParentOffice(call.principal, req->parent(), &office));
    FieldViolations v;
    domain::StandingBooking booking = FromProto(req->standing_booking(), office,
                                                req->standing_booking_id(), "standing_booking", v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid standing booking"));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/CreateStandingBooking", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_RETURN_IF_ERROR(RequireVisibleClerk(tx, call.principal, booking.clerk_id));
          REBOOK_ASSIGN_OR_RETURN(auto b, rebooking::CreateStandingBooking(tx, booking));
          ToProto(b, OfficeTimeZone(tx, office), resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::ListStandingBookings(Ctx* ctx,
                                                       const v1::ListStandingBookingsRequest* req,
                                                       v1::ListStandingBookingsResponse* resp) {
  return env_.Handle(ctx, "ListStandingBookings", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    REBOOK_ASSIGN_OR_RETURN(std::string office, ParseOfficeName(req->parent(), "parent", true));
    storage::ShiftFilter filter;
    REBOOK_ASSIGN_OR_RETURN(filter.office_ids, ListScope(call.principal, office));
    if (!req->clerk().empty()) {
      REBOOK_ASSIGN_OR_RETURN(filter.clerk_id, ParseClerkName(req->clerk(), "clerk"));
    }
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          auto page,
          tx.ListStandingBookings(filter, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const domain::StandingBooking& b : page.items) {
        ToProto(b, OfficeTimeZone(tx, b.office_id), resp->add_standing_bookings());
      }
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::DeleteStandingBooking(Ctx* ctx,
                                                        const v1::DeleteStandingBookingRequest* req,
                                                        Empty*) {
  return env_.Handle(ctx, "DeleteStandingBooking", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    REBOOK_ASSIGN_OR_RETURN(OfficeChildName n,
                            ParseOfficeChildName(req->name(), "standingBookings", "name"));
    REBOOK_RETURN_IF_ERROR(
        RequireOffice(call.principal, n.office_id, "standing booking", req->name()));
    return env_.store().Write(call.tx_options, [&](storage::Transaction& tx) {
      return MapNotFound(tx.DeleteStandingBooking(n.office_id, n.child_id), "standing booking",
                         req->name());
    });
  });
}

grpc::Status CapacityServiceImpl::ReportClerkAbsence(Ctx* ctx,
                                                     const v1::ReportClerkAbsenceRequest* req,
                                                     v1::ReportClerkAbsenceResponse* resp) {
  return env_.Handle(ctx, "ReportClerkAbsence", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    REBOOK_ASSIGN_OR_RETURN(std::string clerk_id, ParseClerkName(req->clerk(), "clerk"));
    FieldViolations v;
    domain::TimeInterval absence = FromIntervalProto(req->interval(), "interval", v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid absence"));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/ReportClerkAbsence", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(domain::Clerk clerk,
                                  VisibleClerk(tx, call.principal, clerk_id, req->clerk()));
          REBOOK_RETURN_IF_ERROR(RequireClerkManager(call.principal, clerk));
          REBOOK_ASSIGN_OR_RETURN(auto affected,
                                  rebooking::ReportClerkAbsence(tx, clerk_id, absence));
          resp->Clear();
          for (const domain::Shift& s : affected) {
            ToProto(s, OfficeTimeZone(tx, s.office_id), resp->add_affected_shifts());
          }
          return absl::OkStatus();
        });
  });
}

}  // namespace rebook::api
