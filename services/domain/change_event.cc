#include "services/domain/change_event.h"

#include <array>
#include <utility>

namespace rebook::domain {
namespace {

constexpr std::array<std::pair<ChangeKind, std::string_view>, 7> kChangeKindNames{{
    {ChangeKind::kAppointmentCreated, "appointment_created"},
    {ChangeKind::kAppointmentUpdated, "appointment_updated"},
    {ChangeKind::kStatusChanged, "status_changed"},
    {ChangeKind::kSlotHeld, "slot_held"},
    {ChangeKind::kSlotReleased, "slot_released"},
    {ChangeKind::kSlotConfirmed, "slot_confirmed"},
    {ChangeKind::kAppointmentErased, "appointment_erased"},
}};

}  // namespace

std::string_view ToString(ChangeKind k) {
  for (const auto& [kind, name] : kChangeKindNames) {
    if (kind == k) return name;
  }
  return "unknown";
}

std::optional<ChangeKind> ParseChangeKind(std::string_view s) {
  for (const auto& [kind, name] : kChangeKindNames) {
    if (name == s) return kind;
  }
  return std::nullopt;
}

}  // namespace rebook::domain
