#include "services/domain/outreach.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"

namespace rebook::domain {
namespace {

template <typename E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<PlanState, 5> kPlanStates{{{PlanState::kReady, "ready"},
                                           {PlanState::kCommitted, "committed"},
                                           {PlanState::kSuperseded, "superseded"},
                                           {PlanState::kFailed, "failed"},
                                           {PlanState::kWhatIf, "what_if"}}};
constexpr Names<OfferState, 6> kOfferStates{{{OfferState::kOpen, "open"},
                                             {OfferState::kAccepted, "accepted"},
                                             {OfferState::kDeclined, "declined"},
                                             {OfferState::kOtherTimeRequested, "other_time"},
                                             {OfferState::kExpired, "expired"},
                                             {OfferState::kWithdrawn, "withdrawn"}}};
constexpr Names<MessageKind, 4> kKinds{{{MessageKind::kOffer, "offer"},
                                        {MessageKind::kConfirmation, "confirmation"},
                                        {MessageKind::kReminder, "reminder"},
                                        {MessageKind::kCancellation, "cancellation"}}};
constexpr Names<MessageState, 6> kMessageStates{{{MessageState::kPending, "pending"},
                                                 {MessageState::kLeased, "leased"},
                                                 {MessageState::kSent, "sent"},
                                                 {MessageState::kDelivered, "delivered"},
                                                 {MessageState::kFailed, "failed"},
                                                 {MessageState::kDead, "dead"}}};

template <typename E, std::size_t N>
std::string_view Name(const Names<E, N>& names, E e) {
  for (const auto& [v, n] : names) {
    if (v == e) return n;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> Value(const Names<E, N>& names, std::string_view s) {
  for (const auto& [v, n] : names) {
    if (n == s) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(PlanState s) { return Name(kPlanStates, s); }
std::optional<PlanState> ParsePlanState(std::string_view s) { return Value(kPlanStates, s); }
std::string_view ToString(OfferState s) { return Name(kOfferStates, s); }
std::optional<OfferState> ParseOfferState(std::string_view s) { return Value(kOfferStates, s); }
std::string_view ToString(MessageKind k) { return Name(kKinds, k); }
std::optional<MessageKind> ParseMessageKind(std::string_view s) { return Value(kKinds, s); }
std::string_view ToString(MessageState s) { return Name(kMessageStates, s); }
std::optional<MessageState> ParseMessageState(std::string_view s) {
  return Value(kMessageStates, s);
}

std::string MessageIdempotencyKey(const std::string& outage_id, const AppointmentKey& appointment,
                                  int offer_version, MessageKind kind, const std::string& channel) {
  return absl::StrCat(outage_id, "/", appointment.office_id, "/", appointment.id, "/v",
                      offer_version, "/", std::string(ToString(kind)), "/", channel);
}

}  // namespace rebook::domain
