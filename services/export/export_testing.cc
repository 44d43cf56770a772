#include "services/export/export_testing.h"

#include <utility>

namespace rebook::exports::testing {

Instant Berlin(int hh, int mm, int day) {
  return Instant(date::sys_days(date::year(2026) / 1 / day)) + std::chrono::hours(hh - 1) +
         std::chrono::minutes(mm);
}

ExportData SampleData() {
  ExportData d;
  d.outage_id = "o1";
  d.offices = {{.id = "HAL", .name = "Bürgerbüro Halle", .address = "Markt 1\n06108 Halle"},
               {.id = "LEJ", .name = "Bürgeramt Leipzig, Mitte"}};
  d.clerks = {{.id = "c1", .name = "Anna Schmidt"}, {.id = "c2", .name = "Özdemir, Ben"}};
  d.services = {{.id = "pass", .name = "Reisepass", .duration_min = 20}};
  auto appointment = [](std::string id, std::string office, Instant start) {
    domain::Appointment a;
    a.id = std::move(id);
    a.office_id = std::move(office);
    a.service_id = "pass";
    a.original_start = start;
    a.outage_id = "o1";
    a.contact.name = "Jürgen Müller";
    a.contact.phone = "+49 345 1234";
    a.update_time = Berlin(9, 0, 26);
    return a;
  };
  domain::Appointment a1 = appointment("a1", "HAL", Berlin(10, 0, 26));
  a1.status = domain::AppointmentStatus::kConfirmed;
  a1.rebooked_slot = domain::RebookedSlot{{"HAL", "c1", {Berlin(9, 0), Berlin(9, 20)}},
                                          domain::ConfirmationChannel::kLink,
                                          Berlin(8, 0, 26)};
  domain::Appointment a2 = appointment("a2", "LEJ", Berlin(11, 0, 26));
  a2.cases = 2;
  a2.contact.name = "Zoë \"Z\", Meyer";
  a2.contact.language = "en";
  a2.status = domain::AppointmentStatus::kConfirmed;
  a2.rebooked_slot = domain::RebookedSlot{{"HAL", "c2", {Berlin(8, 0), Berlin(8, 40)}},
                                          domain::ConfirmationChannel::kPhone,
                                          Berlin(8, 30, 26)};
  domain::Appointment a3 = appointment("a3", "HAL", Berlin(12, 0, 26));
  a3.status = domain::AppointmentStatus::kOffered;
  a3.held_slot = domain::ScheduledSlot{"HAL", "c1", {Berlin(10, 0), Berlin(10, 20)}};
  domain::Appointment a4 = appointment("a4", "HAL", Berlin(13, 0, 26));
  a4.status = domain::AppointmentStatus::kClosed;
  d.appointments = {a4, a3, a2, a1};
  return d;
}

Schedule SampleSchedule() { return *Schedule::Build(SampleData()); }

}  // namespace rebook::exports::testing
