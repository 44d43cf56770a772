#include "services/rebooking/offer_public.h"

#include "services/common/status_macros.h"
#include "services/rebooking/slot_explain.h"

namespace rebook::rebooking {
namespace {

absl::StatusOr<PublicOfferView> View(storage::Transaction& tx, domain::Offer offer, Instant now) {
  PublicOfferView v;
  REBOOK_ASSIGN_OR_RETURN(v.office, tx.GetOffice(offer.HeldSlot().office_id));
  REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                          tx.GetAppointment(offer.office_id, offer.appointment_id));
  absl::StatusOr<domain::Service> service = tx.GetService(a.service_id);
  v.service_name = service.ok() ? service->name : a.service_id;
  v.language = a.contact.language;
  if (offer.state == domain::OfferState::kOpen &&
      (now >= offer.expire_time || now >= offer.HeldSlot().time.start)) {
    offer.state = domain::OfferState::kExpired;
  }
  v.offer = std::move(offer);
  return v;
}

}  // namespace

absl::StatusOr<PublicOfferView> LoadPublicOffer(storage::Transaction& tx, const std::string& token,
                                                Instant now) {
  REBOOK_ASSIGN_OR_RETURN(domain::Offer offer, FindOfferForToken(tx, token));
  REBOOK_ASSIGN_OR_RETURN(PublicOfferView v, View(tx, std::move(offer), now));
  if (v.offer.state == domain::OfferState::kOpen) {
    // Best effort: the page works without it (e.g. the plan was erased with the outage).
    absl::StatusOr<SlotExplanationResult> why =
        ExplainAppointmentSlot(tx, v.offer.appointment_key());
    if (why.ok()) {
      for (const char* lang : {"de", "en"}) {
        v.why_not_earlier[lang] = CitizenText(why->explanation, lang);
      }
    }
  }
  return v;
}

absl::StatusOr<PublicResponse> RespondByToken(storage::Transaction& tx, const std::string& token,
                                              const OfferResponse& response,
                                              const OfferContext& ctx) {
  REBOOK_ASSIGN_OR_RETURN(domain::Offer offer, FindOfferForToken(tx, token));
  REBOOK_ASSIGN_OR_RETURN(ResponseResult r, RespondToOffer(tx, offer, response, ctx));
  PublicResponse out;
  out.repeated = r.repeated;
  REBOOK_ASSIGN_OR_RETURN(out.view, View(tx, std::move(r.offer), ctx.now));
  return out;
}

}  // namespace rebook::rebooking
