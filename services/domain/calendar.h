// ShiftCalendar: the usable working time of a scenario.
//
// It answers the calendar questions that both the solver and the plan checker ask (rules 2, 3
// and 6 of the scenario bundle spec):
//   - A shift's day is the local date, in its office's zone, at which it starts.
//   - A shift on a public holiday of its office's state or on a closure date is not usable.
//   - A usable shift's free time is its interval minus every standing booking of its clerk.
//   - An office-day's free regular minutes are its usable regular shift minutes minus the
//     standing booking minutes inside them (overlapping bookings counted once).
//
//   REBOOK_ASSIGN_OR_RETURN(ShiftCalendar cal, ShiftCalendar::Build(scenario));
//   if (cal.shift(i).usable) for (const TimeInterval& gap : cal.shift(i).free) ...
//
// The calendar keeps indices into the scenario it was built from; it does not keep a pointer to
// it. Immutable after Build, so it may be shared between threads.
#ifndef REBOOK_SERVICES_DOMAIN_CALENDAR_H_
#define REBOOK_SERVICES_DOMAIN_CALENDAR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::domain {

// InvalidArgument if an office of `scenario` has an unknown time zone or state code (the
// office checks of ShiftCalendar::Build, for callers that build calendars of parts only).
absl::Status ValidateOffices(const Scenario& scenario);

class ShiftCalendar {
 public:
  struct ShiftInfo {
    int office = -1;                 // index into Scenario::offices
    LocalDate day;                   // local start date at the office
    bool usable = false;             // false on a holiday or closure of the office
    int office_day = -1;             // index into office_days(); -1 if not usable
    std::vector<TimeInterval> free;  // usable shifts only: sorted, disjoint
  };
  struct OfficeDay {
    int office = -1;
    LocalDate day;
    std::int64_t regular_seconds = 0;         // usable regular shift time
    std::int64_t booked_regular_seconds = 0;  // standing bookings inside it
    std::int64_t FreeRegularSeconds() const { return regular_seconds - booked_regular_seconds; }
  };

  // InvalidArgument if a shift or closure names an unknown office, or an office has an unknown
  // time zone or state code.
  static absl::StatusOr<ShiftCalendar> Build(const Scenario& scenario);

  const ShiftInfo& shift(std::size_t index) const { return shifts_[index]; }
  std::size_t shift_count() const { return shifts_.size(); }
  const std::vector<OfficeDay>& office_days() const { return office_days_; }
  // Index of (office, day) in office_days(), or -1 if the office has no usable shift that day.
  int FindOfficeDay(int office, LocalDate day) const;
  // Index of an office id in Scenario::offices, or -1.
  int FindOffice(std::string_view office_id) const;
  // Indices of the clerk's shifts, sorted by start. Empty for unknown clerks.
  const std::vector<int>& ShiftsOfClerk(std::string_view clerk_id) const;
  // True if the office does not open on `day` (a public holiday of its state or a closure).
  bool IsClosed(int office, LocalDate day) const;

 private:
  std::vector<ShiftInfo> shifts_;
  std::vector<OfficeDay> office_days_;
  std::unordered_map<std::string, int> office_index_;
  std::unordered_map<std::string, std::vector<int>> clerk_shifts_;
  std::unordered_map<std::int64_t, int> office_day_index_;  // office * 2^32 + day number
  std::vector<std::vector<int>> closed_days_;               // per office: sorted closed day numbers
};

// Gives each standing booking without an office the office of the clerk's shift it lies in
// (the shift containing its start, else the one it overlaps most); empty if there is none.
void AssignBookingOffices(Scenario& scenario);

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_CALENDAR_H_
