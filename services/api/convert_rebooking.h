// Conversions between API v1 and the use-case types of services/rebooking (outage impact,
// public offer views, offer responses, outbox leases and delivery statistics). Server side
// only: they are part of rebook::api, not of the client-safe rebook::api_client, whose
// conversions (convert.h, convert_offers.h, convert_notifications.h, convert_plans.h) know
// nothing of services/rebooking. Same conventions as convert.h.
#ifndef REBOOK_SERVICES_API_CONVERT_REBOOKING_H_
#define REBOOK_SERVICES_API_CONVERT_REBOOKING_H_

#include <optional>

#include "google/protobuf/repeated_ptr_field.h"
#include "rebook/v1/notifications.pb.h"
#include "rebook/v1/offers.pb.h"
#include "rebook/v1/outages.pb.h"
#include "services/common/field_violations.h"
#include "services/notify/message.h"
#include "services/rebooking/offer_public.h"
#include "services/rebooking/offers.h"
#include "services/rebooking/outages.h"
#include "services/rebooking/outbox.h"

namespace rebook::api {

namespace v1 = ::rebook::v1;

void ToProto(const rebooking::OutageImpact& in, v1::OutageImpact* out);

// What the citizen sees: no clerk, no costs.
void ToProto(const rebooking::PublicOfferView& in, v1::PublicOffer* out);

// A response from RespondToOffer / RecordResponse fields. Violations go under their own names.
rebooking::OfferResponse FromProto(
    v1::OfferResponse response, bool has_alternative, int alternative_index,
    const google::protobuf::RepeatedPtrField<v1::TimeInterval>& unavailable, FieldViolations& v);

// UNSPECIFIED maps to nullopt.
std::optional<notify::DeliveryState> FromProto(v1::ReportDeliveryRequest::Outcome o);

// A leased message with its content. `links` are the offer's response links (empty when the
// server has no public base URL).
void ToProto(const rebooking::OutboxLease& in, const notify::ResponseLinks& links,
             v1::LeasedMessage* out);

void ToProto(const rebooking::DeliveryStats& in, v1::DeliveryStats* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_REBOOKING_H_
