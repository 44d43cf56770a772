// The rebooking domain: offices, services, clerks, shifts, outages and appointments.
//
// Plain value types shared by storage, the solver, the scenario bundle reader and the API
// layer. Nothing here knows gRPC, protobuf, SQLite or CSV. All instants are UTC
// (`rebook::Instant`); local wall-clock times only exist at the edges (bundle files, messages)
// and are converted with `services/domain/local_time.h`.
#ifndef REBOOK_SERVICES_DOMAIN_MODEL_H_
#define REBOOK_SERVICES_DOMAIN_MODEL_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "date/date.h"
#include "services/common/clock.h"

namespace rebook::domain {

// A calendar date in an office's zone.
using LocalDate = date::year_month_day;

// Half-open interval [start, end) of UTC instants.
struct TimeInterval {
  Instant start;
  Instant end;

  std::chrono::seconds Duration() const { return end - start; }
  // Touching at an end point is not an overlap.
  bool Overlaps(const TimeInterval& other) const { return start < other.end && other.start < end; }
  bool Contains(const TimeInterval& other) const {
    return start <= other.start && other.end <= end;
  }
  friend bool operator==(const TimeInterval&, const TimeInterval&) = default;
};

enum class ServiceCategory {
  kVehicleRegistration,
  kRegistryOffice,
  kImmigration,
  kCitizenship,
  kResidents,
  kOther,
};

struct Office {
  std::string id;
  std::string name;
  std::string state;  // ISO 3166-2 code, e.g. "DE-ST"; selects public holidays
  std::string time_zone = "Europe/Berlin";  // IANA zone of all local times at this office
  std::string address;                      // postal address, shown to citizens
  std::chrono::seconds offer_ttl = std::chrono::hours(48);  // how long citizens may answer
  friend bool operator==(const Office&, const Office&) = default;
};

struct Service {
  std::string id;
  std::string name;
  ServiceCategory category = ServiceCategory::kOther;
  int duration_min = 15;  // minutes for one case
  friend bool operator==(const Service&, const Service&) = default;
};

struct Clerk {
  std::string id;
  std::string name;
  std::vector<std::string> skills;  // service ids this clerk may handle
  std::string home_office_id;       // optional; the office that manages this clerk
  friend bool operator==(const Clerk&, const Clerk&) = default;
};

enum class ShiftKind { kRegular, kOvertime };

struct Shift {
  std::string id;  // unique per office
  std::string clerk_id;
  std::string office_id;
  TimeInterval time;
  ShiftKind kind = ShiftKind::kRegular;
  friend bool operator==(const Shift&, const Shift&) = default;
};

// A whole local day on which an office does not open.
struct Closure {
  std::string office_id;
  LocalDate date;
  std::string reason;
  friend bool operator==(const Closure&, const Closure&) = default;
};

// An appointment that still stands and blocks its clerk.
struct StandingBooking {
  std::string id;
  std::string clerk_id;
  std::string office_id;  // office of the shift it lies in; empty if it lies in none
  TimeInterval time;
  friend bool operator==(const StandingBooking&, const StandingBooking&) = default;
};

enum class AppointmentKind { kAppointment, kWalkIn };

// Where an appointment is in its life. The solver ignores this; storage and the API use it.
enum class AppointmentStatus {
  kBooked,        // a normal booking, not hit by any outage
  kCancelled,     // lost to an outage, or a turned-away walk-in: waits for a new slot
  kOffered,       // a new slot is offered and held for the citizen
  kConfirmed,     // the citizen accepted the new slot
  kDeclined,      // the citizen declined; waits for the next offer
  kSelfRebooked,  // the citizen rebooked through the booking system; drops out of planning
  kUnreachable,   // no channel reached the citizen
  kClosed,        // closed by staff, with a recorded reason
};

struct Contact {
  std::string name;
  std::string phone;
  std::string email;
  std::string postal_address;
  std::string language = "de";  // BCP 47
  std::string channel;          // preferred channel, e.g. "email"; empty: the office default
  friend bool operator==(const Contact&, const Contact&) = default;
};

// What identifies an appointment: ids are chosen by each office's booking system and unique per
// office only (resource names are offices/{office}/appointments/{id}). Ordered by id, then office.
struct AppointmentKey {
  std::string office_id;
  std::string id;
  friend bool operator==(const AppointmentKey&, const AppointmentKey&) = default;
  friend bool operator<(const AppointmentKey& a, const AppointmentKey& b) {
    return a.id != b.id ? a.id < b.id : a.office_id < b.office_id;
  }
};
struct AppointmentKeyHash {
  std::size_t operator()(const AppointmentKey& k) const {
    const std::hash<std::string> h;
    return h(k.id) * 31 + h(k.office_id);
  }
};

// A slot in the schedule: where, with whom and when.
struct ScheduledSlot {
  std::string office_id;
  std::string clerk_id;
  TimeInterval time;
  friend bool operator==(const ScheduledSlot&, const ScheduledSlot&) = default;
};

// How a new slot was confirmed: the citizen's link, a phone call staff recorded, or staff.
enum class ConfirmationChannel { kLink, kPhone, kStaff };

// The slot an appointment is rebooked into, and how and when that was confirmed.
struct RebookedSlot {
  ScheduledSlot slot;
  ConfirmationChannel confirmed_via = ConfirmationChannel::kLink;
  Instant confirm_time{};
  friend bool operator==(const RebookedSlot&, const RebookedSlot&) = default;
};

struct Appointment {
  std::string id;         // the booking system's id; unique within its office
  std::string office_id;  // the original office; with `id`, the appointment's key
  std::string service_id;
  Instant original_start;
  std::optional<Instant> earliest_start;     // unset: the planning horizon's start
  std::optional<Instant> deadline;           // the new appointment must end by then
  int priority = 1;                          // 1..10
  int cases = 1;                             // duration = cases x service duration
  std::vector<std::string> allowed_offices;  // empty: the original office only
  std::vector<TimeInterval> unavailable;     // times the citizen cannot come
  AppointmentKind kind = AppointmentKind::kAppointment;
  Contact contact;

  // Lifecycle, kept by the server.
  AppointmentStatus status = AppointmentStatus::kBooked;
  std::string outage_id;      // the outage that cancelled it, if any
  std::string status_reason;  // why it is in its status (closed, unreachable, ...)
  Instant create_time{};
  Instant update_time{};
  std::optional<RebookedSlot> rebooked_slot;  // set while the status is kConfirmed
  std::optional<ScheduledSlot> held_slot;     // the open offer's slot, while kOffered

  // True if the booking-system data (everything but the lifecycle) is equal.
  bool SameBookingData(const Appointment& o) const;
  // The offices this appointment may be placed at: `allowed_offices`, or the original one.
  std::vector<std::string> EffectiveAllowedOffices() const;
  // The same offices without a copy (hot loops); valid while this appointment is unchanged.
  std::span<const std::string> EffectiveAllowedOfficesView() const {
    return allowed_offices.empty() ? std::span<const std::string>(&office_id, 1)
                                   : std::span<const std::string>(allowed_offices);
  }
  AppointmentKey Key() const { return {office_id, id}; }
};

enum class OutageState { kActive, kClosed };

struct Outage {
  std::string id;
  std::vector<std::string> office_ids;
  TimeInterval window;  // booked appointments starting in [start, end) are cancelled
  std::string cause;
  OutageState state = OutageState::kActive;
  Instant declare_time{};
  std::optional<Instant> close_time;
  std::string close_reason;
  std::int64_t cancelled_appointments = 0;  // appointments this outage cancelled
};

// The solver's parameters; the columns of the bundle's params.csv.
struct PlanParams {
  Instant horizon_start{};
  Instant horizon_end{};
  double reserve_share = 0.0;
  double w_unassigned = 100000.0;
  double w_office_change = 48.0;
  double w_overtime_min = 1.0;
};

// A whole rebooking problem: the content of a scenario bundle
// (see ../shared/spec/scenario-bundle.md), or what the server assembles from storage.
struct Scenario {
  PlanParams params;
  std::vector<Office> offices;
  std::vector<Service> services;
  std::vector<Clerk> clerks;
  std::vector<Shift> shifts;
  std::vector<Closure> closures;
  std::vector<StandingBooking> bookings;
  std::vector<Appointment> appointments;
};

// The office with this id among `offices`, or nullptr. A linear search, for the few lookups of
// an export or an explanation; hot paths index the offices themselves.
const Office* FindOffice(const std::vector<Office>& offices, std::string_view id);

std::string_view ToString(ServiceCategory c);
std::optional<ServiceCategory> ParseServiceCategory(std::string_view s);
std::string_view ToString(ShiftKind k);
std::optional<ShiftKind> ParseShiftKind(std::string_view s);
std::string_view ToString(AppointmentKind k);
std::optional<AppointmentKind> ParseAppointmentKind(std::string_view s);
std::string_view ToString(AppointmentStatus s);
std::string_view ToString(ConfirmationChannel c);  // "link", "phone", "staff"
std::optional<ConfirmationChannel> ParseConfirmationChannel(std::string_view s);
std::optional<AppointmentStatus> ParseAppointmentStatus(std::string_view s);
std::string_view ToString(OutageState s);

// The channels a citizen may prefer (Contact::channel) and the outbox sends on, one name each
// everywhere: the API, the outbox, notify's channel factories, config files and bundles.
// "phone" is a staff call (a call list), "file" writes JSON lines (demos, tests).
inline constexpr std::string_view kKnownChannels[] = {"email",  "sms",   "webhook",
                                                      "letter", "phone", "file"};
// True for the names above only.
bool IsKnownChannel(std::string_view channel);
// The name of a channel as read from a file or a request: a name above stays itself, and the
// old names of rebook before 2026-12 are aliases of the current ones: "smtp" -> "email",
// "phone_list" -> "phone". nullopt for anything else.
std::optional<std::string_view> CanonicalChannel(std::string_view name);

// ISO 3166-2 codes of the 16 German states ("DE-BW" ... "DE-TH").
bool IsGermanState(std::string_view code);

// Resource ids: 1 to 128 characters of [A-Za-z0-9._~-], as in URL path segments.
bool IsValidId(std::string_view id);

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_MODEL_H_
