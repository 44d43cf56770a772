#include "services/export/schedule_csv.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/bundle/csv_reader.h"

namespace rebook::exports {

std::vector<std::string> ScheduleCsvColumns() {
  return {"appointment_id", "office_id",     "original_start", "new_office_id", "new_office_name",
          "clerk_id",       "clerk_name",    "start",          "end",           "time_zone",
          "start_utc",      "end_utc",       "service_id",     "service_name",  "cases",
          "kind",           "confirmed_via", "confirm_time",   "update_time"};
}

std::string ScheduleCsv(const Schedule& schedule) {
  std::string out;
  bundle::AppendCsvRow(ScheduleCsvColumns(), out);
  for (const ScheduleEntry& e : schedule.rebooked()) {
    const domain::Appointment& a = *e.appointment;
    const std::string& tz = e.office->time_zone;
    bundle::AppendCsvRow(
        {a.id, a.office_id, LocalText(e.original_office->time_zone, a.original_start), e.office->id,
         e.office->name, e.slot->clerk_id, e.clerk_name, LocalText(tz, e.slot->time.start),
         LocalText(tz, e.slot->time.end), tz, UtcText(e.slot->time.start),
         UtcText(e.slot->time.end), a.service_id, e.service_name, absl::StrCat(a.cases),
         a.kind == domain::AppointmentKind::kWalkIn ? "walk_in" : "appointment",
         std::string(domain::ToString(a.rebooked_slot->confirmed_via)),
         UtcText(a.rebooked_slot->confirm_time), UtcText(a.update_time)},
        out);
  }
  return out;
}

std::vector<std::string> BlocksCsvColumns() {
  return {"clerk_id",      "office_id", "start",
          "end",           "time_zone", "start_utc",
          "end_utc",       "state",     "appointment_office_id",
          "appointment_id"};
}

std::string BlocksCsv(const Schedule& schedule) {
  std::vector<const ScheduleEntry*> entries;
  for (const ScheduleEntry& e : schedule.rebooked()) entries.push_back(&e);
  for (const ScheduleEntry& e : schedule.held()) entries.push_back(&e);
  std::sort(entries.begin(), entries.end(), [](const ScheduleEntry* a, const ScheduleEntry* b) {
    return std::tie(a->slot->clerk_id, a->slot->time.start, a->slot->office_id) <
           std::tie(b->slot->clerk_id, b->slot->time.start, b->slot->office_id);
  });
  std::string out;
  bundle::AppendCsvRow(BlocksCsvColumns(), out);
  for (const ScheduleEntry* e : entries) {
    const std::string& tz = e->office->time_zone;
    bundle::AppendCsvRow(
        {e->slot->clerk_id, e->office->id, LocalText(tz, e->slot->time.start),
         LocalText(tz, e->slot->time.end), tz, UtcText(e->slot->time.start),
         UtcText(e->slot->time.end), e->state == SlotState::kRebooked ? "rebooked" : "held",
         e->appointment->office_id, e->appointment->id},
        out);
  }
  return out;
}

}  // namespace rebook::exports
