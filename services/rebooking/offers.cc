#include "services/rebooking/offers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/common/tokens.h"
#include "services/domain/local_time.h"
#include "services/rebooking/offer_alternatives.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/slots.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using domain::MessageKind;
using domain::MessageState;
using domain::OfferState;

// Unavailable windows further out than this are typing mistakes.
constexpr std::chrono::hours kMaxUnavailableSpan{24 * 366};

std::string LocalTime(storage::Transaction& tx, const std::string& office_id, Instant t) {
  absl::StatusOr<domain::Office> office = tx.GetOffice(office_id);
  return domain::FormatLocal(office.ok() ? office->time_zone : "Europe/Berlin", t);
}

absl::Status NotAnswerable(storage::Transaction& tx, const domain::Offer& o, Instant now) {
  switch (o.state) {
    case OfferState::kExpired:
      return absl::FailedPreconditionError(
          absl::StrCat("this offer expired at ", LocalTime(tx, o.slot.office_id, o.expire_time),
                       "; a new offer will follow"));
    case OfferState::kWithdrawn:
      return absl::FailedPreconditionError(
          "this offer was withdrawn; a new offer or a cancellation notice follows");
    case OfferState::kOpen:
      if (now >= o.expire_time || now >= o.HeldSlot().time.start) {
        return absl::FailedPreconditionError(
            absl::StrCat("this offer expired at ", LocalTime(tx, o.slot.office_id, o.expire_time),
                         "; a new offer will follow"));
      }
      return absl::OkStatus();
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("this offer was already answered (", std::string(ToString(o.state)),
                       "); please contact the office to change the answer"));
  }
}

absl::Status CheckUnavailable(const OfferResponse& r, const OfferPolicy& policy) {
  if (static_cast<int>(r.unavailable.size()) > policy.max_unavailable) {
    return InvalidField(
        "unavailable",
        absl::StrCat("at most ", policy.max_unavailable, " unavailable intervals per answer"),
        "TOO_MANY");
  }
  for (std::size_t i = 0; i < r.unavailable.size(); ++i) {
    const domain::TimeInterval& t = r.unavailable[i];
    if (t.end <= t.start || t.end - t.start > kMaxUnavailableSpan) {
      return InvalidField(absl::StrCat("unavailable[", i, "]"),
                          "must end after it starts and span at most a year", "OUT_OF_RANGE");
    }
  }
  if (!r.unavailable.empty() && r.kind != ResponseKind::kOtherTime) {
    return InvalidField("unavailable", "unavailable times go with an \"other time\" answer");
  }
  return absl::OkStatus();
}

// Re-checks an alternative against the rules and the slots held right now.
absl::Status CheckAlternative(storage::Transaction& tx, const domain::Offer& o, int index) {
  REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(o.outage_id));
  REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord plan, tx.GetPlan(o.outage_id, o.plan_id));
  REBOOK_ASSIGN_OR_RETURN(SlotScenario s,
                          LoadSlotScenario(tx, outage, plan.params, o.appointment_id));
  return CheckAlternativeStillFree(s, o.appointment_id, o.alternatives[index]);
}

bool IsRepeat(const domain::Offer& o, OfferState target, int alternative) {
  return o.state == target &&
         (target != OfferState::kAccepted || o.accepted_alternative == alternative);
}

}  // namespace

std::string InLanguage(const std::string& language, const std::string& de, const std::string& en) {
  return language.rfind("de", 0) == 0 ? de : en;
}

absl::StatusOr<domain::Offer> FindOfferForToken(storage::Transaction& tx,
                                                const std::string& token) {
  absl::Status unknown = absl::NotFoundError("unknown or mistyped link; please check the address");
  if (token.size() < 8 || token.size() > 128) return unknown;
  absl::StatusOr<domain::Offer> o = tx.FindOfferByToken(token);
  if (!o.ok()) return o.status().code() == absl::StatusCode::kNotFound ? unknown : o.status();
  // The store looked it up by value; compare in constant time all the same.
  if (!TokensEqual(o->token, token)) return unknown;
  return o;
}

absl::StatusOr<ResponseResult> RespondToOffer(storage::Transaction& tx, const domain::Offer& offer,
                                              const OfferResponse& response,
                                              const OfferContext& ctx) {
  const OfferPolicy& policy = *ctx.policy;
  REBOOK_RETURN_IF_ERROR(CheckUnavailable(response, policy));
  OfferState target = OfferState::kAccepted;
  int alternative = -1;
  if (response.alternative_index.has_value()) {
    if (response.kind == ResponseKind::kDecline) {
      return InvalidField("alternative_index", "an alternative can only be chosen when accepting");
    }
    alternative = *response.alternative_index;
    if (alternative < 0 || alternative >= static_cast<int>(offer.alternatives.size())) {
      return InvalidField(
          "alternative_index",
          absl::StrCat("must be between 0 and ", offer.alternatives.size(), " (exclusive)"),
          "OUT_OF_RANGE");
    }
  } else if (response.kind == ResponseKind::kDecline) {
    target = OfferState::kDeclined;
  } else if (response.kind == ResponseKind::kOtherTime) {
    target = OfferState::kOtherTimeRequested;
  }

  ResponseResult r;
  r.offer = offer;
  REBOOK_ASSIGN_OR_RETURN(r.appointment, tx.GetAppointment(offer.office_id, offer.appointment_id));
  if (IsRepeat(offer, target, alternative)) {
    r.repeated = true;
    return r;
  }
  REBOOK_RETURN_IF_ERROR(NotAnswerable(tx, offer, ctx.now));
  if (r.appointment.status != AppointmentStatus::kOffered) {
    return absl::FailedPreconditionError(
        "this offer is no longer valid; please contact the office");
  }
  if (alternative >= 0) REBOOK_RETURN_IF_ERROR(CheckAlternative(tx, offer, alternative));

  domain::Offer& o = r.offer;
  o.state = target;
  o.respond_time = ctx.now;
  o.response_channel = response.channel;
  o.accepted_alternative = alternative;
  REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));

  domain::Appointment& a = r.appointment;
  a.update_time = ctx.now;
  switch (target) {
    case OfferState::kAccepted:
      a.status = AppointmentStatus::kConfirmed;
      ConfirmSlot(a, o, ctx.now);
      a.status_reason = absl::StrCat(
          "confirmed for ", LocalTime(tx, o.HeldSlot().office_id, o.HeldSlot().time.start));
      break;
    case OfferState::kDeclined:
      a.status = AppointmentStatus::kDeclined;
      a.status_reason = "declined the offered slot; waits for the next offer";
      break;
    default:
      a.status = AppointmentStatus::kDeclined;
      a.status_reason = "asked for another time; waits for the next offer";
      a.unavailable.insert(a.unavailable.end(), response.unavailable.begin(),
                           response.unavailable.end());
      break;
  }
  if (target != OfferState::kAccepted) ReleaseSlots(a);
  REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
  if (target == OfferState::kAccepted) {
    REBOOK_RETURN_IF_ERROR(
        QueueMessage(tx, *ctx.outbox, a, o, MessageKind::kConfirmation, "", ctx.now, *ctx.ids));
  }
  return r;
}

absl::StatusOr<bool> OfferMessageMayHaveReached(storage::Transaction& tx,
                                                const domain::Offer& offer) {
  bool reached = false;
  storage::MessageFilter filter;
  filter.appointment = offer.appointment_key();
  filter.states = {MessageState::kSent, MessageState::kDelivered, MessageState::kLeased};
  REBOOK_RETURN_IF_ERROR(tx.ScanMessages(filter, [&](const domain::OutboxMessage& m) {
    if (m.offer_version == offer.version && m.kind != MessageKind::kCancellation) reached = true;
  }));
  return reached;
}

absl::StatusOr<std::optional<domain::Offer>> HeldOfferOf(
    storage::Transaction& tx, const domain::AppointmentKey& appointment) {
  std::optional<domain::Offer> held;
  storage::OfferFilter filter;
  filter.appointment = appointment;
  filter.states = {OfferState::kOpen, OfferState::kAccepted};
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(filter, [&](const domain::Offer& o) {
    if (!held || o.version > held->version) held = o;
  }));
  return held;
}

absl::StatusOr<std::optional<domain::Offer>> WithdrawHeldOffer(
    storage::Transaction& tx, const domain::Appointment& appointment,
    const std::string& explanation, const CommitContext& ctx, bool tell_citizen) {
  REBOOK_ASSIGN_OR_RETURN(std::optional<domain::Offer> held, HeldOfferOf(tx, appointment.Key()));
  if (!held) return held;
  bool tell = held->state == OfferState::kAccepted;
  if (!tell) {
    REBOOK_ASSIGN_OR_RETURN(tell, OfferMessageMayHaveReached(tx, *held));
  }
  tell = tell && tell_citizen;
  held->state = OfferState::kWithdrawn;
  REBOOK_RETURN_IF_ERROR(tx.PutOffer(*held));
  if (tell) {
    REBOOK_RETURN_IF_ERROR(QueueMessage(tx, *ctx.outbox, appointment, *held,
                                        MessageKind::kCancellation, explanation, ctx.now,
                                        *ctx.ids));
  }
  return held;
}

absl::StatusOr<ExpiryResult> ProcessExpiries(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const OfferContext& ctx) {
  const OfferPolicy& policy = *ctx.policy;
  ExpiryResult result;
  std::vector<domain::Offer> open;
  storage::OfferFilter filter;
  filter.office_ids = office_ids;
  filter.states = {OfferState::kOpen};
  REBOOK_RETURN_IF_ERROR(tx.ScanOffers(filter, [&](const domain::Offer& o) { open.push_back(o); }));

  const auto total = static_cast<std::int64_t>(open.size());
  std::int64_t checked = 0;
  domain::ReportProgress(ctx.progress, "checking offers", 0, total);
  for (domain::Offer& o : open) {
    if (++checked % 256 == 0)
      domain::ReportProgress(ctx.progress, "checking offers", checked, total);
    const bool due = ctx.now >= o.expire_time || ctx.now >= o.HeldSlot().time.start;
    if (!due) {
      if (policy.reminder_lead.count() <= 0 || o.reminder_time.has_value()) continue;
      const Instant remind_at = std::max(o.expire_time - policy.reminder_lead,
                                         o.create_time + (o.expire_time - o.create_time) / 2);
      if (ctx.now < remind_at) continue;
      REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                              tx.GetAppointment(o.office_id, o.appointment_id));
      REBOOK_RETURN_IF_ERROR(
          QueueMessage(tx, *ctx.outbox, a, o, MessageKind::kReminder, "", ctx.now, *ctx.ids));
      o.reminder_time = ctx.now;
      REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
      ++result.reminders_queued;
      continue;
    }
    o.state = OfferState::kExpired;
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
    ++result.expired;
    REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                            tx.GetAppointment(o.office_id, o.appointment_id));
    if (a.status != AppointmentStatus::kOffered) continue;

    int expired = 0;
    storage::OfferFilter mine;
    mine.appointment = a.Key();
    mine.states = {OfferState::kExpired};
    REBOOK_RETURN_IF_ERROR(tx.ScanOffers(mine, [&](const domain::Offer&) { ++expired; }));
    int messages = 0, dead = 0;
    storage::MessageFilter msgs;
    msgs.appointment = a.Key();
    REBOOK_RETURN_IF_ERROR(tx.ScanMessages(msgs, [&](const domain::OutboxMessage& m) {
      ++messages;
      dead += m.state == MessageState::kDead ? 1 : 0;
    }));
    a.update_time = ctx.now;
    if (messages > 0 && dead == messages) {
      a.status = AppointmentStatus::kUnreachable;
      a.status_reason = "no message reached the citizen; staff should phone or write";
      ++result.unreachable;
    } else if (expired >= policy.max_expiries) {
      a.status = AppointmentStatus::kUnreachable;
      a.status_reason =
          absl::StrCat(expired, " offers expired unanswered; staff should phone or write");
      ++result.unreachable;
    } else {
      a.status = AppointmentStatus::kCancelled;
      a.status_reason = "the offer expired unanswered; waits for a new offer";
    }
    ReleaseSlots(a);
    REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
  }
  return result;
}

}  // namespace rebook::rebooking
