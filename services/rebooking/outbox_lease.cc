// LeaseMessages: claiming due messages for a worker, with limits and the content to send.
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/outbox_internal.h"
#include "services/rebooking/outbox_limits.h"
#include "services/rebooking/privacy_minimise.h"

namespace rebook::rebooking {
namespace {

using domain::MessageEvent;
using domain::MessageKind;
using domain::MessageState;
using domain::OutboxMessage;
using outbox_internal::Event;
using outbox_internal::MarkDead;

// Offices and services read once per lease batch; the batch's appointments and offers read
// together (one FindAppointments and one FindOffers instead of two reads per message: on
// PostgreSQL, two round trips, made while the outbox lock is held).
class ReferenceReader {
 public:
  explicit ReferenceReader(storage::Transaction& tx) : tx_(tx) {}

  absl::Status Load(const std::vector<storage::LeasedMessage>& claimed) {
    std::vector<domain::AppointmentKey> keys;
    std::vector<storage::OfferKey> offer_keys;
    keys.reserve(claimed.size());
    offer_keys.reserve(claimed.size());
    for (const storage::LeasedMessage& c : claimed) {
      keys.push_back(c.message.appointment_key());
      offer_keys.push_back({.appointment = keys.back(), .version = c.message.offer_version});
    }
    REBOOK_ASSIGN_OR_RETURN(std::vector<domain::Appointment> found, tx_.FindAppointments(keys));
    for (domain::Appointment& a : found) {
      domain::AppointmentKey key{.office_id = a.office_id, .id = a.id};
      appointments_.emplace(std::move(key), std::move(a));
    }
    REBOOK_ASSIGN_OR_RETURN(std::vector<domain::Offer> offers, tx_.FindOffers(offer_keys));
    for (domain::Offer& o : offers) {
      OfferId id{domain::AppointmentKey{.office_id = o.office_id, .id = o.appointment_id},
                 o.version};
      offers_.emplace(std::move(id), std::move(o));
    }
    return absl::OkStatus();
  }
  // The offer `version` of `key` among those loaded; nullptr if it does not exist.
  const domain::Offer* Offer(const domain::AppointmentKey& key, int version) const {
    auto it = offers_.find(OfferId{key, version});
    return it == offers_.end() ? nullptr : &it->second;
  }
  // The appointment of `key` among those loaded; NOT_FOUND if it does not exist.
  absl::StatusOr<domain::Appointment> Appointment(const domain::AppointmentKey& key) const {
    auto it = appointments_.find(key);
    if (it == appointments_.end()) {
      return absl::NotFoundError(absl::StrCat("no appointment ", key.office_id, "/", key.id));
    }
    return it->second;
  }

  absl::StatusOr<domain::Office> Office(const std::string& id) {
    auto it = offices_.find(id);
    if (it == offices_.end()) {
      REBOOK_ASSIGN_OR_RETURN(domain::Office o, tx_.GetOffice(id));
      it = offices_.emplace(id, std::move(o)).first;
    }
    return it->second;
  }
  absl::StatusOr<domain::Service> Service(const std::string& id) {
    auto it = services_.find(id);
    if (it == services_.end()) {
      REBOOK_ASSIGN_OR_RETURN(domain::Service s, tx_.GetService(id));
      it = services_.emplace(id, std::move(s)).first;
    }
    return it->second;
  }

 private:
  storage::Transaction& tx_;
  std::map<std::string, domain::Office> offices_;
  std::map<std::string, domain::Service> services_;
  std::map<domain::AppointmentKey, domain::Appointment> appointments_;
  using OfferId = std::pair<domain::AppointmentKey, int>;
  std::map<OfferId, domain::Offer> offers_;
};

// The content of `m`, or the reason it must not be sent (`skip`).
struct ContentOrSkip {
  MessageContent content;
  std::string skip;
};

absl::StatusOr<ContentOrSkip> BuildContent(ReferenceReader& refs, const OutboxMessage& m) {
  ContentOrSkip out;
  absl::StatusOr<domain::Appointment> appointment = refs.Appointment(m.appointment_key());
  if (absl::IsNotFound(appointment.status())) {
    out.skip = "not sent: the appointment was deleted";
    return out;
  }
  REBOOK_RETURN_IF_ERROR(appointment.status());
  const domain::Offer* offer = refs.Offer(m.appointment_key(), m.offer_version);
  if (offer == nullptr) {
    out.skip = absl::StrCat("not sent: offer v", m.offer_version, " does not exist");
    return out;
  }
  // An offer or reminder for an offer the citizen already answered, or that was withdrawn,
  // would ask them to act on a slot they no longer hold.
  const bool asks_for_answer = m.kind == MessageKind::kOffer || m.kind == MessageKind::kReminder;
  if (asks_for_answer && offer->state != domain::OfferState::kOpen) {
    out.skip = absl::StrCat("not sent: the offer is ", std::string(domain::ToString(offer->state)));
    return out;
  }
  const domain::OfferSlot& slot = offer->HeldSlot();
  REBOOK_ASSIGN_OR_RETURN(out.content.office,
                          refs.Office(slot.office_id.empty() ? m.office_id : slot.office_id));
  REBOOK_ASSIGN_OR_RETURN(domain::Service service, refs.Service(appointment->service_id));
  out.content.recipient = MinimalContact(appointment->contact, m.channel);
  out.content.service_name = service.name;
  out.content.slot = slot.time;
  out.content.original_start = appointment->original_start;
  out.content.response_token = offer->token;
  if (asks_for_answer) out.content.offer_expire_time = offer->expire_time;
  out.content.explanation = m.explanation.empty() ? offer->explanation : m.explanation;
  return out;
}

}  // namespace

absl::StatusOr<std::vector<OutboxLease>> LeaseMessages(storage::Transaction& tx,
                                                       const OutboxPolicy& policy,
                                                       const LeaseOptions& options,
                                                       OutboxLimits* limits, Instant now,
                                                       IdGenerator& ids) {
  storage::LeaseRequest request{.channels = options.channels,
                                .max_messages = options.max_messages,
                                .now = now,
                                .lease_until = now + options.lease_duration,
                                .lease_token = ids.NewId("lease"),
                                .worker = options.worker};
  REBOOK_ASSIGN_OR_RETURN(std::vector<storage::LeasedMessage> claimed, tx.LeaseMessages(request));
  ReferenceReader refs(tx);
  REBOOK_RETURN_IF_ERROR(refs.Load(claimed));
  std::vector<OutboxLease> out;
  std::vector<MessageEvent> events;
  out.reserve(claimed.size());
  for (storage::LeasedMessage& c : claimed) {
    OutboxMessage& m = c.message;
    const bool expired = c.previous_state == MessageState::kLeased;
    bool changed = false;
    if (expired) {
      // The abandoned lease counts as an attempt: it may have been sent.
      ++m.attempts;
      changed = true;
      const int max_attempts = policy.RetryFor(m.channel).max_attempts;
      if (m.attempts >= max_attempts) {
        m.state = c.previous_state;
        MarkDead(m, absl::StrCat("lease expired ", m.attempts, " times without a report"), now,
                 options.worker, events);
        REBOOK_RETURN_IF_ERROR(tx.UpdateMessage(m));
        continue;
      }
    }
    REBOOK_ASSIGN_OR_RETURN(ContentOrSkip content, BuildContent(refs, m));
    if (!content.skip.empty()) {
      m.state = c.previous_state;
      MarkDead(m, content.skip, now, options.worker, events);
      REBOOK_RETURN_IF_ERROR(tx.UpdateMessage(m));
      continue;
    }
    if (!expired && limits != nullptr) {
      OutboxLimits::Decision d = limits->Acquire(m.office_id, m.channel);
      if (!d.allowed) {
        // Back to where it was, without an event: from outside it never left that state.
        m.state = c.previous_state;
        m.next_attempt_time = d.retry_at;
        m.lease_expire_time.reset();
        m.lease_token.clear();
        REBOOK_RETURN_IF_ERROR(tx.UpdateMessage(m));
        continue;
      }
    }
    if (changed) REBOOK_RETURN_IF_ERROR(tx.UpdateMessage(m));
    events.push_back(
        Event(m, c.previous_state, MessageState::kLeased, now,
              expired ? "leased again: the previous lease expired without a report" : "leased",
              options.worker));
    out.push_back(OutboxLease{.message = std::move(m), .content = std::move(content.content)});
  }
  REBOOK_RETURN_IF_ERROR(tx.AddMessageEvents(events));
  return out;
}

}  // namespace rebook::rebooking
