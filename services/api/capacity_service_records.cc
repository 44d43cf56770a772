// CapacityService: offices, service types and clerks.
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/access.h"
#include "services/api/capacity_service.h"
#include "services/api/capacity_visibility.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/common/status_macros.h"
#include "services/rebooking/capacity.h"

namespace rebook::api {
namespace {

using google::protobuf::util::FieldMaskUtil;

// Applies `mask` (empty: every field in `all`) from `patch` onto `current`; violations for
// paths outside `all`.
template <typename M>
absl::Status MergeMasked(const M& patch, const google::protobuf::FieldMask& mask,
                         std::initializer_list<const char*> all, M* current) {
  google::protobuf::FieldMask effective = mask;
  if (effective.paths_size() == 0) {
    for (const char* p : all) effective.add_paths(p);
  }
  FieldViolations v;
  for (int i = 0; i < effective.paths_size(); ++i) {
    bool ok =
        std::any_of(all.begin(), all.end(), [&](const char* a) { return effective.paths(i) == a; });
    if (!ok) v.Add(absl::StrCat("update_mask.paths[", i, "]"), "cannot be updated", "BAD_PATH");
  }
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid update mask"));
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, effective, options, current);
  return absl::OkStatus();
}

template <typename T>
absl::Status CheckId(const std::string& id, const char* field) {
  if (domain::IsValidId(id)) return absl::OkStatus();
  return InvalidField(field, "must be 1 to 128 characters of [A-Za-z0-9._~-]", "BAD_ID");
}

}  // namespace

grpc::Status CapacityServiceImpl::CreateOffice(Ctx* ctx, const v1::CreateOfficeRequest* req,
                                               v1::Office* resp) {
  return env_.Handle(ctx, "CreateOffice", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOffices));
    REBOOK_RETURN_IF_ERROR(CheckId<domain::Office>(req->office_id(), "office_id"));
    // Only an office of the admin's own list: out of it the admin could not even see the office,
    // and "already exists" would tell whether another office's id is taken.
    if (!call.principal.CanAccessOffice(req->office_id())) {
      return absl::PermissionDeniedError(
          absl::StrCat("office \"", req->office_id(), "\" is not one of your offices"));
    }
    FieldViolations v;
    domain::Office office = FromProto(req->office(), req->office_id(), "office", v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid office"));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/CreateOffice", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(auto o, rebooking::CreateOffice(tx, office));
          ToProto(o, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::GetOffice(Ctx* ctx, const v1::GetOfficeRequest* req,
                                            v1::Office* resp) {
  return env_.Handle(ctx, "GetOffice", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseOfficeName(req->name(), "name"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, id, "office", req->name()));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::Office> o = tx.GetOffice(id);
      if (!o.ok()) return MapNotFound(o.status(), "office", req->name());
      ToProto(*o, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::ListOffices(Ctx* ctx, const v1::ListOfficesRequest* req,
                                              v1::ListOfficesResponse* resp) {
  return env_.Handle(ctx, "ListOffices", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      resp->Clear();
      // Offices are few; filter the visible ones while walking the store's pages.
      storage::PageRequest page{ClampPageSize(req->page_size()), req->page_token()};
      int wanted = page.page_size;
      while (resp->offices_size() < wanted) {
        REBOOK_ASSIGN_OR_RETURN(auto result, tx.ListOffices(page));
        for (const domain::Office& o : result.items) {
          if (call.principal.CanAccessOffice(o.id)) ToProto(o, resp->add_offices());
        }
        resp->set_next_page_token(result.next_page_token);
        if (result.next_page_token.empty()) break;
        page.page_token = result.next_page_token;
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::UpdateOffice(Ctx* ctx, const v1::UpdateOfficeRequest* req,
                                               v1::Office* resp) {
  return env_.Handle(ctx, "UpdateOffice", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    const std::string& name = req->office().name();
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseOfficeName(name, "office.name"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, id, "office", name));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/UpdateOffice", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          absl::StatusOr<domain::Office> current = tx.GetOffice(id);
          if (!current.ok()) return MapNotFound(current.status(), "office", name);
          v1::Office merged;
          ToProto(*current, &merged);
          REBOOK_RETURN_IF_ERROR(
              MergeMasked(req->office(), req->update_mask(),
                          {"display_name", "state", "time_zone", "address", "offer_ttl"}, &merged));
          FieldViolations v;
          domain::Office office = FromProto(merged, id, "office", v);
          REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid office"));
          REBOOK_ASSIGN_OR_RETURN(auto o, rebooking::UpdateOffice(tx, office));
          ToProto(o, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::DeleteOffice(Ctx* ctx, const v1::DeleteOfficeRequest* req,
                                               Empty*) {
  return env_.Handle(ctx, "DeleteOffice", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOffices));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseOfficeName(req->name(), "name"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, id, "office", req->name()));
    return env_.store().Write(call.tx_options, [&](storage::Transaction& tx) {
      return MapNotFound(rebooking::DeleteOffice(tx, id), "office", req->name());
    });
  });
}

grpc::Status CapacityServiceImpl::CreateServiceType(Ctx* ctx,
                                                    const v1::CreateServiceTypeRequest* req,
                                                    v1::ServiceType* resp) {
  return env_.Handle(ctx, "CreateServiceType", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOffices));
    REBOOK_RETURN_IF_ERROR(RequireEveryOffice(call.principal, "service types"));
    REBOOK_RETURN_IF_ERROR(CheckId<domain::Service>(req->service_type_id(), "service_type_id"));
    FieldViolations v;
    domain::Service s = FromProto(req->service_type(), req->service_type_id(), "service_type", v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid service type"));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/CreateServiceType", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(auto out, rebooking::CreateService(tx, s));
          ToProto(out, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::GetServiceType(Ctx* ctx, const v1::GetServiceTypeRequest* req,
                                                 v1::ServiceType* resp) {
  return env_.Handle(ctx, "GetServiceType", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseServiceTypeName(req->name(), "name"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::Service> s = tx.GetService(id);
      if (!s.ok()) return MapNotFound(s.status(), "service type", req->name());
      ToProto(*s, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::ListServiceTypes(Ctx* ctx, const v1::ListServiceTypesRequest* req,
                                                   v1::ListServiceTypesResponse* resp) {
  return env_.Handle(ctx, "ListServiceTypes", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListServices({ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const domain::Service& s : page.items) ToProto(s, resp->add_service_types());
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::UpdateServiceType(Ctx* ctx,
                                                    const v1::UpdateServiceTypeRequest* req,
                                                    v1::ServiceType* resp) {
  return env_.Handle(ctx, "UpdateServiceType", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOffices));
    REBOOK_RETURN_IF_ERROR(RequireEveryOffice(call.principal, "service types"));
    const std::string& name = req->service_type().name();
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseServiceTypeName(name, "service_type.name"));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/UpdateServiceType", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          absl::StatusOr<domain::Service> current = tx.GetService(id);
          if (!current.ok()) return MapNotFound(current.status(), "service type", name);
          v1::ServiceType merged;
          ToProto(*current, &merged);
          REBOOK_RETURN_IF_ERROR(MergeMasked(req->service_type(), req->update_mask(),
                                             {"display_name", "category", "duration_minutes"},
                                             &merged));
          FieldViolations v;
          domain::Service s = FromProto(merged, id, "service_type", v);
          REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid service type"));
          REBOOK_ASSIGN_OR_RETURN(auto out, rebooking::UpdateService(tx, s));
          ToProto(out, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::DeleteServiceType(Ctx* ctx,
                                                    const v1::DeleteServiceTypeRequest* req,
                                                    Empty*) {
  return env_.Handle(ctx, "DeleteServiceType", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOffices));
    REBOOK_RETURN_IF_ERROR(RequireEveryOffice(call.principal, "service types"));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseServiceTypeName(req->name(), "name"));
    return env_.store().Write(call.tx_options, [&](storage::Transaction& tx) {
      return MapNotFound(tx.DeleteService(id), "service type", req->name());
    });
  });
}

grpc::Status CapacityServiceImpl::CreateClerk(Ctx* ctx, const v1::CreateClerkRequest* req,
                                              v1::Clerk* resp) {
  return env_.Handle(ctx, "CreateClerk", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    REBOOK_RETURN_IF_ERROR(CheckId<domain::Clerk>(req->clerk_id(), "clerk_id"));
    FieldViolations v;
    domain::Clerk clerk = FromProto(req->clerk(), req->clerk_id(), "clerk", v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid clerk"));
    REBOOK_RETURN_IF_ERROR(RequireClerkManager(call.principal, clerk));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/CreateClerk", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(auto c, rebooking::CreateClerk(tx, clerk));
          ToProto(c, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::GetClerk(Ctx* ctx, const v1::GetClerkRequest* req,
                                           v1::Clerk* resp) {
  return env_.Handle(ctx, "GetClerk", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseClerkName(req->name(), "name"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Clerk c, VisibleClerk(tx, call.principal, id, req->name()));
      ToProto(c, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::ListClerks(Ctx* ctx, const v1::ListClerksRequest* req,
                                             v1::ListClerksResponse* resp) {
  return env_.Handle(ctx, "ListClerks", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadCapacity));
    std::string office = kAnyOffice;
    if (!req->office().empty()) {
      REBOOK_ASSIGN_OR_RETURN(office, ParseOfficeName(req->office(), "office"));
    }
    storage::ClerkFilter filter;
    REBOOK_ASSIGN_OR_RETURN(filter.office_ids, ListScope(call.principal, office));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListClerks(filter, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const domain::Clerk& c : page.items) ToProto(c, resp->add_clerks());
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status CapacityServiceImpl::UpdateClerk(Ctx* ctx, const v1::UpdateClerkRequest* req,
                                              v1::Clerk* resp) {
  return env_.Handle(ctx, "UpdateClerk", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    const std::string& name = req->clerk().name();
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseClerkName(name, "clerk.name"));
    return env_.WriteIdempotent(
        call, req->request_id(), "CapacityService/UpdateClerk", Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(domain::Clerk current,
                                  VisibleClerk(tx, call.principal, id, name));
          REBOOK_RETURN_IF_ERROR(RequireClerkManager(call.principal, current));
          v1::Clerk merged;
          ToProto(current, &merged);
          REBOOK_RETURN_IF_ERROR(MergeMasked(req->clerk(), req->update_mask(),
                                             {"display_name", "skills", "home_office"}, &merged));
          FieldViolations v;
          domain::Clerk clerk = FromProto(merged, id, "clerk", v);
          REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid clerk"));
          REBOOK_RETURN_IF_ERROR(RequireClerkManager(call.principal, clerk));
          REBOOK_ASSIGN_OR_RETURN(auto c, rebooking::UpdateClerk(tx, clerk));
          ToProto(c, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status CapacityServiceImpl::DeleteClerk(Ctx* ctx, const v1::DeleteClerkRequest* req, Empty*) {
  return env_.Handle(ctx, "DeleteClerk", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManageOfficeCapacity));
    REBOOK_ASSIGN_OR_RETURN(std::string id, ParseClerkName(req->name(), "name"));
    return env_.store().Write(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Clerk c, VisibleClerk(tx, call.principal, id, req->name()));
      REBOOK_RETURN_IF_ERROR(RequireClerkManager(call.principal, c));
      return tx.DeleteClerk(id);
    });
  });
}

}  // namespace rebook::api
