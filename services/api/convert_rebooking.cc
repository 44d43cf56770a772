#include "services/api/convert_rebooking.h"

#include "absl/strings/str_cat.h"
#include "services/api/convert.h"
#include "services/api/convert_notifications.h"
#include "services/api/convert_offers.h"
#include "services/api/names.h"

namespace rebook::api {

void ToProto(const rebooking::OutageImpact& in, v1::OutageImpact* out) {
  out->Clear();
  out->set_outage(OutageName(in.outage_id));
  for (const rebooking::OutageImpactRow& r : in.rows) {
    v1::OutageImpact::Row* row = out->add_rows();
    row->set_office(OfficeName(r.office_id));
    row->set_service_type(ServiceTypeName(r.service_id));
    ToDateProto(r.original_date, row->mutable_original_date());
    row->set_appointment_count(r.appointments);
    row->set_walk_in_count(r.walk_ins);
    row->set_case_count(r.cases);
    row->set_work_minutes(r.work_minutes);
  }
  for (const auto& [office, counts] : in.office_statuses) {
    v1::OutageImpact::OfficeStatus* s = out->add_office_statuses();
    s->set_office(OfficeName(office));
    for (const auto& [status, count] : counts) {
      (*s->mutable_status_counts())[v1::AppointmentStatus_Name(ToProto(status))] = count;
    }
  }
  out->set_total_appointments(in.total_appointments);
  out->set_total_cases(in.total_cases);
  out->set_total_work_minutes(in.total_work_minutes);
}

void ToProto(const rebooking::PublicOfferView& in, v1::PublicOffer* out) {
  out->Clear();
  out->set_state(ToProto(in.offer.state));
  out->set_office_display_name(in.office.name);
  out->set_office_address(in.office.address);
  out->set_service_display_name(in.service_name);
  ToIntervalProto(in.offer.HeldSlot().time, out->mutable_slot());
  for (const domain::OfferSlot& s : in.offer.alternatives) {
    ToIntervalProto(s.time, out->add_alternatives());
  }
  *out->mutable_expire_time() = ToTimestamp(in.offer.expire_time);
  out->set_time_zone(in.office.time_zone);
  out->set_language(in.language);
}

rebooking::OfferResponse FromProto(
    v1::OfferResponse response, bool has_alternative, int alternative_index,
    const google::protobuf::RepeatedPtrField<v1::TimeInterval>& unavailable, FieldViolations& v) {
  rebooking::OfferResponse r;
  switch (response) {
    case v1::ACCEPT:
      r.kind = rebooking::ResponseKind::kAccept;
      break;
    case v1::DECLINE:
      r.kind = rebooking::ResponseKind::kDecline;
      break;
    case v1::OTHER_TIME:
      r.kind = rebooking::ResponseKind::kOtherTime;
      break;
    default:
      v.Add("response", "must be ACCEPT, DECLINE or OTHER_TIME", "MISSING");
  }
  if (has_alternative) r.alternative_index = alternative_index;
  for (int i = 0; i < unavailable.size(); ++i) {
    r.unavailable.push_back(
        FromIntervalProto(unavailable[i], absl::StrCat("unavailable[", i, "]"), v));
  }
  return r;
}

std::optional<notify::DeliveryState> FromProto(v1::ReportDeliveryRequest::Outcome o) {
  switch (o) {
    case v1::ReportDeliveryRequest::SENT:
      return notify::DeliveryState::kSent;
    case v1::ReportDeliveryRequest::DELIVERED:
      return notify::DeliveryState::kDelivered;
    case v1::ReportDeliveryRequest::TEMPORARY_FAILURE:
      return notify::DeliveryState::kTemporaryFailure;
    case v1::ReportDeliveryRequest::PERMANENT_FAILURE:
      return notify::DeliveryState::kPermanentFailure;
    default:
      return std::nullopt;
  }
}

void ToProto(const rebooking::OutboxLease& in, const notify::ResponseLinks& links,
             v1::LeasedMessage* out) {
  out->Clear();
  ToProto(in.message, std::nullopt, out->mutable_message());
  out->set_lease_token(in.message.lease_token);
  const rebooking::MessageContent& c = in.content;
  v1::MessageContent* pc = out->mutable_content();
  ToProto(c.recipient, pc->mutable_recipient());
  pc->set_office_display_name(c.office.name);
  pc->set_office_address(c.office.address);
  pc->set_time_zone(c.office.time_zone);
  pc->set_service_display_name(c.service_name);
  ToIntervalProto(c.slot, pc->mutable_slot());
  pc->set_accept_url(links.accept);
  pc->set_decline_url(links.decline);
  pc->set_other_time_url(links.other_time);
  if (c.offer_expire_time.has_value()) {
    *pc->mutable_offer_expire_time() = ToTimestamp(*c.offer_expire_time);
  }
  pc->set_explanation(c.explanation);
  pc->set_response_token(c.response_token);
  pc->set_respond_url(links.respond);
  *pc->mutable_original_start_time() = ToTimestamp(c.original_start);
  pc->set_office(OfficeName(c.office.id));
}

void ToProto(const rebooking::DeliveryStats& in, v1::DeliveryStats* out) {
  out->Clear();
  out->set_outage(OutageName(in.outage_id));
  for (const rebooking::DeliveryStatsRow& row : in.rows) {
    v1::DeliveryStats::Row* pr = out->add_rows();
    pr->set_office(OfficeName(row.office_id));
    pr->set_channel(row.channel);
    for (const auto& [state, count] : row.state_counts) {
      (*pr->mutable_state_counts())[v1::Message::State_Name(ToProto(state))] = count;
    }
  }
  out->set_reached_citizens(in.reached_citizens);
  out->set_unreached_citizens(in.unreached_citizens);
}

}  // namespace rebook::api
