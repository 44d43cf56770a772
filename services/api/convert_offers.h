// Conversions of offers between API v1 and the domain (see convert.h for the conventions; the
// rebooking offer types are converted in convert_rebooking.h).
#ifndef REBOOK_SERVICES_API_CONVERT_OFFERS_H_
#define REBOOK_SERVICES_API_CONVERT_OFFERS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "rebook/v1/offers.pb.h"
#include "services/api/names.h"
#include "services/domain/outreach.h"

namespace rebook::api {

namespace v1 = ::rebook::v1;

// OfferResourceName (names.h) of the offer.
std::string OfferResourceName(const domain::Offer& offer);

v1::Offer::State ToProto(domain::OfferState s);
// UNSPECIFIED maps to nullopt.
std::optional<domain::OfferState> FromProto(v1::Offer::State s);

// `time_zone`: the zone of the offered office.
void ToProto(const domain::Offer& in, const std::string& time_zone, v1::Offer* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_OFFERS_H_
