#include "services/api/convert_offers.h"

#include <charconv>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/convert.h"
#include "services/api/names.h"

namespace rebook::api {
namespace {

void SlotToProto(const domain::OfferSlot& in, const std::string& time_zone, v1::OfferSlot* out) {
  out->Clear();
  out->set_office(OfficeName(in.office_id));
  out->set_clerk(ClerkName(in.clerk_id));
  ToIntervalProto(in.time, out->mutable_interval());
  out->set_cost(in.cost);
  out->set_time_zone(time_zone);
}

}  // namespace

absl::StatusOr<OfferName> ParseOfferName(const std::string& name, const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  OfferName n;
  bool ok = parts.size() == 6 && parts[0] == "offices" && parts[2] == "appointments" &&
            parts[4] == "offers" && domain::IsValidId(parts[1]) && domain::IsValidId(parts[3]);
  if (ok) {
    const std::string& v = parts[5];
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n.version);
    ok = ec == std::errc() && end == v.data() + v.size() && n.version >= 1;
  }
  if (!ok) {
    return InvalidField(
        field, "must be offices/{office}/appointments/{appointment}/offers/{version}", "BAD_NAME");
  }
  n.office_id = parts[1];
  n.appointment_id = parts[3];
  return n;
}

std::string OfferResourceName(const domain::Offer& o) {
  return absl::StrCat(AppointmentResourceName(o.office_id, o.appointment_id), "/offers/",
                      o.version);
}

v1::Offer::State ToProto(domain::OfferState s) {
  switch (s) {
    case domain::OfferState::kOpen:
      return v1::Offer::OPEN;
    case domain::OfferState::kAccepted:
      return v1::Offer::ACCEPTED;
    case domain::OfferState::kDeclined:
      return v1::Offer::DECLINED;
    case domain::OfferState::kOtherTimeRequested:
      return v1::Offer::OTHER_TIME_REQUESTED;
    case domain::OfferState::kExpired:
      return v1::Offer::EXPIRED;
    case domain::OfferState::kWithdrawn:
      return v1::Offer::WITHDRAWN;
  }
  return v1::Offer::STATE_UNSPECIFIED;
}

std::optional<domain::OfferState> FromProto(v1::Offer::State s) {
  for (domain::OfferState d :
       {domain::OfferState::kOpen, domain::OfferState::kAccepted, domain::OfferState::kDeclined,
        domain::OfferState::kOtherTimeRequested, domain::OfferState::kExpired,
        domain::OfferState::kWithdrawn}) {
    if (ToProto(d) == s) return d;
  }
  return std::nullopt;
}

void ToProto(const domain::Offer& in, const std::string& time_zone, v1::Offer* out) {
  out->Clear();
  out->set_name(OfferResourceName(in));
  out->set_plan(PlanResourceName(in.outage_id, in.plan_id));
  out->set_state(ToProto(in.state));
  SlotToProto(in.HeldSlot(), time_zone, out->mutable_slot());
  for (const domain::OfferSlot& s : in.alternatives) {
    SlotToProto(s, time_zone, out->add_alternatives());
  }
  *out->mutable_create_time() = ToTimestamp(in.create_time);
  *out->mutable_expire_time() = ToTimestamp(in.expire_time);
  if (in.respond_time) *out->mutable_respond_time() = ToTimestamp(*in.respond_time);
  out->set_response_channel(in.response_channel);
  out->set_explanation(in.explanation);
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

}  // namespace rebook::api
