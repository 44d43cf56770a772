// The figures of the outage report, derived from a ReportInput: status counts, the backlog over
// time, each office-day's load against its capacity, the Gantt rows and the delays in days and
// working days. Pure functions of their input; no I/O, no clock.
//
//   ReportModel m = BuildReportModel(input);
//   m.delays.within_5_working_days  // "x of y placed within 5 working days"
#ifndef REBOOK_SERVICES_REPORT_REPORT_MODEL_H_
#define REBOOK_SERVICES_REPORT_REPORT_MODEL_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "services/domain/holidays.h"
#include "services/report/report_input.h"

namespace rebook::report {

// Working days: Monday to Friday that are not public holidays of the office's state.
class WorkingDays {
 public:
  explicit WorkingDays(const std::vector<OfficeInfo>& offices);
  bool IsWorkingDay(const std::string& office_id, domain::LocalDate day);
  // Working days after `from` up to and including `to` (0 when `to` <= `from`).
  int Between(const std::string& office_id, domain::LocalDate from, domain::LocalDate to);

 private:
  std::map<std::string, std::string> state_of_;
  domain::HolidayCalendar holidays_;
};

struct DelayStats {
  int total = 0;   // citizens of the outage
  int placed = 0;  // with a slot in the plan
  int within_5_working_days = 0;
  double mean_days = 0, mean_working_days = 0;
  int median_days = 0, max_days = 0, max_working_days = 0;
  // Placed citizens by working days of delay: [0], [1], ..., [10] and [11] for "more than 10".
  std::array<int, 12> by_working_days{};
};

struct BurnPoint {
  Instant time{};
  int waiting = 0;    // no open offer: cancelled, declined, expired
  int offered = 0;    // an open offer
  int confirmed = 0;  // accepted
  int expired = 0;    // offers expired so far (cumulative)
};

struct OfficeDayLoad {
  std::string office_id;
  domain::LocalDate day;
  bool works = false;                // has shifts on a working day or overtime
  std::int64_t regular_minutes = 0;  // regular shift minutes minus standing bookings
  std::int64_t reserve_minutes = 0;  // kept for new bookings (reserve share)
  std::int64_t overtime_minutes = 0;
  std::int64_t rebooked_minutes = 0;  // the plan's slots
  // Rebooked minutes against what is open to rebooking (regular - reserve + overtime).
  double Utilisation() const;
};

struct GanttBar {
  int row = 0;                              // index into GanttDay::clerks
  std::int64_t start_min = 0, end_min = 0;  // local minutes since midnight
  int service = 0;                          // index into ReportInput::services
  std::string appointment_id;
};
struct GanttShift {
  int row = 0;
  std::int64_t start_min = 0, end_min = 0;
  bool overtime = false;
};
struct GanttDay {
  std::string office_id;
  domain::LocalDate day;
  std::vector<std::string> clerks;
  std::vector<GanttShift> shifts;
  std::vector<GanttBar> bars;
};

struct ChannelRow {
  std::string channel;
  std::map<std::string, int> by_state;  // "DELIVERED" -> 12
};

struct ReportModel {
  // Per office (input order): citizens by CitizenState.
  std::vector<std::pair<std::string, std::array<int, kCitizenStateCount>>> status_by_office;
  int offers_open = 0, offers_expiring_24h = 0, offers_expired = 0;
  std::vector<ChannelRow> channels;
  // Appointment ids that need a phone call: unreachable, or whose only way left is the phone.
  std::vector<std::string> to_call;
  std::vector<BurnPoint> burn_down;
  std::vector<domain::LocalDate> days;  // the heatmap's columns
  std::vector<OfficeDayLoad> loads;     // office-major, one per office and day in `days`
  std::vector<GanttDay> gantt;          // office-days with slots, by office then day
  DelayStats delays;
};

ReportModel BuildReportModel(const ReportInput& input);

// The backlog at `points` evenly spaced times from the declaration to `generated_at` (both
// included): each citizen counted once by its newest offer created by then. Citizens who left
// otherwise (self-rebooked, closed) are not counted.
std::vector<BurnPoint> BurnDown(const ReportInput& input, int points = 97);

// The office's display name; its id when it has none or is not in `input.offices`.
std::string OfficeDisplayName(const ReportInput& input, const std::string& id);

}  // namespace rebook::report

#endif  // REBOOK_SERVICES_REPORT_REPORT_MODEL_H_
