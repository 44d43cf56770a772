#include "services/api/offer_service.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/duration.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/api/access.h"
#include "services/api/convert_offers.h"
#include "services/api/convert_rebooking.h"
#include "services/api/names.h"
#include "services/api/operation_service.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"
#include "services/rebooking/offer_public.h"

namespace rebook::api {
namespace {

constexpr char kRecord[] = "rebook.v1.OfferService/RecordResponse";
constexpr char kExpiries[] = "rebook.v1.OfferService/ProcessExpiries";

absl::Status CheckToken(const std::string& token) {
  if (token.empty()) return InvalidField("token", "is required", "MISSING");
  return absl::OkStatus();
}

// An offer named `name` that the principal may see.
absl::StatusOr<domain::Offer> VisibleOffer(storage::Transaction& tx, const Principal& who,
                                           const OfferName& n, const std::string& name) {
  REBOOK_RETURN_IF_ERROR(RequireOffice(who, n.office_id, "offer", name));
  absl::StatusOr<domain::Offer> o = tx.GetOffer({n.office_id, n.appointment_id}, n.version);
  if (!o.ok()) return MapNotFound(o.status(), "offer", name);
  return o;
}

// Every x-forwarded-for entry of the call, joined as one header would be.
std::string ForwardedFor(const grpc::ServerContext& ctx) {
  std::vector<std::string> values;
  auto range = ctx.client_metadata().equal_range("x-forwarded-for");
  for (auto it = range.first; it != range.second; ++it) {
    values.emplace_back(it->second.data(), it->second.size());
  }
  return absl::StrJoin(values, ",");
}

// RESOURCE_EXHAUSTED with RetryInfo, and the wait as `retry-after` trailing metadata.
grpc::Status TooManyAttempts(grpc::ServerContext* ctx, std::chrono::nanoseconds wait) {
  const long long seconds = RetryAfterSeconds(wait);
  ctx->AddTrailingMetadata("retry-after", std::to_string(seconds));
  const std::string message =
      absl::StrCat("too many attempts with offer tokens; retry in ", seconds, " s");
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(seconds);
  google::rpc::Status rich;
  rich.set_code(grpc::StatusCode::RESOURCE_EXHAUSTED);
  rich.set_message(message);
  rich.add_details()->PackFrom(retry);
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message, rich.SerializeAsString());
}

}  // namespace

grpc::Status OfferServiceImpl::Throttled(Ctx* ctx, const char* method, const std::string& token,
                                         absl::FunctionRef<grpc::Status()> call) {
  if (throttle_ == nullptr) return call();
  const std::string client = throttle_->ClientKey(PeerAddress(ctx->peer()), ForwardedFor(*ctx));
  if (std::chrono::nanoseconds wait = throttle_->Admit(client, token);
      wait > std::chrono::nanoseconds(0)) {
    // No address in the log: it is personal data, and the limit needs no record of it.
    Log(LogLevel::kWarning, "rpc",
        {{"method", method}, {"principal", "public"}, {"code", "RESOURCE_EXHAUSTED"}});
    return TooManyAttempts(ctx, wait);
  }
  grpc::Status status = call();
  throttle_->Record(client, token, status.error_code() != grpc::StatusCode::NOT_FOUND);
  return status;
}

rebooking::OfferContext OfferServiceImpl::Context() const {
  return {env_.clock().Now(), &env_.ids(), &outbox_, &policy_};
}

grpc::Status OfferServiceImpl::GetPublicOffer(Ctx* ctx, const v1::GetPublicOfferRequest* req,
                                              v1::PublicOffer* resp) {
  return Throttled(ctx, "GetPublicOffer", req->token(), [&] {
    return env_.HandlePublic(ctx, "GetPublicOffer", *req, [&](const Call& call) -> absl::Status {
      REBOOK_RETURN_IF_ERROR(CheckToken(req->token()));
      return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
        REBOOK_ASSIGN_OR_RETURN(rebooking::PublicOfferView view,
                                rebooking::LoadPublicOffer(tx, req->token(), env_.clock().Now()));
        ToProto(view, resp);
        return absl::OkStatus();
      });
    });
  });
}

grpc::Status OfferServiceImpl::RespondToOffer(Ctx* ctx, const v1::RespondToOfferRequest* req,
                                              v1::PublicOffer* resp) {
  return Throttled(ctx, "RespondToOffer", req->token(), [&] {
    return env_.HandlePublic(ctx, "RespondToOffer", *req, [&](const Call& call) -> absl::Status {
      REBOOK_RETURN_IF_ERROR(CheckToken(req->token()));
      FieldViolations v;
      rebooking::OfferResponse response =
          FromProto(req->response(), req->has_alternative_index(), req->alternative_index(),
                    req->unavailable(), v);
      REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid response"));
      response.channel = "link";
      return env_.store().Write(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
        REBOOK_ASSIGN_OR_RETURN(rebooking::PublicResponse r,
                                rebooking::RespondByToken(tx, req->token(), response, Context()));
        ToProto(r.view, resp);
        return absl::OkStatus();
      });
    });
  });
}

grpc::Status OfferServiceImpl::RecordResponse(Ctx* ctx, const v1::RecordResponseRequest* req,
                                              v1::Offer* resp) {
  return env_.Handle(ctx, "RecordResponse", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kRecordResponses));
    REBOOK_ASSIGN_OR_RETURN(OfferName n, ParseOfferName(req->name(), "name"));
    FieldViolations v;
    rebooking::OfferResponse response = FromProto(req->response(), req->has_alternative_index(),
                                                  req->alternative_index(), req->unavailable(), v);
    response.channel = req->response_channel().empty() ? "staff" : req->response_channel();
    if (response.channel != "phone" && response.channel != "staff") {
      v.Add("response_channel", "must be \"phone\" or \"staff\"", "BAD_CHANNEL");
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid response"));
    return env_.WriteIdempotent(
        call, req->request_id(), kRecord, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(domain::Offer offer,
                                  VisibleOffer(tx, call.principal, n, req->name()));
          REBOOK_ASSIGN_OR_RETURN(rebooking::ResponseResult r,
                                  rebooking::RespondToOffer(tx, offer, response, Context()));
          ToProto(r.offer, OfficeTimeZone(tx, r.offer.HeldSlot().office_id), resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status OfferServiceImpl::GetOffer(Ctx* ctx, const v1::GetOfferRequest* req, v1::Offer* resp) {
  return env_.Handle(ctx, "GetOffer", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadOffers));
    REBOOK_ASSIGN_OR_RETURN(OfferName n, ParseOfferName(req->name(), "name"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Offer o, VisibleOffer(tx, call.principal, n, req->name()));
      ToProto(o, OfficeTimeZone(tx, o.HeldSlot().office_id), resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status OfferServiceImpl::ListOffers(Ctx* ctx, const v1::ListOffersRequest* req,
                                          v1::ListOffersResponse* resp) {
  return env_.Handle(ctx, "ListOffers", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadOffers));
    storage::OfferFilter filter;
    std::string office;
    if (req->parent().find("/appointments/") != std::string::npos) {
      REBOOK_ASSIGN_OR_RETURN(AppointmentName a, ParseAppointmentName(req->parent(), "parent"));
      office = a.office_id;
      filter.appointment = domain::AppointmentKey{a.office_id, a.appointment_id};
    } else {
      REBOOK_ASSIGN_OR_RETURN(office, ParseOfficeName(req->parent(), "parent", true));
    }
    REBOOK_ASSIGN_OR_RETURN(filter.office_ids, ListScope(call.principal, office));
    if (!req->outage().empty()) {
      REBOOK_ASSIGN_OR_RETURN(filter.outage_id, ParseOutageName(req->outage(), "outage"));
    }
    for (int s : req->states()) {
      std::optional<domain::OfferState> state = FromProto(static_cast<v1::Offer::State>(s));
      if (!state) return InvalidField("states", "must not be STATE_UNSPECIFIED", "BAD_STATE");
      filter.states.push_back(*state);
    }
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListOffers(filter, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      std::map<std::string, std::string> zones;
      for (const domain::Offer& o : page.items) {
        const std::string& office_id = o.HeldSlot().office_id;
        auto z = zones.find(office_id);
        if (z == zones.end()) z = zones.emplace(office_id, OfficeTimeZone(tx, office_id)).first;
        ToProto(o, z->second, resp->add_offers());
      }
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status OfferServiceImpl::ProcessExpiries(Ctx* ctx, const v1::ProcessExpiriesRequest* req,
                                               v1::ProcessExpiriesResponse* resp) {
  return env_.Handle(ctx, "ProcessExpiries", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kProcessExpiries));
    const std::shared_ptr<Operation> op = OperationOf(operations_, ctx);
    return env_.WriteIdempotent(
        call, req->request_id(), kExpiries, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          rebooking::OfferContext context = Context();
          context.progress = op.get();
          REBOOK_ASSIGN_OR_RETURN(
              rebooking::ExpiryResult r,
              rebooking::ProcessExpiries(tx, call.principal.VisibleOffices(), context));
          resp->set_expired_count(r.expired);
          resp->set_reminders_queued(r.reminders_queued);
          return absl::OkStatus();
        });
  });
}

}  // namespace rebook::api
