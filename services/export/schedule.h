// The schedule an outage's exports print: the outage's appointments joined with their slots and
// the names of offices, clerks and service types. Plain domain values in, no I/O.
//
//   ExportData data{.outage_id = "o1", .offices = ..., .clerks = ..., .services = ...,
//                   .appointments = ...};
//   REBOOK_ASSIGN_OR_RETURN(Schedule schedule, Schedule::Build(std::move(data)));
//   for (const ScheduleEntry& e : schedule.rebooked()) ...
//
// The entries point into the data the schedule owns: a Schedule moves but does not copy.
#ifndef REBOOK_SERVICES_EXPORT_SCHEDULE_H_
#define REBOOK_SERVICES_EXPORT_SCHEDULE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/model.h"

namespace rebook::exports {

// What an export reads, as fetched from the server.
struct ExportData {
  std::string outage_id;                  // titles; events name each appointment's own outage
  std::vector<domain::Office> offices;    // every office an appointment or slot names
  std::vector<domain::Clerk> clerks;      // unknown clerks are printed by id
  std::vector<domain::Service> services;  // unknown service types are printed by id
  // The outage's appointments, any status (a feed may hold several outages' appointments).
  std::vector<domain::Appointment> appointments;
};

enum class SlotState { kRebooked, kHeld };

// One appointment in a slot, with the names exports print.
struct ScheduleEntry {
  const domain::Appointment* appointment = nullptr;
  SlotState state = SlotState::kRebooked;
  const domain::ScheduledSlot* slot = nullptr;
  const domain::Office* office = nullptr;           // the slot's office
  const domain::Office* original_office = nullptr;  // the appointment's office
  std::string clerk_name;                           // the clerk id if the clerk is unknown
  std::string service_name;                         // the service id if it is unknown
};

class Schedule {
 public:
  // InvalidArgument if an appointment's or slot's office is not among `data.offices`, or an
  // office's time zone is unknown.
  static absl::StatusOr<Schedule> Build(ExportData data);

  Schedule(Schedule&&) = default;
  Schedule& operator=(Schedule&&) = default;
  Schedule(const Schedule&) = delete;
  Schedule& operator=(const Schedule&) = delete;

  const ExportData& data() const { return data_; }
  // Confirmed appointments in their new slots, ordered by slot office, start, clerk, id.
  const std::vector<ScheduleEntry>& rebooked() const { return rebooked_; }
  // Slots held by open offers, in the same order.
  const std::vector<ScheduleEntry>& held() const { return held_; }
  // The outage's appointments without a slot (waiting, declined, closed, ...), by office, id.
  const std::vector<const domain::Appointment*>& unscheduled() const { return unscheduled_; }

  const domain::Office* FindOffice(const std::string& id) const;
  std::string ServiceName(const std::string& service_id) const;
  // Minutes of one case of `service_id` (15 if the service type is unknown).
  int ServiceMinutes(const std::string& service_id) const;

 private:
  Schedule() = default;
  ExportData data_;
  std::vector<ScheduleEntry> rebooked_;
  std::vector<ScheduleEntry> held_;
  std::vector<const domain::Appointment*> unscheduled_;
};

// "2026-01-27T11:00" in `tz`.
std::string LocalText(const std::string& tz, Instant t);
// "2026-01-27T10:00:00Z".
std::string UtcText(Instant t);

}  // namespace rebook::exports

#endif  // REBOOK_SERVICES_EXPORT_SCHEDULE_H_
