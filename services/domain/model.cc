#include "services/domain/model.h"

#include <algorithm>
#include <array>
#include <utility>

namespace rebook::domain {
namespace {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<ServiceCategory, 6> kCategoryNames{{
    {ServiceCategory::kVehicleRegistration, "vehicle_registration"},
    {ServiceCategory::kRegistryOffice, "registry_office"},
    {ServiceCategory::kImmigration, "immigration"},
    {ServiceCategory::kCitizenship, "citizenship"},
    {ServiceCategory::kResidents, "residents"},
    {ServiceCategory::kOther, "other"},
}};
constexpr NameTable<ShiftKind, 2> kShiftKindNames{{
    {ShiftKind::kRegular, "regular"},
    {ShiftKind::kOvertime, "overtime"},
}};
constexpr NameTable<AppointmentKind, 2> kAppointmentKindNames{{
    {AppointmentKind::kAppointment, "appointment"},
    {AppointmentKind::kWalkIn, "walk_in"},
}};
constexpr NameTable<AppointmentStatus, 8> kStatusNames{{
    {AppointmentStatus::kBooked, "booked"},
    {AppointmentStatus::kCancelled, "cancelled"},
    {AppointmentStatus::kOffered, "offered"},
    {AppointmentStatus::kConfirmed, "confirmed"},
    {AppointmentStatus::kDeclined, "declined"},
    {AppointmentStatus::kSelfRebooked, "self_rebooked"},
    {AppointmentStatus::kUnreachable, "unreachable"},
    {AppointmentStatus::kClosed, "closed"},
}};
constexpr NameTable<ConfirmationChannel, 3> kConfirmationChannelNames{{
    {ConfirmationChannel::kLink, "link"},
    {ConfirmationChannel::kPhone, "phone"},
    {ConfirmationChannel::kStaff, "staff"},
}};
constexpr NameTable<OutageState, 2> kOutageStateNames{{
    {OutageState::kActive, "active"},
    {OutageState::kClosed, "closed"},
}};

template <typename E, std::size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> ValueOf(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(ServiceCategory c) { return NameOf(kCategoryNames, c); }
std::optional<ServiceCategory> ParseServiceCategory(std::string_view s) {
  return ValueOf(kCategoryNames, s);
}
std::string_view ToString(ShiftKind k) { return NameOf(kShiftKindNames, k); }
std::optional<ShiftKind> ParseShiftKind(std::string_view s) { return ValueOf(kShiftKindNames, s); }
std::string_view ToString(AppointmentKind k) { return NameOf(kAppointmentKindNames, k); }
std::optional<AppointmentKind> ParseAppointmentKind(std::string_view s) {
  return ValueOf(kAppointmentKindNames, s);
}
std::string_view ToString(AppointmentStatus s) { return NameOf(kStatusNames, s); }
std::optional<AppointmentStatus> ParseAppointmentStatus(std::string_view s) {
  return ValueOf(kStatusNames, s);
}
std::string_view ToString(ConfirmationChannel c) { return NameOf(kConfirmationChannelNames, c); }
std::optional<ConfirmationChannel> ParseConfirmationChannel(std::string_view s) {
  return ValueOf(kConfirmationChannelNames, s);
}
std::string_view ToString(OutageState s) { return NameOf(kOutageStateNames, s); }

const Office* FindOffice(const std::vector<Office>& offices, std::string_view id) {
  for (const Office& o : offices) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '~' || c == '-';
  });
}

bool IsKnownChannel(std::string_view channel) {
  return std::find(std::begin(kKnownChannels), std::end(kKnownChannels), channel) !=
         std::end(kKnownChannels);
}

std::optional<std::string_view> CanonicalChannel(std::string_view name) {
  if (name == "smtp") return kKnownChannels[0];
  if (name == "phone_list") return kKnownChannels[4];
  for (std::string_view known : kKnownChannels) {
    if (name == known) return known;
  }
  return std::nullopt;
}

bool IsGermanState(std::string_view code) {
  static constexpr std::string_view kStates[] = {
      "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
      "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH"};
  return std::find(std::begin(kStates), std::end(kStates), code) != std::end(kStates);
}

bool Appointment::SameBookingData(const Appointment& o) const {
  return id == o.id && office_id == o.office_id && service_id == o.service_id &&
         original_start == o.original_start && earliest_start == o.earliest_start &&
         deadline == o.deadline && priority == o.priority && cases == o.cases &&
         allowed_offices == o.allowed_offices && unavailable == o.unavailable && kind == o.kind &&
         contact == o.contact;
}

std::vector<std::string> Appointment::EffectiveAllowedOffices() const {
  const std::span<const std::string> view = EffectiveAllowedOfficesView();
  return {view.begin(), view.end()};
}

}  // namespace rebook::domain
