// Reaching citizens after a plan is committed: stored plans, offers with held slots, and the
// transactional outbox of messages.
//
// Plain value types shared by storage, services/rebooking and the API layer.
#ifndef REBOOK_SERVICES_DOMAIN_OUTREACH_H_
#define REBOOK_SERVICES_DOMAIN_OUTREACH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/domain/model.h"
#include "services/domain/plan.h"

namespace rebook::domain {

// kWhatIf: solved with capacity changes that are not stored; compared, never committed.
enum class PlanState { kReady, kCommitted, kSuperseded, kFailed, kWhatIf };

// A plan as stored: the solver's summary plus where it came from. Its assignments are stored
// beside it, one row per appointment.
struct PlanRecord {
  std::string outage_id;
  std::string id;
  PlanState state = PlanState::kReady;
  PlanParams params;
  std::uint64_t seed = 1;
  double time_limit_seconds = 10.0;
  PlanSummary summary;
  Instant create_time{};
  std::optional<Instant> commit_time;
  std::string base_plan_id;  // incremental re-plans: the plan they started from
  std::string failure_reason;
};

enum class OfferState {
  kOpen,                // the slot is held for the citizen
  kAccepted,            // confirmed; the appointment stands
  kDeclined,            // the slot is free again
  kOtherTimeRequested,  // the slot is free again; new unavailable times recorded
  kExpired,             // no answer in time; the slot is free again
  kWithdrawn,           // self-rebooked, or a rule (closure, sick clerk) forced a move
};

struct OfferSlot {
  std::string office_id;
  std::string clerk_id;
  TimeInterval time;
  double cost = 0.0;
  friend bool operator==(const OfferSlot&, const OfferSlot&) = default;
};

// A new slot offered to one citizen. Versions count per appointment from 1.
struct Offer {
  std::string appointment_id;
  std::string office_id;  // the appointment's original office (its key; for access checks)
  int version = 1;
  std::string outage_id;
  std::string plan_id;
  OfferState state = OfferState::kOpen;
  OfferSlot slot;
  std::vector<OfferSlot> alternatives;  // best first
  std::string token;                    // unguessable response token (base64url, 256 bits)
  Instant create_time{};
  Instant expire_time{};
  std::optional<Instant> reminder_time;  // when a reminder was queued
  std::optional<Instant> respond_time;
  std::string response_channel;   // "link", "phone", "staff"
  int accepted_alternative = -1;  // -1: the main slot
  std::string explanation;        // why this (re-)offer was made

  bool IsHolding() const { return state == OfferState::kOpen || state == OfferState::kAccepted; }
  // The slot the citizen holds: the main one or the accepted alternative.
  AppointmentKey appointment_key() const { return {office_id, appointment_id}; }
  const OfferSlot& HeldSlot() const {
    return accepted_alternative >= 0 && accepted_alternative < static_cast<int>(alternatives.size())
               ? alternatives[accepted_alternative]
               : slot;
  }
};

enum class MessageKind { kOffer, kConfirmation, kReminder, kCancellation };

enum class MessageState { kPending, kLeased, kSent, kDelivered, kFailed, kDead };

// One message of the transactional outbox.
struct OutboxMessage {
  std::string id;
  std::string office_id;  // the appointment's original office (with appointment_id, its key)
  std::string outage_id;
  std::string appointment_id;
  int offer_version = 0;
  AppointmentKey appointment_key() const { return {office_id, appointment_id}; }
  MessageKind kind = MessageKind::kOffer;
  std::string channel;   // "email", "sms", "webhook", "letter", "phone", "file"
  std::string language;  // BCP 47 tag the message is written in
  // Stable across retries and re-leases: see MessageIdempotencyKey.
  std::string idempotency_key;
  MessageState state = MessageState::kPending;
  int attempts = 0;
  Instant next_attempt_time{};
  std::optional<Instant> lease_expire_time;
  std::string lease_token;
  std::string leased_by;
  std::string last_error;
  std::string provider_message_id;
  std::string fallback_from;  // id of the message this one replaces after a permanent failure
  std::string explanation;    // shown to the citizen, e.g. why a confirmed slot moved
  Instant create_time{};
  Instant update_time{};
};

// A state change of a message, for its history.
struct MessageEvent {
  std::string message_id;
  Instant time{};
  MessageState from = MessageState::kPending;
  MessageState to = MessageState::kPending;
  std::string reason;
  std::string worker;
};

std::string_view ToString(PlanState s);
std::optional<PlanState> ParsePlanState(std::string_view s);
std::string_view ToString(OfferState s);
std::optional<OfferState> ParseOfferState(std::string_view s);
std::string_view ToString(MessageKind k);
std::optional<MessageKind> ParseMessageKind(std::string_view s);
std::string_view ToString(MessageState s);
std::optional<MessageState> ParseMessageState(std::string_view s);

// outage/office/appointment/v<version>/<kind>/<channel>: the appointment's key
// (AppointmentKey), since ids are unique per office only.
std::string MessageIdempotencyKey(const std::string& outage_id, const AppointmentKey& appointment,
                                  int offer_version, MessageKind kind, const std::string& channel);

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_OUTREACH_H_
