#include "services/api/privacy_service.h"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/api/access.h"
#include "services/api/convert.h"
#include "services/api/convert_notifications.h"
#include "services/api/convert_offers.h"
#include "services/api/names.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/rebooking/privacy_citizen.h"

namespace rebook::api {
namespace {

constexpr char kUpdateSettings[] = "rebook.v1.PrivacyService/UpdatePrivacySettings";
constexpr char kErase[] = "rebook.v1.PrivacyService/EraseCitizenData";
constexpr char kSettingsSuffix[] = "/privacySettings";
constexpr std::size_t kMaxCitizen = 320;

using OfficeScope = std::optional<std::vector<std::string>>;

// The office of `offices/{office}/privacySettings`.
absl::StatusOr<std::string> ParseSettingsName(const std::string& name, const std::string& field) {
  if (!absl::EndsWith(name, kSettingsSuffix)) {
    return InvalidField(field, "must be offices/{office}/privacySettings", "BAD_NAME");
  }
  return ParseOfficeName(name.substr(0, name.size() - (sizeof(kSettingsSuffix) - 1)), field);
}

void ToProto(const rebooking::RetentionView& in, v1::PrivacySettings* out) {
  out->Clear();
  out->set_name(OfficeName(in.office_id) + kSettingsSuffix);
  out->set_retention_days(in.retention_days);
  out->set_retention_is_default(in.is_default);
  if (!in.is_default) *out->mutable_update_time() = ToTimestamp(in.update_time);
}

// Who the request means, and the offices to look in: the parent's (checked against the
// caller's), narrowed to the office of an appointment name.
struct CitizenQuery {
  rebooking::CitizenKey key;
  OfficeScope scope;
};

absl::StatusOr<CitizenQuery> ParseCitizenQuery(const Principal& who, const std::string& parent,
                                               const std::string& citizen) {
  FieldViolations v;
  absl::StatusOr<std::string> office = ParseOfficeName(parent, "parent", /*allow_wildcard=*/true);
  if (!office.ok()) v.Add("parent", "must be offices/{office} or offices/-", "BAD_NAME");
  CitizenQuery q;
  std::string scope_office = office.ok() ? *office : kAnyOffice;
  if (citizen.empty()) {
    v.Add("citizen", "is required", "REQUIRED");
  } else if (citizen.size() > kMaxCitizen) {
    v.Add("citizen", absl::StrCat("must be at most ", kMaxCitizen, " bytes"), "TOO_LONG");
  } else if (absl::StartsWith(citizen, "offices/")) {
    absl::StatusOr<AppointmentName> n = ParseAppointmentName(citizen, "citizen");
    if (!n.ok()) {
      v.Add("citizen", "must be offices/{office}/appointments/{appointment}", "BAD_NAME");
    } else if (office.ok() && *office != kAnyOffice && *office != n->office_id) {
      v.Add("citizen", "must be an appointment of the parent office", "OFFICE_MISMATCH");
    } else {
      q.key = {rebooking::CitizenKey::Kind::kAppointment, n->appointment_id, n->office_id};
      scope_office = n->office_id;
    }
  } else if (citizen.find('@') != std::string::npos) {
    q.key = {rebooking::CitizenKey::Kind::kEmail, citizen};
  } else if (!rebooking::PhoneDigits(citizen).empty()) {
    q.key = {rebooking::CitizenKey::Kind::kPhone, citizen};
  } else {
    v.Add("citizen",
          "must be an appointment name, an e-mail address or a phone number (names alone "
          "identify nobody)",
          "BAD_CITIZEN");
  }
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid citizen request"));
  REBOOK_ASSIGN_OR_RETURN(q.scope, ListScope(who, scope_office));
  return q;
}

std::string Zone(storage::Transaction& tx, std::map<std::string, std::string>& zones,
                 const std::string& office_id) {
  auto [it, inserted] = zones.try_emplace(office_id);
  if (inserted) it->second = OfficeTimeZone(tx, office_id);
  return it->second;
}

void ToProto(const rebooking::ErasureCounts& c, v1::EraseCitizenDataResponse* out) {
  out->set_erased_appointment_count(c.appointments);
  out->set_scrubbed_offer_count(c.offers);
  out->set_scrubbed_message_count(c.messages);
  out->set_deleted_stored_response_count(c.stored_responses);
}

}  // namespace

rebooking::ErasureContext PrivacyServiceImpl::Context() const {
  return {.now = env_.clock().Now(), .ids = &env_.ids(), .outbox = &outbox_};
}

grpc::Status PrivacyServiceImpl::GetPrivacySettings(Ctx* ctx,
                                                    const v1::GetPrivacySettingsRequest* req,
                                                    v1::PrivacySettings* resp) {
  return env_.Handle(ctx, "GetPrivacySettings", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePersonalData));
    REBOOK_ASSIGN_OR_RETURN(std::string office, ParseSettingsName(req->name(), "name"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, office, "office", OfficeName(office)));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      absl::StatusOr<rebooking::RetentionView> view =
          rebooking::GetRetention(tx, office, retention_);
      if (!view.ok()) return MapNotFound(view.status(), "office", OfficeName(office));
      ToProto(*view, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status PrivacyServiceImpl::UpdatePrivacySettings(Ctx* ctx,
                                                       const v1::UpdatePrivacySettingsRequest* req,
                                                       v1::PrivacySettings* resp) {
  return env_.Handle(ctx, "UpdatePrivacySettings", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePersonalData));
    FieldViolations v;
    absl::StatusOr<std::string> office = ParseSettingsName(req->settings().name(), "settings.name");
    if (!office.ok())
      v.Add("settings.name", "must be offices/{office}/privacySettings", "BAD_NAME");
    const int days = req->settings().retention_days();
    if (days < rebooking::kMinRetentionDays || days > rebooking::kMaxRetentionDays) {
      v.Add("settings.retention_days",
            absl::StrCat("must be ", rebooking::kMinRetentionDays, " to ",
                         rebooking::kMaxRetentionDays, " days"),
            "OUT_OF_RANGE");
    }
    if (absl::Status s = CheckRequestId(req->request_id()); !s.ok()) {
      v.Add("request_id", std::string(s.message()), "BAD_REQUEST_ID");
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid privacy settings"));
    REBOOK_RETURN_IF_ERROR(RequireOffice(call.principal, *office, "office", OfficeName(*office)));
    return env_.WriteIdempotent(
        call, req->request_id(), kUpdateSettings, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          absl::StatusOr<rebooking::RetentionView> view =
              rebooking::SetRetention(tx, *office, days, env_.clock().Now(), retention_);
          if (!view.ok()) return MapNotFound(view.status(), "office", OfficeName(*office));
          ToProto(*view, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status PrivacyServiceImpl::ExportCitizenData(Ctx* ctx,
                                                   const v1::ExportCitizenDataRequest* req,
                                                   v1::CitizenData* resp) {
  return env_.Handle(ctx, "ExportCitizenData", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePersonalData));
    REBOOK_ASSIGN_OR_RETURN(CitizenQuery q,
                            ParseCitizenQuery(call.principal, req->parent(), req->citizen()));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(rebooking::CitizenData data,
                              rebooking::ExportCitizenData(tx, q.scope, q.key));
      resp->Clear();
      resp->set_citizen(req->citizen());
      *resp->mutable_export_time() = ToTimestamp(env_.clock().Now());
      std::map<std::string, std::string> zones;
      for (const domain::Appointment& a : data.appointments) {
        ToProto(
            a, [&](const std::string& office) { return Zone(tx, zones, office); },
            resp->add_appointments());
      }
      for (const domain::Offer& o : data.offers) {
        ToProto(o, Zone(tx, zones, o.office_id), resp->add_offers());
      }
      for (const domain::OutboxMessage& m : data.messages) {
        ToProto(m, std::optional<std::span<const domain::MessageEvent>>(data.events[m.id]),
                resp->add_messages());
      }
      for (const storage::ErasureRecord& e : data.erasures) {
        v1::Erasure* out = resp->add_erasures();
        out->set_appointment(AppointmentResourceName(e.office_id, e.appointment_id));
        *out->mutable_erase_time() = ToTimestamp(e.erase_time);
        out->set_reason(e.reason);
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status PrivacyServiceImpl::EraseCitizenData(Ctx* ctx, const v1::EraseCitizenDataRequest* req,
                                                  v1::EraseCitizenDataResponse* resp) {
  return env_.Handle(ctx, "EraseCitizenData", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePersonalData));
    REBOOK_RETURN_IF_ERROR(CheckRequestId(req->request_id()));
    REBOOK_ASSIGN_OR_RETURN(CitizenQuery q,
                            ParseCitizenQuery(call.principal, req->parent(), req->citizen()));
    REBOOK_RETURN_IF_ERROR(env_.WriteIdempotent(
        call, req->request_id(), kErase, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(rebooking::CitizenErasure erased,
                                  rebooking::EraseCitizenData(tx, q.scope, q.key, Context()));
          resp->Clear();
          std::map<std::string, std::string> zones;
          for (const domain::Appointment& a : erased.appointments) {
            ToProto(
                a, [&](const std::string& office) { return Zone(tx, zones, office); },
                resp->add_appointments());
          }
          ToProto(erased.counts, resp);
          return absl::OkStatus();
        }));
    // Gone from the file, not only from the tables.
    return env_.store().FlushErasures(call.tx_options);
  });
}

grpc::Status PrivacyServiceImpl::PurgeExpiredData(Ctx* ctx, const v1::PurgeExpiredDataRequest* req,
                                                  v1::PurgeExpiredDataResponse* resp) {
  return env_.Handle(ctx, "PurgeExpiredData", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePersonalData));
    REBOOK_ASSIGN_OR_RETURN(std::string office,
                            ParseOfficeName(req->parent(), "parent", /*allow_wildcard=*/true));
    REBOOK_ASSIGN_OR_RETURN(OfficeScope scope, ListScope(call.principal, office));
    REBOOK_ASSIGN_OR_RETURN(
        rebooking::PurgeResult r,
        rebooking::RunPurge(env_.store(), scope, retention_, Context(), call.tx_options));
    resp->Clear();
    resp->set_erased_appointment_count(r.erased.appointments);
    resp->set_scrubbed_offer_count(r.erased.offers);
    resp->set_scrubbed_message_count(r.erased.messages);
    resp->set_deleted_stored_response_count(r.erased.stored_responses);
    resp->set_due_outage_count(r.outages_due);
    resp->set_complete(r.complete);
    return absl::OkStatus();
  });
}

}  // namespace rebook::api
