// What a citizen holding a response token may see and do: the public side of offers, shared by
// OfferService (gRPC) and the HTTP response page (services/web).
//
//   store.Write(opts, [&](storage::Transaction& tx) -> absl::Status {
//     REBOOK_ASSIGN_OR_RETURN(PublicResponse r, RespondByToken(tx, token, response, ctx));
//     ...
//   });
#ifndef REBOOK_SERVICES_REBOOKING_OFFER_PUBLIC_H_
#define REBOOK_SERVICES_REBOOKING_OFFER_PUBLIC_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "services/rebooking/offers.h"
#include "storage/store.h"

namespace rebook::rebooking {

// An offer as its citizen sees it. Holds no contact data; never log it all the same.
struct PublicOfferView {
  domain::Offer offer;    // `state` is EXPIRED once due, even before ProcessExpiries ran
  domain::Office office;  // where the held slot is
  std::string service_name;
  std::string language;  // the citizen's BCP 47 tag
  // LoadPublicOffer, open offers: why no earlier slot was possible, one sentence by page
  // language ("de", "en"; CitizenText of slot_explanation.h). Empty when it cannot be said.
  std::map<std::string, std::string> why_not_earlier;
};

// NOT_FOUND for unknown tokens (see FindOfferForToken).
absl::StatusOr<PublicOfferView> LoadPublicOffer(storage::Transaction& tx, const std::string& token,
                                                Instant now);

struct PublicResponse {
  PublicOfferView view;  // after the response
  bool repeated = false;
};

// Finds the offer by token and applies RespondToOffer (see offers.h for the errors).
absl::StatusOr<PublicResponse> RespondByToken(storage::Transaction& tx, const std::string& token,
                                              const OfferResponse& response,
                                              const OfferContext& ctx);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OFFER_PUBLIC_H_
