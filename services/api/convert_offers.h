// Conversions of offers between API v1 and the domain (see convert.h for the conventions).
#ifndef REBOOK_SERVICES_API_CONVERT_OFFERS_H_
#define REBOOK_SERVICES_API_CONVERT_OFFERS_H_

#include <string>

#include "absl/status/statusor.h"
#include "rebook/v1/offers.pb.h"
#include "services/common/field_violations.h"
#include "services/domain/outreach.h"
#include "services/rebooking/offer_public.h"
#include "services/rebooking/offers.h"

namespace rebook::api {

namespace v1 = ::rebook::v1;

struct OfferName {
  std::string office_id;
  std::string appointment_id;
  int version = 0;
};

// `offices/{office}/appointments/{appointment}/offers/{version}`.
absl::StatusOr<OfferName> ParseOfferName(const std::string& name, const std::string& field);
std::string OfferResourceName(const domain::Offer& offer);

v1::Offer::State ToProto(domain::OfferState s);
// UNSPECIFIED maps to nullopt.
std::optional<domain::OfferState> FromProto(v1::Offer::State s);

// `time_zone`: the zone of the offered office.
void ToProto(const domain::Offer& in, const std::string& time_zone, v1::Offer* out);

// What the citizen sees: no clerk, no costs.
void ToProto(const rebooking::PublicOfferView& in, v1::PublicOffer* out);

// A response from RespondToOffer / RecordResponse fields. Violations go under their own names.
rebooking::OfferResponse FromProto(
    v1::OfferResponse response, bool has_alternative, int alternative_index,
    const google::protobuf::RepeatedPtrField<v1::TimeInterval>& unavailable, FieldViolations& v);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_OFFERS_H_
