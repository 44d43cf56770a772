#include "services/api/appointment_service.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/access.h"
#include "services/api/convert.h"
#include "services/api/convert_explain.h"
#include "services/api/names.h"
#include "services/api/privacy_purpose.h"
#include "services/common/status_macros.h"
#include "services/rebooking/appointments.h"
#include "services/rebooking/slot_explain.h"
#include "services/rebooking/slots.h"

namespace rebook::api {
namespace {

constexpr char kCreateAppointmentMethod[] = "rebook.v1.AppointmentService/CreateAppointment";
constexpr char kUpdate[] = "rebook.v1.AppointmentService/UpdateAppointment";
constexpr char kSelfRebooked[] = "rebook.v1.AppointmentService/MarkSelfRebooked";
constexpr char kBatchSelfRebooked[] = "rebook.v1.AppointmentService/BatchMarkSelfRebooked";
constexpr char kCloseAppointmentMethod[] = "rebook.v1.AppointmentService/CloseAppointment";

// The fields UpdateAppointmentRequest documents as updatable. The rest (kind, service type,
// original start, status, ...) are set by the booking import or by the lifecycle RPCs only.
constexpr const char* kUpdatablePaths[] = {
    "earliest_start_time", "deadline_time", "priority", "cases",
    "allowed_offices",     "unavailable",   "contact"};

// Time zones of offices, read once per call.
class ZoneCache {
 public:
  explicit ZoneCache(storage::Transaction& tx) : tx_(tx) {}
  const std::string& Get(const std::string& office_id) {
    auto it = zones_.find(office_id);
    if (it == zones_.end()) it = zones_.emplace(office_id, OfficeTimeZone(tx_, office_id)).first;
    return it->second;
  }

 private:
  storage::Transaction& tx_;
  std::map<std::string, std::string> zones_;
};

void AppointmentToProto(storage::Transaction& tx, const domain::Appointment& a,
                        v1::Appointment* out) {
  ZoneCache zones(tx);
  ToProto(
      a, [&](const std::string& office) { return zones.Get(office); }, out);
}

// Reads an appointment named `name` that the principal may see.
absl::StatusOr<domain::Appointment> Visible(storage::Transaction& tx, const Principal& who,
                                            const std::string& name, const std::string& field) {
  REBOOK_ASSIGN_OR_RETURN(AppointmentName n, ParseAppointmentName(name, field));
  REBOOK_RETURN_IF_ERROR(RequireOffice(who, n.office_id, "appointment", name));
  absl::StatusOr<domain::Appointment> a = tx.GetAppointment(n.office_id, n.appointment_id);
  if (!a.ok()) return MapNotFound(a.status(), "appointment", name);
  return a;
}

// Runs a lifecycle change on one visible appointment, idempotently.
template <typename Change>
absl::Status ChangeOne(const ServiceEnv& env, const Call& call, const std::string& request_id,
                       const char* method, const google::protobuf::Message& req,
                       const std::string& name, v1::Appointment* resp, Change change) {
  REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kChangeAppointments));
  REBOOK_RETURN_IF_ERROR(ParseAppointmentName(name, "name").status());
  return env.WriteIdempotent(call, request_id, method, Fingerprint(req), resp,
                             [&](storage::Transaction& tx) -> absl::Status {
                               REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                                                       Visible(tx, call.principal, name, "name"));
                               REBOOK_ASSIGN_OR_RETURN(a, change(tx, a));
                               AppointmentToProto(tx, a, resp);
                               return absl::OkStatus();
                             });
}

// What withdrawing a self-rebooked citizen's offer needs to queue its cancellation.
rebooking::CommitContext Outreach(const ServiceEnv& env, const rebooking::OutboxPolicy* outbox) {
  static const rebooking::OutboxPolicy kDefault;
  return {env.clock().Now(), &env.ids(), outbox != nullptr ? outbox : &kDefault};
}

}  // namespace

grpc::Status AppointmentServiceImpl::CreateAppointment(grpc::ServerContext* ctx,
                                                       const v1::CreateAppointmentRequest* req,
                                                       v1::Appointment* resp) {
  return env_.Handle(ctx, "CreateAppointment", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kChangeAppointments));
    REBOOK_ASSIGN_OR_RETURN(std::string office, ParseOfficeName(req->parent(), "parent"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, office, "office", req->parent()));
    v1::Appointment named = req->appointment();
    named.set_name(AppointmentResourceName(office, req->appointment_id()));
    FieldViolations v;
    domain::Appointment a = FromProto(named, "appointment", v);
    CheckAllowedOffices(call.principal, a.allowed_offices, {}, "appointment", v);
    if (!domain::IsValidId(req->appointment_id())) {
      v.Add("appointment_id", "must be 1 to 128 characters of [A-Za-z0-9._~-]", "BAD_ID");
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid appointment"));
    return env_.WriteIdempotent(
        call, req->request_id(), kCreateAppointmentMethod, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(domain::Appointment stored,
                                  rebooking::CreateAppointment(tx, a, env_.clock().Now()));
          AppointmentToProto(tx, stored, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status AppointmentServiceImpl::GetAppointment(grpc::ServerContext* ctx,
                                                    const v1::GetAppointmentRequest* req,
                                                    v1::Appointment* resp) {
  return env_.Handle(ctx, "GetAppointment", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadAppointments));
    REBOOK_RETURN_IF_ERROR(ParseAppointmentName(req->name(), "name").status());
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                              Visible(tx, call.principal, req->name(), "name"));
      AppointmentToProto(tx, a, resp);
      PurposeFilter(tx, call.principal).Apply(a, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status AppointmentServiceImpl::ListAppointments(grpc::ServerContext* ctx,
                                                      const v1::ListAppointmentsRequest* req,
                                                      v1::ListAppointmentsResponse* resp) {
  return env_.Handle(ctx, "ListAppointments", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadAppointments));
    REBOOK_ASSIGN_OR_RETURN(std::string office,
                            ParseOfficeName(req->parent(), "parent", /*allow_wildcard=*/true));
    storage::AppointmentFilter filter;
    REBOOK_ASSIGN_OR_RETURN(filter.office_ids, ListScope(call.principal, office));
    if (!req->service_type().empty()) {
      REBOOK_ASSIGN_OR_RETURN(filter.service_id,
                              ParseServiceTypeName(req->service_type(), "service_type"));
    }
    for (int i = 0; i < req->statuses_size(); ++i) {
      std::optional<domain::AppointmentStatus> s = FromProto(req->statuses(i));
      if (!s) return InvalidField(absl::StrCat("statuses[", i, "]"), "must be a status");
      filter.statuses.push_back(*s);
    }
    if (!req->outage().empty()) {
      REBOOK_ASSIGN_OR_RETURN(filter.outage_id, ParseOutageName(req->outage(), "outage"));
    }
    if (req->kind() == v1::WALK_IN) filter.kind = domain::AppointmentKind::kWalkIn;
    if (req->kind() == v1::BOOKED_APPOINTMENT) filter.kind = domain::AppointmentKind::kAppointment;
    FieldViolations v;
    const SlotQuery slot = SlotQueryFromProto(*req, v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid slot filter"));
    // The slot filters narrow the caller's scope (original offices) and never widen it: a slot
    // at an office the caller may not read lists only the caller's own appointments there.
    filter.slot_office_id = slot.office_id;
    filter.slot_clerk_id = slot.clerk_id;
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      if (slot.day) {
        absl::StatusOr<domain::TimeInterval> day =
            rebooking::SlotDayRange(tx, slot.office_id, filter.office_ids, *slot.day, "slot_day");
        if (!day.ok()) return MapNotFound(day.status(), "office", req->slot_office());
        filter.slot_start_in = *day;
      }
      REBOOK_ASSIGN_OR_RETURN(
          auto page,
          tx.ListAppointments(filter, {ClampPageSize(req->page_size()), req->page_token()}));
      REBOOK_ASSIGN_OR_RETURN(std::int64_t total, tx.CountAppointments(filter));
      resp->Clear();
      ZoneCache zones(tx);
      PurposeFilter purpose(tx, call.principal);
      for (const domain::Appointment& a : page.items) {
        v1::Appointment* out = resp->add_appointments();
        ToProto(
            a, [&](const std::string& office) { return zones.Get(office); }, out);
        purpose.Apply(a, out);
      }
      resp->set_next_page_token(page.next_page_token);
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::Status AppointmentServiceImpl::UpdateAppointment(grpc::ServerContext* ctx,
                                                       const v1::UpdateAppointmentRequest* req,
                                                       v1::Appointment* resp) {
  return env_.Handle(ctx, "UpdateAppointment", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kChangeAppointments));
    const std::string& name = req->appointment().name();
    REBOOK_RETURN_IF_ERROR(ParseAppointmentName(name, "appointment.name").status());
    google::protobuf::FieldMask mask = req->update_mask();
    if (mask.paths_size() == 0) {
      for (const char* p : kUpdatablePaths) mask.add_paths(p);
    }
    FieldViolations v;
    for (int i = 0; i < mask.paths_size(); ++i) {
      const std::string& p = mask.paths(i);
      bool ok = std::any_of(std::begin(kUpdatablePaths), std::end(kUpdatablePaths),
                            [&](const char* allowed) {
                              return p == allowed || p.rfind(std::string(allowed) + ".", 0) == 0;
                            });
      ok = ok && google::protobuf::util::FieldMaskUtil::GetFieldDescriptors(
                     v1::Appointment::descriptor(), p, nullptr);
      if (!ok) v.Add(absl::StrCat("update_mask.paths[", i, "]"), "cannot be updated", "BAD_PATH");
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid update mask"));
    return env_.WriteIdempotent(
        call, req->request_id(), kUpdate, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(domain::Appointment current,
                                  Visible(tx, call.principal, name, "appointment.name"));
          v1::Appointment merged;
          AppointmentToProto(tx, current, &merged);
          google::protobuf::util::FieldMaskUtil::MergeOptions options;
          options.set_replace_message_fields(true);
          options.set_replace_repeated_fields(true);
          google::protobuf::util::FieldMaskUtil::MergeMessageTo(req->appointment(), mask, options,
                                                                &merged);
          FieldViolations conv;
          domain::Appointment updated = FromProto(merged, "appointment", conv);
          CheckAllowedOffices(call.principal, updated.allowed_offices, current.allowed_offices,
                              "appointment", conv);
          REBOOK_RETURN_IF_ERROR(conv.ToStatus("invalid appointment"));
          REBOOK_ASSIGN_OR_RETURN(updated,
                                  rebooking::UpdateAppointment(tx, updated, env_.clock().Now()));
          AppointmentToProto(tx, updated, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status AppointmentServiceImpl::MarkSelfRebooked(grpc::ServerContext* ctx,
                                                      const v1::MarkSelfRebookedRequest* req,
                                                      v1::Appointment* resp) {
  return env_.Handle(ctx, "MarkSelfRebooked", *req, [&](const Call& call) -> absl::Status {
    std::optional<Instant> new_start;
    if (req->has_new_start_time()) new_start = FromTimestamp(req->new_start_time());
    return ChangeOne(env_, call, req->request_id(), kSelfRebooked, *req, req->name(), resp,
                     [&](storage::Transaction& tx, const domain::Appointment& a) {
                       return rebooking::MarkSelfRebooked(tx, a.Key(), new_start,
                                                          Outreach(env_, options_.outbox));
                     });
  });
}

grpc::Status AppointmentServiceImpl::BatchMarkSelfRebooked(
    grpc::ServerContext* ctx, const v1::BatchMarkSelfRebookedRequest* req,
    v1::BatchMarkSelfRebookedResponse* resp) {
  return env_.Handle(ctx, "BatchMarkSelfRebooked", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kChangeAppointments));
    FieldViolations v;
    for (int i = 0; i < req->requests_size(); ++i) {
      absl::Status s =
          ParseAppointmentName(req->requests(i).name(), absl::StrCat("requests[", i, "].name"))
              .status();
      for (const auto& fv : FieldViolations::FromStatus(s)) v.Add(fv.field, fv.description);
    }
    if (req->requests_size() > 10000) v.Add("requests", "at most 10000 per batch", "TOO_MANY");
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid batch"));
    return env_.WriteIdempotent(
        call, req->request_id(), kBatchSelfRebooked, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          resp->Clear();
          for (int i = 0; i < req->requests_size(); ++i) {
            const v1::MarkSelfRebookedRequest& one = req->requests(i);
            REBOOK_ASSIGN_OR_RETURN(
                domain::Appointment a,
                Visible(tx, call.principal, one.name(), absl::StrCat("requests[", i, "].name")));
            std::optional<Instant> new_start;
            if (one.has_new_start_time()) new_start = FromTimestamp(one.new_start_time());
            REBOOK_ASSIGN_OR_RETURN(a,
                                    rebooking::MarkSelfRebooked(tx, a.Key(), new_start,
                                                                Outreach(env_, options_.outbox)));
            AppointmentToProto(tx, a, resp->add_appointments());
          }
          return absl::OkStatus();
        });
  });
}

grpc::Status AppointmentServiceImpl::CloseAppointment(grpc::ServerContext* ctx,
                                                      const v1::CloseAppointmentRequest* req,
                                                      v1::Appointment* resp) {
  return env_.Handle(ctx, "CloseAppointment", *req, [&](const Call& call) -> absl::Status {
    return ChangeOne(env_, call, req->request_id(), kCloseAppointmentMethod, *req, req->name(),
                     resp, [&](storage::Transaction& tx, const domain::Appointment& a) {
                       return rebooking::CloseAppointment(tx, a.Key(), req->reason(),
                                                          Outreach(env_, options_.outbox));
                     });
  });
}

grpc::Status AppointmentServiceImpl::DeleteAppointment(grpc::ServerContext* ctx,
                                                       const v1::DeleteAppointmentRequest* req,
                                                       google::protobuf::Empty*) {
  return env_.Handle(ctx, "DeleteAppointment", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kDeleteAppointments));
    REBOOK_RETURN_IF_ERROR(ParseAppointmentName(req->name(), "name").status());
    return env_.store().Write(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                              Visible(tx, call.principal, req->name(), "name"));
      return tx.DeleteAppointment(a.office_id, a.id);
    });
  });
}

grpc::Status AppointmentServiceImpl::ExplainSlot(grpc::ServerContext* ctx,
                                                 const v1::ExplainSlotRequest* req,
                                                 v1::SlotExplanation* resp) {
  return env_.Handle(ctx, "ExplainSlot", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadAppointments));
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadPlans));
    REBOOK_RETURN_IF_ERROR(ParseAppointmentName(req->name(), "name").status());
    const std::string& language = req->language_code();
    if (!language.empty() && language != "de" && language != "en") {
      return InvalidField("language_code", "must be \"de\" or \"en\"", "UNSUPPORTED_LANGUAGE");
    }
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                              Visible(tx, call.principal, req->name(), "name"));
      REBOOK_ASSIGN_OR_RETURN(rebooking::SlotExplanationResult r,
                              rebooking::ExplainAppointmentSlot(tx, a.Key()));
      // Offices the caller may not see stay out of the answer.
      rebooking::SlotExplanation& e = r.explanation;
      std::erase_if(e.allowed_offices,
                    [&](const std::string& o) { return !call.principal.CanAccessOffice(o); });
      std::erase_if(e.days, [&](const rebooking::DayExplanation& d) {
        return !call.principal.CanAccessOffice(d.office_id);
      });
      ToProto(r, language.empty() ? "de" : language, resp);
      return absl::OkStatus();
    });
  });
}

}  // namespace rebook::api
