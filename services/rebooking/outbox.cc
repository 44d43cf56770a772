#include "services/rebooking/outbox.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/rebooking/outbox_internal.h"

namespace rebook::rebooking {

using domain::MessageEvent;
using domain::MessageState;
using domain::OutboxMessage;

OutboxPolicy OutboxPolicy::FromConfig(const notify::DeliveryConfig& config) {
  OutboxPolicy policy;
  if (config.chain.has_value()) policy.chain = *config.chain;
  if (config.unreachable_channel.has_value())
    policy.unreachable_channel = *config.unreachable_channel;
  if (config.jitter_seed.has_value()) policy.jitter_seed = *config.jitter_seed;
  policy.retry = config.retry;
  for (const auto& [channel, hold] : config.hold) policy.hold[channel] = hold;
  return policy;
}

std::chrono::seconds OutboxPolicy::OfferHold(const domain::Contact& contact,
                                             std::chrono::seconds office_ttl) const {
  return OfferHold(RouteFor(contact), office_ttl);
}

std::chrono::seconds OutboxPolicy::OfferHold(const FirstRoute& route,
                                             std::chrono::seconds office_ttl) const {
  if (!route.channel.has_value()) return office_ttl;
  auto it = hold.find(*route.channel);
  return it == hold.end() ? office_ttl : std::max(office_ttl, it->second);
}

OutboxPolicy::FirstRoute OutboxPolicy::RouteFor(const domain::Contact& contact,
                                                notify::MobileNumbers* numbers) const {
  const notify::ContactFields fields(contact, numbers);
  FirstRoute route;
  route.channel = chain.First(fields);
  // Only a message on another channel than sms says why it skipped sms.
  if (route.channel.has_value() && *route.channel != "sms") {
    bool chain_has_sms = false;
    for (const notify::ChannelStep& step : chain.steps()) chain_has_sms |= step.name == "sms";
    route.landline_skips_sms = chain_has_sms && fields.Has(notify::ContactField::kPhone) &&
                               !fields.Has(notify::ContactField::kMobilePhone);
  }
  return route;
}

notify::RetryPolicy OutboxPolicy::RetryFor(const std::string& channel) const {
  auto it = retry.find(channel);
  if (it != retry.end()) return it->second;
  return notify::RetryPolicy::ForChannel(channel);
}

std::optional<std::string> OutboxPolicy::FirstChannel(const domain::Contact& contact) const {
  return chain.First(contact);
}

std::optional<std::string> OutboxPolicy::NextChannel(const domain::Contact& contact,
                                                     const std::vector<std::string>& tried) const {
  return chain.Next(contact, tried);
}

namespace outbox_internal {

MessageEvent Event(const OutboxMessage& m, MessageState from, MessageState to, Instant now,
                   std::string reason, std::string worker) {
  return MessageEvent{.message_id = m.id,
                      .time = now,
                      .from = from,
                      .to = to,
                      .reason = std::move(reason),
                      .worker = std::move(worker)};
}

std::string OfferKindPrefix(const std::string& outage_id, const domain::AppointmentKey& appointment,
                            int offer_version, domain::MessageKind kind) {
  return domain::MessageIdempotencyKey(outage_id, appointment, offer_version, kind, "");
}

absl::StatusOr<std::vector<OutboxMessage>> MessagesWithPrefix(
    storage::Transaction& tx, const domain::AppointmentKey& appointment,
    const std::string& prefix) {
  std::vector<OutboxMessage> found;
  storage::MessageFilter filter;
  filter.appointment = appointment;
  REBOOK_RETURN_IF_ERROR(tx.ScanMessages(filter, [&](const OutboxMessage& m) {
    if (absl::StartsWith(m.idempotency_key, prefix)) found.push_back(m);
  }));
  return found;
}

void MarkDead(OutboxMessage& m, const std::string& reason, Instant now, const std::string& worker,
              std::vector<MessageEvent>& events) {
  events.push_back(Event(m, m.state, MessageState::kDead, now, reason, worker));
  m.state = MessageState::kDead;
  m.last_error = reason;
  m.lease_expire_time.reset();
  m.update_time = now;
}

// An offer whose message falls back to a channel with a longer hold (a letter) is held that
// long from now, so that the citizen has the same time to answer as a first letter gives.
// Returns what to add to the fallback event ("" when the expiry stays).
absl::StatusOr<std::string> ExtendHoldForFallback(storage::Transaction& tx,
                                                  const OutboxPolicy& policy,
                                                  const OutboxMessage& fallback, Instant now) {
  auto hold = policy.hold.find(fallback.channel);
  if (fallback.kind != domain::MessageKind::kOffer || hold == policy.hold.end()) return "";
  absl::StatusOr<domain::Offer> offer =
      tx.GetOffer(fallback.appointment_key(), fallback.offer_version);
  if (absl::IsNotFound(offer.status())) return "";
  REBOOK_RETURN_IF_ERROR(offer.status());
  if (offer->state != domain::OfferState::kOpen || offer->expire_time >= now + hold->second) {
    return "";
  }
  offer->expire_time = now + hold->second;
  REBOOK_RETURN_IF_ERROR(tx.PutOffer(*offer));
  return absl::StrCat("; the offer is held ", hold->second.count() / 3600, " h from now for the ",
                      fallback.channel);
}

absl::StatusOr<std::string> QueueFallback(storage::Transaction& tx, const OutboxPolicy& policy,
                                          const OutboxMessage& dead, Instant now, IdGenerator& ids,
                                          std::vector<MessageEvent>& events) {
  absl::StatusOr<domain::Appointment> appointment =
      tx.GetAppointment(dead.office_id, dead.appointment_id);
  if (absl::IsNotFound(appointment.status())) return std::string();
  REBOOK_RETURN_IF_ERROR(appointment.status());
  const std::string prefix =
      OfferKindPrefix(dead.outage_id, dead.appointment_key(), dead.offer_version, dead.kind);
  REBOOK_ASSIGN_OR_RETURN(std::vector<OutboxMessage> siblings,
                          MessagesWithPrefix(tx, dead.appointment_key(), prefix));
  std::vector<std::string> tried{dead.channel};
  for (const OutboxMessage& s : siblings) tried.push_back(s.channel);
  std::optional<std::string> next = policy.NextChannel(appointment->contact, tried);
  if (!next.has_value()) return std::string();

  OutboxMessage f = dead;
  f.id = ids.NewId("m");
  f.channel = *next;
  f.idempotency_key = domain::MessageIdempotencyKey(dead.outage_id, dead.appointment_key(),
                                                    dead.offer_version, dead.kind, *next);
  f.state = MessageState::kPending;
  f.attempts = 0;
  f.next_attempt_time = now;
  f.lease_expire_time.reset();
  f.lease_token.clear();
  f.leased_by.clear();
  f.last_error.clear();
  f.provider_message_id.clear();
  f.fallback_from = dead.id;
  f.create_time = now;
  f.update_time = now;
  REBOOK_RETURN_IF_ERROR(tx.InsertMessages({&f, 1}));
  REBOOK_ASSIGN_OR_RETURN(std::string held, ExtendHoldForFallback(tx, policy, f, now));
  events.push_back(Event(f, MessageState::kPending, MessageState::kPending, now,
                         absl::StrCat("fallback from ", dead.channel, " message ", dead.id, ": ",
                                      dead.last_error, held),
                         ""));
  return f.id;
}

}  // namespace outbox_internal

namespace {

using namespace outbox_internal;  // NOLINT(build/namespaces): this file's own helpers

// The jitter generator of one retry: a function of the policy's seed, the message and the
// attempt, so that a re-run transaction or another server computes the same schedule.
std::mt19937_64 JitterRng(const OutboxPolicy& policy, const OutboxMessage& m) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : m.id) h = (h ^ c) * 1099511628211ULL;
  return std::mt19937_64(policy.jitter_seed ^ h ^
                         (static_cast<std::uint64_t>(m.attempts) * 0x9e3779b97f4a7c15ULL));
}

// When the current series of attempts started: the first lease after creation or after the
// last retry by hand.
absl::StatusOr<Instant> FirstAttemptTime(storage::Transaction& tx, const OutboxMessage& m) {
  REBOOK_ASSIGN_OR_RETURN(std::vector<MessageEvent> events, tx.ListMessageEvents(m.id));
  std::optional<Instant> first;
  for (const MessageEvent& e : events) {
    if (e.from == MessageState::kDead && e.to == MessageState::kPending) first.reset();
    if (e.to == MessageState::kLeased && !first.has_value()) first = e.time;
  }
  return first.value_or(m.create_time);
}

// The delivery-report outcome in the notify library's vocabulary, for notify::NextAttempt.
notify::DeliveryResult AsResult(const DeliveryReport& r) {
  notify::DeliveryResult result;
  result.state = r.outcome;
  result.provider_message_id = r.provider_message_id;
  result.reason = r.reason.empty() ? std::string("no reason given") : r.reason;
  result.retry_after = r.retry_after;
  return result;
}

bool IsSettled(MessageState s) {
  return s == MessageState::kSent || s == MessageState::kDelivered || s == MessageState::kFailed ||
         s == MessageState::kDead;
}

// Makes a leased `m` DEAD and queues its fallback; the fallback is named in the dead event.
absl::Status Die(storage::Transaction& tx, const OutboxPolicy& policy, OutboxMessage& m,
                 const std::string& reason, const std::string& worker, Instant now,
                 IdGenerator& ids, std::vector<MessageEvent>& events) {
  MarkDead(m, reason, now, worker, events);
  const std::size_t dead_event = events.size() - 1;
  REBOOK_ASSIGN_OR_RETURN(std::string fallback, QueueFallback(tx, policy, m, now, ids, events));
  absl::StrAppend(&events[dead_event].reason,
                  fallback.empty() ? "; no other channel reaches the citizen"
                                   : absl::StrCat("; falling back to message ", fallback));
  return absl::OkStatus();
}

}  // namespace

namespace {

// The new message for `offer` (not yet stored) and the event of its creation; `route` is
// policy.RouteFor(appointment.contact).
std::pair<OutboxMessage, MessageEvent> NewMessage(
    const OutboxPolicy& policy, const OutboxPolicy::FirstRoute& route,
    const domain::Appointment& appointment, const domain::Offer& offer,
    const std::string& outage_id, domain::MessageKind kind, const std::string& explanation,
    Instant now, IdGenerator& ids) {
  OutboxMessage m;
  m.id = ids.NewId("m");
  m.office_id = appointment.office_id;
  m.outage_id = outage_id;
  m.appointment_id = appointment.id;
  m.offer_version = offer.version;
  m.kind = kind;
  m.language = appointment.contact.language.empty() ? "de" : appointment.contact.language;
  m.next_attempt_time = now;
  m.explanation = explanation;
  m.create_time = now;
  m.update_time = now;
  std::string reason;
  if (const std::optional<std::string>& channel = route.channel) {
    m.channel = *channel;
    m.state = MessageState::kPending;
    const bool preferred = notify::CanonicalChannelName(appointment.contact.channel) == *channel;
    reason = absl::StrCat("queued on ", *channel,
                          preferred ? " (preferred channel)" : " (first reachable channel)");
    if (route.landline_skips_sms) {
      absl::StrAppend(&reason, "; no SMS: the phone number is not a mobile number");
    }
  } else {
    m.channel = policy.unreachable_channel;
    m.state = MessageState::kDead;
    m.last_error =
        "no contact data: no channel of the chain can reach the citizen (no e-mail address, "
        "phone number or postal address)";
    reason = m.last_error;
  }
  m.idempotency_key =
      domain::MessageIdempotencyKey(outage_id, appointment.Key(), offer.version, kind, m.channel);
  MessageEvent created = Event(m, MessageState::kPending, m.state, now, reason, "");
  return {std::move(m), std::move(created)};
}

absl::Status CheckOfferOf(const domain::Appointment& appointment, const domain::Offer& offer) {
  if (offer.appointment_id == appointment.id) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("offer v", offer.version, " of appointment ", offer.appointment_id,
                   " does not belong to appointment ", appointment.id));
}

}  // namespace

absl::Status QueueMessage(storage::Transaction& tx, const OutboxPolicy& policy,
                          const domain::Appointment& appointment, const domain::Offer& offer,
                          domain::MessageKind kind, const std::string& explanation, Instant now,
                          IdGenerator& ids) {
  REBOOK_RETURN_IF_ERROR(CheckOfferOf(appointment, offer));
  const std::string outage_id = offer.outage_id.empty() ? appointment.outage_id : offer.outage_id;
  REBOOK_ASSIGN_OR_RETURN(
      std::vector<OutboxMessage> existing,
      MessagesWithPrefix(tx, appointment.Key(),
                         OfferKindPrefix(outage_id, appointment.Key(), offer.version, kind)));
  if (!existing.empty()) return absl::OkStatus();
  auto [m, created] = NewMessage(policy, policy.RouteFor(appointment.contact), appointment, offer,
                                 outage_id, kind, explanation, now, ids);
  REBOOK_RETURN_IF_ERROR(tx.InsertMessages({&m, 1}));
  return tx.AddMessageEvents({&created, 1});
}

absl::Status QueueMessages(storage::Transaction& tx, const OutboxPolicy& policy,
                           std::span<const OfferMessage> messages, domain::MessageKind kind,
                           Instant now, IdGenerator& ids, domain::ProgressSink* progress) {
  if (messages.empty()) return absl::OkStatus();
  std::set<std::string> outages;
  for (const OfferMessage& q : messages) {
    REBOOK_RETURN_IF_ERROR(CheckOfferOf(*q.appointment, *q.offer));
    outages.insert(q.offer->outage_id.empty() ? q.appointment->outage_id : q.offer->outage_id);
  }
  // The keys of the messages these outages have, to skip offers already announced.
  std::set<std::string> keys;
  for (const std::string& outage_id : outages) {
    storage::MessageFilter filter;
    filter.outage_id = outage_id;
    REBOOK_RETURN_IF_ERROR(
        tx.ScanMessages(filter, [&](const OutboxMessage& m) { keys.insert(m.idempotency_key); }));
  }
  struct NewRow {
    OutboxMessage message;
    MessageEvent created;
  };
  std::vector<NewRow> fresh;
  fresh.reserve(messages.size());
  for (const OfferMessage& q : messages) {
    const domain::Appointment& a = *q.appointment;
    const std::string outage_id = q.offer->outage_id.empty() ? a.outage_id : q.offer->outage_id;
    const std::string prefix = OfferKindPrefix(outage_id, a.Key(), q.offer->version, kind);
    auto next = keys.lower_bound(prefix);
    if (next != keys.end() && absl::StartsWith(*next, prefix)) continue;
    auto [m, created] =
        NewMessage(policy, q.route != nullptr ? *q.route : policy.RouteFor(a.contact), a, *q.offer,
                   outage_id, kind, "", now, ids);
    keys.insert(m.idempotency_key);
    fresh.push_back({std::move(m), std::move(created)});
  }
  // Written in the order workers lease them (due time, then id; all of these are due now), so
  // that a lease's rows are neighbours in the table and its indexes: in SQLite a lease and its
  // report then rewrite a few pages instead of one page per message (a region drain's rebookd
  // CPU -25 %, docs/notifications.md "Messages stored in lease order").
  // (An order of indices is sorted: moving the rows themselves, two dozen strings each, was
  // half of this function's own time on a region commit.)
  std::vector<std::size_t> order(fresh.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const OutboxMessage& x = fresh[a].message;
    const OutboxMessage& y = fresh[b].message;
    return std::tie(x.next_attempt_time, x.id) < std::tie(y.next_attempt_time, y.id);
  });
  std::vector<OutboxMessage> rows;
  std::vector<MessageEvent> events;
  rows.reserve(fresh.size());
  events.reserve(fresh.size());
  for (std::size_t i : order) {
    rows.push_back(std::move(fresh[i].message));
    events.push_back(std::move(fresh[i].created));
  }
  // The chunks only pace the progress reports: the store writes bulk rows without a savepoint
  // beyond their first 64 (see docs/pipeline.md), so a chunk's size barely changes the cost.
  const std::span<const OutboxMessage> all_rows(rows);
  const std::span<const MessageEvent> all_events(events);
  const auto total = static_cast<std::int64_t>(messages.size());
  const auto skipped = total - static_cast<std::int64_t>(rows.size());
  domain::ReportProgress(progress, "queueing messages", skipped, total);
  for (std::size_t i = 0; i < rows.size(); i += kQueueChunkRows) {
    const std::size_t n = std::min(kQueueChunkRows, rows.size() - i);
    REBOOK_RETURN_IF_ERROR(tx.InsertMessages(all_rows.subspan(i, n)));
    REBOOK_RETURN_IF_ERROR(tx.AddMessageEvents(all_events.subspan(i, n)));
    domain::ReportProgress(progress, "queueing messages",
                           skipped + static_cast<std::int64_t>(i + n), total);
  }
  return absl::OkStatus();
}

namespace {

// `m` (the message `report` is about, as stored), if the report may settle it; `repeated` when
// this lease's report was accepted before. NOT_FOUND for messages of another office than
// `report.office_id` (if set), FAILED_PRECONDITION when the message is not held by the lease.
absl::StatusOr<OutboxMessage> CheckHeld(OutboxMessage m, const DeliveryReport& report,
                                        bool& repeated) {
  if (!report.office_id.empty() && m.office_id != report.office_id) {
    return absl::NotFoundError(
        absl::StrCat("message ", report.message_id, " of office ", report.office_id));
  }
  const bool our_lease = !report.lease_token.empty() && m.lease_token == report.lease_token;
  repeated = our_lease && IsSettled(m.state);
  if (repeated) return m;
  if (!our_lease || m.state != MessageState::kLeased) {
    return absl::FailedPreconditionError(
        absl::StrCat("message ", m.id, " is not held by this lease (it is ",
                     std::string(domain::ToString(m.state)),
                     m.state == MessageState::kLeased ? " by another lease" : "",
                     "); the lease expired and someone else took the message"));
  }
  return m;
}

// CheckHeld of the stored message; NOT_FOUND for unknown ids. Reads only.
absl::StatusOr<OutboxMessage> HeldMessage(storage::Transaction& tx, const DeliveryReport& report,
                                          bool& repeated) {
  REBOOK_ASSIGN_OR_RETURN(OutboxMessage m, tx.GetMessage(report.message_id));
  return CheckHeld(std::move(m), report, repeated);
}

// Settles the held message `m` by `report` in memory (the caller writes it with
// UpdateMessage(s)Delivery): writes a fallback message if it died and appends the events to
// `events` for the caller to write.
absl::Status Settle(storage::Transaction& tx, const OutboxPolicy& policy,
                    const DeliveryReport& report, Instant now, IdGenerator& ids, OutboxMessage& m,
                    std::vector<MessageEvent>& events) {
  m.attempts += 1;
  m.leased_by = report.worker.empty() ? m.leased_by : report.worker;
  m.lease_expire_time.reset();
  m.update_time = now;
  switch (report.outcome) {
    case notify::DeliveryState::kSent:
    case notify::DeliveryState::kDelivered: {
      const MessageState to = report.outcome == notify::DeliveryState::kSent
                                  ? MessageState::kSent
                                  : MessageState::kDelivered;
      m.provider_message_id = report.provider_message_id;
      // The worker's reason on success says how it was sent (e.g. the language used).
      std::string reason(domain::ToString(to));
      if (!report.provider_message_id.empty())
        absl::StrAppend(&reason, " as ", report.provider_message_id);
      if (!report.reason.empty()) absl::StrAppend(&reason, "; ", report.reason);
      events.push_back(Event(m, MessageState::kLeased, to, now, reason, report.worker));
      m.state = to;
      break;
    }
    case notify::DeliveryState::kTemporaryFailure: {
      REBOOK_ASSIGN_OR_RETURN(Instant first, FirstAttemptTime(tx, m));
      std::mt19937_64 rng = JitterRng(policy, m);
      const notify::RetryDecision d =
          notify::NextAttempt(policy.RetryFor(m.channel),
                              {.attempts = m.attempts, .first_attempt = first, .last_attempt = now},
                              AsResult(report), rng);
      if (d.give_up) {
        REBOOK_RETURN_IF_ERROR(Die(tx, policy, m, d.reason, report.worker, now, ids, events));
      } else {
        m.last_error = AsResult(report).reason;
        m.next_attempt_time = d.next_attempt;
        events.push_back(Event(
            m, MessageState::kLeased, MessageState::kFailed, now,
            absl::StrCat(m.last_error, "; next attempt in ", (d.next_attempt - now).count(), " s"),
            report.worker));
        m.state = MessageState::kFailed;
      }
      break;
    }
    case notify::DeliveryState::kPermanentFailure:
      REBOOK_RETURN_IF_ERROR(Die(tx, policy, m,
                                 absl::StrCat("permanent failure: ", AsResult(report).reason),
                                 report.worker, now, ids, events));
      break;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OutboxMessage> ReportDelivery(storage::Transaction& tx, const OutboxPolicy& policy,
                                             const DeliveryReport& report, Instant now,
                                             IdGenerator& ids) {
  bool repeated = false;
  REBOOK_ASSIGN_OR_RETURN(OutboxMessage m, HeldMessage(tx, report, repeated));
  if (repeated) return m;
  std::vector<MessageEvent> events;
  REBOOK_RETURN_IF_ERROR(Settle(tx, policy, report, now, ids, m, events));
  REBOOK_RETURN_IF_ERROR(tx.UpdateMessageDelivery(m));
  REBOOK_RETURN_IF_ERROR(tx.AddMessageEvents(events));
  return m;
}

absl::StatusOr<std::vector<absl::StatusOr<OutboxMessage>>> ReportDeliveries(
    storage::Transaction& tx, const OutboxPolicy& policy, std::span<const DeliveryReport> reports,
    Instant now, IdGenerator& ids) {
  // The batch's messages in one read and their new states in one write (on PostgreSQL: two
  // round trips instead of about three per report, all made under the outbox lock). A message
  // reported twice in one batch is checked against its state after the earlier report.
  std::vector<std::string> wanted;
  wanted.reserve(reports.size());
  for (const DeliveryReport& report : reports) wanted.push_back(report.message_id);
  REBOOK_ASSIGN_OR_RETURN(std::vector<OutboxMessage> stored, tx.GetMessages(wanted));
  std::map<std::string, OutboxMessage> current;
  for (OutboxMessage& m : stored) current.emplace(m.id, std::move(m));
  std::vector<std::string> settled;  // ids whose new state is to be written, first-settled first
  std::vector<absl::StatusOr<OutboxMessage>> results;
  results.reserve(reports.size());
  std::vector<MessageEvent> events;
  for (const DeliveryReport& report : reports) {
    auto it = current.find(report.message_id);
    if (it == current.end()) {
      results.push_back(absl::NotFoundError(absl::StrCat("no message ", report.message_id)));
      continue;
    }
    bool repeated = false;
    absl::StatusOr<OutboxMessage> m = CheckHeld(it->second, report, repeated);
    if (m.ok() && !repeated) {
      REBOOK_RETURN_IF_ERROR(Settle(tx, policy, report, now, ids, *m, events));
      if (std::find(settled.begin(), settled.end(), m->id) == settled.end()) {
        settled.push_back(m->id);
      }
      it->second = *m;
    }
    results.push_back(std::move(m));
  }
  std::vector<OutboxMessage> writes;
  writes.reserve(settled.size());
  for (const std::string& id : settled) writes.push_back(current.at(id));
  REBOOK_RETURN_IF_ERROR(tx.UpdateMessagesDelivery(writes));
  REBOOK_RETURN_IF_ERROR(tx.AddMessageEvents(events));
  return results;
}

absl::StatusOr<OutboxMessage> RetryMessage(storage::Transaction& tx, const std::string& message_id,
                                           const std::string& who, Instant now) {
  REBOOK_ASSIGN_OR_RETURN(OutboxMessage m, tx.GetMessage(message_id));
  if (m.state != MessageState::kDead) {
    return absl::FailedPreconditionError(absl::StrCat("message ", m.id, " is ",
                                                      std::string(domain::ToString(m.state)),
                                                      "; only dead messages can be retried"));
  }
  const MessageEvent e =
      Event(m, MessageState::kDead, MessageState::kPending, now, "retried by hand", who);
  m.state = MessageState::kPending;
  m.attempts = 0;
  m.next_attempt_time = now;
  m.lease_expire_time.reset();
  m.lease_token.clear();
  m.update_time = now;
  REBOOK_RETURN_IF_ERROR(tx.UpdateMessage(m));
  REBOOK_RETURN_IF_ERROR(tx.AddMessageEvents({&e, 1}));
  return m;
}

}  // namespace rebook::rebooking
