// ReportInput: everything the outage report shows, as plain values.
//
// Filled by whoever gathers the data (rebookctl through the API, the staff page through a
// rebooking use case); services/report only reads it. Instants are UTC; each office's zone turns
// them into local days. Names are bare ids ("HAL-MITTE"), not resource names. Nothing here is
// personal data: no citizen names or contacts, only appointment ids.
//
//   report::ReportInput in;
//   in.outage_id = "outage-7k2m";  in.generated_at = clock.Now();  ...
//   std::string html = report::RenderHtmlReport(in);
#ifndef REBOOK_SERVICES_REPORT_REPORT_INPUT_H_
#define REBOOK_SERVICES_REPORT_REPORT_INPUT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/common/clock.h"
#include "services/domain/model.h"

namespace rebook::report {

struct OfficeInfo {
  std::string id;
  std::string display_name;  // falls back to the id when empty
  std::string time_zone = "Europe/Berlin";
  std::string state;  // "DE-ST": public holidays for working days; empty: weekends only
};

struct ServiceInfo {
  std::string id;
  std::string display_name;
};

// Appointment statuses as the report groups them (AppointmentStatus without BOOKED).
enum class CitizenState {
  kCancelled,
  kOffered,
  kConfirmed,
  kDeclined,
  kSelfRebooked,
  kUnreachable,
  kClosed
};
inline constexpr int kCitizenStateCount = 7;

// One appointment the outage cancelled, and where the plan put it.
struct Citizen {
  std::string appointment_id;
  std::string office_id;  // the original office
  std::string service_id;
  CitizenState state = CitizenState::kCancelled;
  Instant original_start{};
  // From the plan shown (committed, else the newest): the new slot, if placed.
  bool placed = false;
  std::string slot_office_id, clerk_id;
  Instant slot_start{}, slot_end{};
  std::string unplaced_reason;  // the plan's words, when not placed
};

enum class OfferState { kOpen, kAccepted, kDeclined, kOtherTime, kExpired, kWithdrawn };

struct OfferInfo {
  std::string appointment_id;
  OfferState state = OfferState::kOpen;
  Instant created{}, expires{};
  std::optional<Instant> responded;  // accepted, declined, other time
};

// One notification message: its channel and its state name ("PENDING", "DELIVERED", ...).
struct MessageInfo {
  std::string appointment_id;
  std::string channel;
  std::string state;
};

struct ShiftInfo {
  std::string office_id, clerk_id;
  Instant start{}, end{};
  bool overtime = false;
};

// A clerk's standing booking (regular bookings); reduces an office-day's free capacity.
struct BookingInfo {
  std::string office_id, clerk_id;
  Instant start{}, end{};
};

struct ShortfallInfo {
  std::string office_id, service_id;
  domain::LocalDate by_day;
  std::int64_t missing_minutes = 0, unplaced_count = 0;
};

// A plan re-solved with one extra shift (a what-if plan), against the plan shown.
struct ShiftEffect {
  std::int64_t placed_before = 0, placed_after = 0;
  std::int64_t within_5_before = 0, within_5_after = 0;  // placed within 5 working days
  double mean_days_before = 0, mean_days_after = 0;      // mean delay in days
};

struct SuggestedShiftInfo {
  std::string office_id, service_id;
  domain::LocalDate day;
  std::int64_t minutes = 0, placed_count = 0;
  std::optional<ShiftEffect> effect;  // measured by re-solving (rebookctl report: the best 3)
};

struct PlanInfo {
  std::string id;
  std::string state;  // "committed", "ready", ...
  double reserve_share = 0;
  Instant horizon_start{}, horizon_end{};
  std::vector<ShortfallInfo> shortfall;
  std::vector<SuggestedShiftInfo> suggested_shifts;
};

struct ReportInput {
  std::string outage_id, cause;
  Instant window_start{}, window_end{}, declared{};
  Instant generated_at{};
  std::vector<OfficeInfo> offices;  // the outage's offices and every office a slot lies in
  std::vector<ServiceInfo> services;
  std::vector<Citizen> citizens;
  std::vector<OfferInfo> offers;
  std::vector<MessageInfo> messages;
  std::vector<ShiftInfo> shifts;  // in the plan's horizon
  std::vector<BookingInfo> bookings;
  std::optional<PlanInfo> plan;  // none: no plan yet
};

}  // namespace rebook::report

#endif  // REBOOK_SERVICES_REPORT_REPORT_INPUT_H_
