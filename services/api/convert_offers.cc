#include "services/api/convert_offers.h"

#include "absl/strings/str_cat.h"
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

std::string OfferResourceName(const domain::Offer& o) {
  return OfferResourceName(o.office_id, o.appointment_id, o.version);
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

}  // namespace rebook::api
