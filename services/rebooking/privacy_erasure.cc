#include "services/rebooking/privacy_erasure.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "services/common/status_macros.h"
#include "services/rebooking/offers.h"
#include "services/rebooking/outbox_internal.h"
#include "services/rebooking/slots.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::MessageState;

// Shorter values would match unrelated stored responses by chance; deleting those costs only
// their replay protection, but there is no reason to.
constexpr std::size_t kMinNeedle = 3;

bool WaitsForSlot(AppointmentStatus s) {
  return s == AppointmentStatus::kCancelled || s == AppointmentStatus::kOffered ||
         s == AppointmentStatus::kDeclined;
}

// The values whose every copy must go, as stored responses may repeat them.
std::vector<std::string> Needles(const domain::Contact& c) {
  std::vector<std::string> out;
  for (const std::string* v : {&c.name, &c.phone, &c.email, &c.postal_address}) {
    if (v->size() >= kMinNeedle) out.push_back(*v);
  }
  return out;
}

// Unsent messages of the appointment become DEAD: their content can no longer be built.
absl::StatusOr<std::int64_t> StopUnsentMessages(storage::Transaction& tx,
                                                const domain::AppointmentKey& key, Instant now) {
  storage::MessageFilter filter;
  filter.appointment = key;
  filter.states = {MessageState::kPending, MessageState::kFailed, MessageState::kLeased};
  std::vector<domain::OutboxMessage> unsent;
  REBOOK_RETURN_IF_ERROR(
      tx.ScanMessages(filter, [&](const domain::OutboxMessage& m) { unsent.push_back(m); }));
  std::vector<domain::MessageEvent> events;
  for (domain::OutboxMessage& m : unsent) {
    outbox_internal::MarkDead(m, kErasedText, now, "", events);
    m.lease_token.clear();
    m.leased_by.clear();
    REBOOK_RETURN_IF_ERROR(tx.UpdateMessage(m));
  }
  REBOOK_RETURN_IF_ERROR(tx.AddMessageEvents(events));
  return static_cast<std::int64_t>(unsent.size());
}

}  // namespace

ErasureCounts& ErasureCounts::operator+=(const ErasureCounts& o) {
  appointments += o.appointments;
  offers += o.offers;
  messages += o.messages;
  stored_responses += o.stored_responses;
  return *this;
}

absl::StatusOr<ErasureCounts> EraseAppointmentData(storage::Transaction& tx,
                                                   const domain::AppointmentKey& key,
                                                   const std::string& reason,
                                                   const ErasureContext& ctx) {
  REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, tx.GetAppointment(key.office_id, key.id));
  REBOOK_ASSIGN_OR_RETURN(std::optional<storage::ErasureRecord> done, tx.GetErasure(key));
  ErasureCounts counts;
  if (done.has_value()) return counts;

  if (WaitsForSlot(a.status)) {
    REBOOK_RETURN_IF_ERROR(WithdrawHeldOffer(tx, a, kErasedText,
                                             {.now = ctx.now, .ids = ctx.ids, .outbox = ctx.outbox},
                                             /*tell_citizen=*/false)
                               .status());
    REBOOK_ASSIGN_OR_RETURN(a, tx.GetAppointment(key.office_id, key.id));
    a.status = AppointmentStatus::kClosed;
    ReleaseSlots(a);
  }
  // Scrub first: the DEAD events of stopped messages then keep their reason.
  REBOOK_ASSIGN_OR_RETURN(counts.messages, tx.ScrubMessageText(key, kErasedText));
  REBOOK_ASSIGN_OR_RETURN(std::int64_t stopped, StopUnsentMessages(tx, key, ctx.now));
  counts.messages += stopped;
  REBOOK_ASSIGN_OR_RETURN(counts.offers, tx.ScrubOffers(key));
  const std::vector<std::string> needles = Needles(a.contact);
  REBOOK_ASSIGN_OR_RETURN(counts.stored_responses, tx.ForgetStoredResponses(needles));

  a.contact.name.clear();
  a.contact.phone.clear();
  a.contact.email.clear();
  a.contact.postal_address.clear();
  a.unavailable.clear();
  a.status_reason = kErasedText;
  a.update_time = ctx.now;
  REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
  REBOOK_RETURN_IF_ERROR(tx.PutErasure(
      {.appointment_id = a.id, .office_id = a.office_id, .erase_time = ctx.now, .reason = reason}));
  counts.appointments = 1;
  return counts;
}

bool OfficeInScope(const std::optional<std::vector<std::string>>& office_ids,
                   const std::string& office_id) {
  return !office_ids.has_value() ||
         std::find(office_ids->begin(), office_ids->end(), office_id) != office_ids->end();
}

}  // namespace rebook::rebooking
