// The storage facets of plans, offers and the outbox. `storage::Transaction` offers all of them;
// see storage/store.h for the transaction contract, which holds here too.
#ifndef REBOOK_STORAGE_OUTREACH_STORE_H_
#define REBOOK_STORAGE_OUTREACH_STORE_H_

#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/domain/outreach.h"
#include "storage/paging.h"

namespace rebook::storage {

struct AssignmentFilter {
  // Assignments at, or whose appointment is originally from, one of these offices (an
  // empty list matches none).
  std::optional<std::vector<std::string>> office_ids;
  bool unassigned_only = false;
};

// Plans are keyed by (outage_id, id); their assignments by (outage_id, plan_id, appointment
// key) and listed in appointment key order (domain::AppointmentKey: id, then office).
class PlanTables {
 public:
  virtual ~PlanTables() = default;
  virtual absl::StatusOr<domain::PlanRecord> GetPlan(const std::string& outage_id,
                                                     const std::string& plan_id) = 0;
  // Newest first (create time, then id).
  virtual absl::StatusOr<Page<domain::PlanRecord>> ListPlans(const std::string& outage_id,
                                                             const PageRequest& page) = 0;
  // Inserts or replaces by key.
  virtual absl::Status PutPlan(const domain::PlanRecord& plan) = 0;
  // ALREADY_EXISTS if the plan already has an assignment for one of the appointments (or one
  // appears twice). A failed call inserts none of them.
  virtual absl::Status InsertAssignments(const std::string& outage_id, const std::string& plan_id,
                                         std::span<const domain::Assignment> assignments) = 0;
  virtual absl::StatusOr<Page<domain::Assignment>> ListAssignments(const std::string& outage_id,
                                                                   const std::string& plan_id,
                                                                   const AssignmentFilter& filter,
                                                                   const PageRequest& page) = 0;
  // Calls `fn` for every assignment of the plan, in appointment key order, without paging.
  virtual absl::Status ScanAssignments(
      const std::string& outage_id, const std::string& plan_id,
      const std::function<void(const domain::Assignment&)>& fn) = 0;
};

// Unset members do not filter; an empty id list matches none.
struct OfferFilter {
  std::optional<std::vector<std::string>> office_ids;  // Offer::office_id
  std::optional<domain::AppointmentKey> appointment;
  std::optional<std::string> outage_id;
  std::vector<domain::OfferState> states;  // empty: any
  std::optional<Instant> expire_before;    // expire_time < this
};

// One offer's key, for FindOffers.
struct OfferKey {
  domain::AppointmentKey appointment;
  int version = 0;
};

// Offers are keyed by (appointment key, version): (office_id, appointment_id, version); tokens
// are unique. Listed by (appointment_id, office_id, version).
class OfferTables {
 public:
  virtual ~OfferTables() = default;
  virtual absl::StatusOr<domain::Offer> GetOffer(const domain::AppointmentKey& appointment,
                                                 int version) = 0;
  // The offers among `keys` that exist, in no particular order (a key given twice may return
  // its offer twice). One query on PostgreSQL, for a lease's batch.
  virtual absl::StatusOr<std::vector<domain::Offer>> FindOffers(std::span<const OfferKey> keys) = 0;
  // NOT_FOUND for unknown tokens.
  virtual absl::StatusOr<domain::Offer> FindOfferByToken(const std::string& token) = 0;
  // Inserts or replaces by key. ALREADY_EXISTS if the token belongs to another offer.
  virtual absl::Status PutOffer(const domain::Offer& offer) = 0;
  // PutOffer for many offers at once (a plan commit's): all of them, or on error none.
  virtual absl::Status PutOffers(std::span<const domain::Offer> offers) = 0;
  virtual absl::StatusOr<Page<domain::Offer>> ListOffers(const OfferFilter& filter,
                                                         const PageRequest& page) = 0;
  // Calls `fn` for every matching offer, in listing order, without paging.
  virtual absl::Status ScanOffers(const OfferFilter& filter,
                                  const std::function<void(const domain::Offer&)>& fn) = 0;
};

// Unset members do not filter; an empty id list matches none.
struct MessageFilter {
  std::optional<std::vector<std::string>> office_ids;  // OutboxMessage::office_id
  std::optional<std::string> outage_id;
  std::optional<domain::AppointmentKey> appointment;
  std::vector<domain::MessageState> states;  // empty: any
  std::optional<std::string> channel;
};

struct LeaseRequest {
  std::vector<std::string> channels;  // only messages of these channels
  int max_messages = 100;
  Instant now{};
  Instant lease_until{};
  std::string lease_token;
  std::string worker;
};

struct LeasedMessage {
  domain::OutboxMessage message;        // as stored after leasing
  domain::MessageState previous_state;  // pending, failed, or leased (an expired lease)
};

// Messages are keyed by id; idempotency keys are unique. Listed by (create time, id).
class OutboxTables {
 public:
  virtual ~OutboxTables() = default;
  // ALREADY_EXISTS if an id or idempotency key exists (or appears twice). A failed call inserts
  // none of them.
  virtual absl::Status InsertMessages(std::span<const domain::OutboxMessage> messages) = 0;
  virtual absl::StatusOr<domain::OutboxMessage> GetMessage(const std::string& id) = 0;
  // The messages among `ids` that exist, in no particular order (an id given twice may return
  // its message twice). One query on PostgreSQL, for a batch of delivery reports.
  virtual absl::StatusOr<std::vector<domain::OutboxMessage>> GetMessages(
      std::span<const std::string> ids) = 0;
  // Replaces an existing message. NOT_FOUND if it does not exist; ALREADY_EXISTS if its
  // idempotency key belongs to another message.
  virtual absl::Status UpdateMessage(const domain::OutboxMessage& message) = 0;
  // Writes only what a delivery attempt changes: state, attempts, next attempt time, lease
  // (token, expiry, worker), last error, provider message id and update time. Identity,
  // routing and content stay as stored. The outbox's hot path (one per delivery report): it
  // leaves the indexes over the unchanged columns alone. NOT_FOUND if the message does not
  // exist.
  virtual absl::Status UpdateMessageDelivery(const domain::OutboxMessage& message) = 0;
  // UpdateMessageDelivery for each of `messages` (one statement per 500 on PostgreSQL): all of
  // them, or on error none. NOT_FOUND naming an id that does not exist; INVALID_ARGUMENT if an
  // id appears twice.
  virtual absl::Status UpdateMessagesDelivery(std::span<const domain::OutboxMessage> messages) = 0;
  virtual absl::StatusOr<Page<domain::OutboxMessage>> ListMessages(const MessageFilter& filter,
                                                                   const PageRequest& page) = 0;
  // Calls `fn` for every matching message, in listing order, without paging.
  virtual absl::Status ScanMessages(
      const MessageFilter& filter, const std::function<void(const domain::OutboxMessage&)>& fn) = 0;
  // Claims up to `max_messages` due messages of the channels, oldest due first (by next attempt
  // time, then id): PENDING or FAILED ones whose next attempt time is at or before `now`, and
  // LEASED ones whose lease expired (lease expiry at or before `now`, or none). Sets them
  // LEASED with the request's lease token, expiry (`lease_until`) and worker, and their update
  // time to `now`; attempts and next attempt time are left alone. A message is never claimed
  // while an unexpired lease holds it. No channels, or `max_messages` < 1, claims nothing.
  // Atomic: a failed call claims nothing. Only in a write transaction.
  virtual absl::StatusOr<std::vector<LeasedMessage>> LeaseMessages(const LeaseRequest& lease) = 0;
  // Appends events to their messages' histories (the message need not exist).
  virtual absl::Status AddMessageEvents(std::span<const domain::MessageEvent> events) = 0;
  // Oldest first (by time; events with equal times in the order they were added). Empty for
  // a message without events.
  virtual absl::StatusOr<std::vector<domain::MessageEvent>> ListMessageEvents(
      const std::string& message_id) = 0;
};

// For backends: UpdateMessagesDelivery's INVALID_ARGUMENT when an id appears twice.
inline absl::Status CheckMessageIdsDistinct(std::span<const domain::OutboxMessage> messages) {
  std::set<std::string_view> ids;
  for (const domain::OutboxMessage& m : messages) {
    if (!ids.insert(m.id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("update messages delivery: message ", m.id, " appears twice"));
    }
  }
  return absl::OkStatus();
}

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_OUTREACH_STORE_H_
