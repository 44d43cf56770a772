// The transactional outbox: messages to citizens, queued in the same transaction as the offers
// they announce, leased by stateless workers, and settled by their delivery reports.
//
//   // Plan commit, inside its write transaction:
//   REBOOK_RETURN_IF_ERROR(QueueMessage(tx, policy, appointment, offer,
//                                       domain::MessageKind::kOffer, "", now, ids));
//   // NotificationService.LeaseMessages / ReportDelivery, each in its own write transaction:
//   REBOOK_ASSIGN_OR_RETURN(std::vector<OutboxLease> batch,
//                           LeaseMessages(tx, policy, request, &limits, now, ids));
//   REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage m,
//                           ReportDelivery(tx, policy, report, now, ids));
//   // or many reports in one transaction: ReportDeliveries(tx, policy, reports, now, ids)
//
// States and transitions (each one is recorded as a domain::MessageEvent with time, reason
// and worker; a message's history is its events, oldest first):
//
//   PENDING ──lease──▶ LEASED ──SENT/DELIVERED──▶ SENT / DELIVERED        (final)
//      ▲                │  │──TEMPORARY_FAILURE──▶ FAILED ──due again──▶ LEASED
//      │                │  └──PERMANENT_FAILURE, or retries exhausted──▶ DEAD
//      │                └──lease expired, re-leased by another worker──▶ LEASED
//      └────────────── RetryMessage (by hand) ◀─────────────────────────── DEAD
//
// A message that dies after delivery attempts falls back: if the policy's channel chain has
// a channel the citizen can still be reached by that no message of the same offer version and
// kind has used yet, a new PENDING message on it is queued with `fallback_from` set.
//
// Channel names are the one name of each channel (domain::kKnownChannels: "email", "sms",
// "webhook", "letter", "phone", "file"), the same in the API, the outbox rows, notify's channel
// chain and factories, and the config file.
//
// Every function runs inside the caller's transaction and has no effect outside it, except
// `LeaseMessages`, which takes tokens from the `OutboxLimits` (see outbox_limits.h). None of
// them reads the clock; `now` is passed in.
#ifndef REBOOK_SERVICES_REBOOKING_OUTBOX_H_
#define REBOOK_SERVICES_REBOOKING_OUTBOX_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "services/domain/progress.h"
#include "services/notify/channel_chain.h"
#include "services/notify/channel_config_file.h"
#include "services/notify/message.h"
#include "services/notify/retry_policy.h"
#include "storage/outreach_store.h"
#include "storage/store.h"

namespace rebook::rebooking {

class OutboxLimits;

// How the outbox picks channels and retries. Immutable once built; share it between threads.
struct OutboxPolicy {
  // Which channels to try, in order, after the citizen's preferred one.
  // Default: email -> sms -> letter -> phone.
  notify::ChannelChain chain = notify::ChannelChain::Default();
  // Retry policy per channel ("email", "sms", ...). A channel without an entry uses
  // notify::RetryPolicy::ForChannel (email: 5 min .. 4 h, 4 days;
  // sms/webhook: 10 s .. 10 min, 6 h; local channels: 30 s .. 30 min, 1 day).
  std::map<std::string, notify::RetryPolicy> retry;
  // Seeds the retry jitter. The jitter of one retry is a function of (seed, message id,
  // attempt), so schedules are reproducible and need no shared generator.
  std::uint64_t jitter_seed = 0x72656b6f6f62;
  // Citizens the chain cannot reach at all (no e-mail address, phone number or postal
  // address for any chain channel) get a message on this channel that is DEAD from the start,
  // with the reason "no contact data". They show up as unreached in the delivery statistics
  // and in `messages list --state dead`, where staff can see whom to find another way.
  std::string unreachable_channel = "phone";
  // The least time an offer holds its slot when its first message goes out on a channel:
  // post takes 2 to 4 working days and the citizen needs a few days to answer, so letters
  // hold 7 days by default. Channels without an entry (the digital ones) use the office's
  // offer_ttl alone. Set by `hold` in a channel's section of the config file.
  std::map<std::string, std::chrono::seconds> hold = {{"letter", std::chrono::hours(24 * 7)}};

  // The defaults above with what a channel-config file sets (notify/channel_config_file.h):
  // [outbox] chain, unreachable_channel, jitter_seed and each channel section's retry policy
  // and hold time.
  static OutboxPolicy FromConfig(const notify::DeliveryConfig& config);

  // Where the first message to one citizen goes, worked out once per citizen (RouteFor): a
  // bulk commit needs it for the offer's hold and for the message, and finding it parses the
  // phone number.
  struct FirstRoute {
    std::optional<std::string> channel;  // nullopt if the chain reaches nobody
    // The chain has sms, but the citizen's phone number cannot take one (a landline).
    bool landline_skips_sms = false;
  };

  notify::RetryPolicy RetryFor(const std::string& channel) const;
  // `numbers` (optional) keeps the phone numbers parsed so far, for a caller that routes many
  // citizens (a plan commit): each distinct number is parsed once.
  FirstRoute RouteFor(const domain::Contact& contact,
                      notify::MobileNumbers* numbers = nullptr) const;
  // The channel to use first for `contact`; nullopt if the chain reaches nobody.
  std::optional<std::string> FirstChannel(const domain::Contact& contact) const;
  // How long an offer to `contact` holds its slot: the office's `offer_ttl`, or the hold of
  // the channel its first message goes out on (FirstChannel) if that is longer.
  std::chrono::seconds OfferHold(const domain::Contact& contact,
                                 std::chrono::seconds office_ttl) const;
  std::chrono::seconds OfferHold(const FirstRoute& route, std::chrono::seconds office_ttl) const;
  // The next channel after all of `tried` failed for good.
  std::optional<std::string> NextChannel(const domain::Contact& contact,
                                         const std::vector<std::string>& tried) const;
};

// Queues one message about `offer` for the citizen of `appointment`: on the first channel
// the citizen can be reached by (preferred channel first, then the chain, skipping channels
// without contact data), PENDING and due at `now`, with the idempotency key
// domain::MessageIdempotencyKey(outage, appointment, offer version, kind, channel) and a
// "queued" event. `explanation` is shown to the citizen (why a re-offer was made); may be
// empty. Citizens with no usable contact data get a DEAD message instead (see
// OutboxPolicy::unreachable_channel).
//
// Idempotent: if a message for the same outage, appointment, offer version and kind exists
// already (on any channel, including fallbacks), nothing is written and OK is returned.
// INVALID_ARGUMENT if the offer does not belong to the appointment.
absl::Status QueueMessage(storage::Transaction& tx, const OutboxPolicy& policy,
                          const domain::Appointment& appointment, const domain::Offer& offer,
                          domain::MessageKind kind, const std::string& explanation, Instant now,
                          IdGenerator& ids);

// One offer and its appointment, for QueueMessages.
struct OfferMessage {
  const domain::Appointment* appointment = nullptr;
  const domain::Offer* offer = nullptr;
  // policy.RouteFor(appointment->contact), if the caller has it already; else nullptr.
  const OutboxPolicy::FirstRoute* route = nullptr;
};

// QueueMessage(tx, policy, *m.appointment, *m.offer, kind, "", now, ids) for each of
// `messages`, all offers of one outage: one read of the outage's messages, then bulk inserts
// of the new messages and their events in lease order (next attempt time, then id), in chunks
// of kQueueChunkRows, each chunk reported to `progress` (if not null) as "queueing messages".
// All or nothing.
inline constexpr std::size_t kQueueChunkRows = 1024;
absl::Status QueueMessages(storage::Transaction& tx, const OutboxPolicy& policy,
                           std::span<const OfferMessage> messages, domain::MessageKind kind,
                           Instant now, IdGenerator& ids, domain::ProgressSink* progress = nullptr);

struct LeaseOptions {
  std::vector<std::string> channels;  // channels the worker serves
  int max_messages = 100;             // 1..500
  std::chrono::seconds lease_duration{60};
  std::string worker;  // recorded in the history
};

// What a worker needs to render and send one message. Personal data: never log it.
struct MessageContent {
  domain::Contact recipient;
  domain::Office office;  // where the citizen goes: the office of the offered slot
  std::string service_name;
  domain::TimeInterval slot;                 // the offered, confirmed or cancelled slot
  Instant original_start{};                  // the slot lost to the outage
  std::string response_token;                // the offer's token
  std::optional<Instant> offer_expire_time;  // offers and reminders only
  std::string explanation;
};

// One leased message. Its lease token is `message.lease_token`.
struct OutboxLease {
  domain::OutboxMessage message;
  MessageContent content;
};

// Leases up to `options.max_messages` due messages of the channels: PENDING and FAILED ones
// whose next attempt has come, and LEASED ones whose lease expired (these count one more
// attempt). All leased messages share one new lease token.
//
// Per message, before it is handed out:
// - if `limits` is set, a send slot is taken for (office, channel); a message refused by a
//   rate limit or daily quota goes back to its state, due when the limit allows (spread out
//   so that refused messages do not all return at once). Re-leases of expired leases take no
//   slot: theirs was taken when they were first leased.
// - offers and reminders whose offer is no longer open, and messages whose appointment or
//   offer is gone, become DEAD with the reason ("not sent: offer accepted", ...).
// - a message whose lease expired more often than its retry policy's max_attempts becomes
//   DEAD ("lease expired N times"): a message that kills its workers must not loop forever.
absl::StatusOr<std::vector<OutboxLease>> LeaseMessages(storage::Transaction& tx,
                                                       const OutboxPolicy& policy,
                                                       const LeaseOptions& options,
                                                       OutboxLimits* limits, Instant now,
                                                       IdGenerator& ids);

struct DeliveryReport {
  std::string message_id;
  // If set, a message of another office is NOT_FOUND (the office of the name it was reported by).
  std::string office_id;
  std::string lease_token;
  notify::DeliveryState outcome = notify::DeliveryState::kTemporaryFailure;
  std::string provider_message_id;
  std::string reason;                               // readable, e.g. the SMTP reply
  std::optional<std::chrono::seconds> retry_after;  // temporary failures: provider's hint
  std::string worker;
};

// Settles a leased message. SENT and DELIVERED end it; a temporary failure makes it FAILED
// with the next attempt from notify::NextAttempt, or DEAD when the retry policy gives up; a
// permanent failure makes it DEAD. A message that becomes DEAD falls back (see top).
// The report is accepted while the message is LEASED under `lease_token`, even after the
// lease expired, as long as nobody leased it since. Repeating an accepted report (same lease
// token) returns the message unchanged. Otherwise FAILED_PRECONDITION; NOT_FOUND for
// unknown ids. Returns the message as stored afterwards.
absl::StatusOr<domain::OutboxMessage> ReportDelivery(storage::Transaction& tx,
                                                     const OutboxPolicy& policy,
                                                     const DeliveryReport& report, Instant now,
                                                     IdGenerator& ids);

// ReportDelivery for each of `reports`, in order, in the caller's transaction, with one result
// per report. A report refused before it writes anything (NOT_FOUND, FAILED_PRECONDITION) is
// that report's result and the others go on; any other error is returned for the whole batch
// (roll the transaction back). The events of all reports are written together at the end.
absl::StatusOr<std::vector<absl::StatusOr<domain::OutboxMessage>>> ReportDeliveries(
    storage::Transaction& tx, const OutboxPolicy& policy, std::span<const DeliveryReport> reports,
    Instant now, IdGenerator& ids);

// Puts a DEAD message back to PENDING, due now, with a fresh retry budget (by hand).
// FAILED_PRECONDITION for messages in any other state; NOT_FOUND for unknown ids.
absl::StatusOr<domain::OutboxMessage> RetryMessage(storage::Transaction& tx,
                                                   const std::string& message_id,
                                                   const std::string& who, Instant now);

struct DeliveryStatsRow {
  std::string office_id;
  std::string channel;
  std::map<domain::MessageState, std::int64_t> state_counts;
};

struct DeliveryStats {
  std::string outage_id;
  std::vector<DeliveryStatsRow> rows;  // by office, then channel
  // Appointments with at least one SENT or DELIVERED message, and those with messages but
  // none of them sent or delivered yet.
  std::int64_t reached_citizens = 0;
  std::int64_t unreached_citizens = 0;
};

// Counts the messages of one outage, restricted to `office_ids` (nullopt: all offices).
absl::StatusOr<DeliveryStats> ComputeDeliveryStats(
    storage::Transaction& tx, const std::string& outage_id,
    const std::optional<std::vector<std::string>>& office_ids);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OUTBOX_H_
