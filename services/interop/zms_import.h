// Reading a ZMS export (it-at-m/eappointment, the booking system of Berlin and Munich) into a
// rebook scenario: the `rebookctl import --from zms DIR` path.
//
// DIR holds three files, each as ZMS's API returns it: a bare JSON array, or the envelope
// {"meta": {...}, "data": [...]}:
//   scopes.json          the scopes (locations)            -> offices
//   availabilities.json  opening times with workstations   -> clerks and shifts
//   processes.json       the booked processes              -> appointments (on the outage days)
//                                                              and standing bookings (later days)
// Mapping (docs/importing.md has the full table):
//  - scope id -> office id (the digits, e.g. "141"); name and address from contact/provider.
//  - availability (type "appointment") -> one shift per workstation (workstationCount.intern,
//    else .public) on every day of the horizon it applies to (startDate..endDate, weekday flags,
//    repeat.afterWeeks), from startTime to endTime in the office's zone.
//  - process id -> appointment id; appointments[0].date -> original start; its scope -> office;
//    requests[0].id -> service type (duration = slotTimeInMinutes x timeSlotCount);
//    cases = slotCount / timeSlotCount (rounded up); clients[0] -> contact (familyName, email,
//    telephone, and `language` when the export carries one).
// Reading is lenient where ZMS is (numbers as strings, "08:00:00" times, weekday bits such as
// "8", scopes given as a bare {"id": ...}) and strict everywhere else: the first error is
// returned as InvalidArgument "file: $.json.path: message", and nothing partial is returned.
//
// What ZMS does not hold comes from `existing` (the offices' current capacity) or from defaults,
// and every default used is listed in ZmsImport::notes for the caller to print.
#ifndef REBOOK_SERVICES_INTEROP_ZMS_IMPORT_H_
#define REBOOK_SERVICES_INTEROP_ZMS_IMPORT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::interop {

struct ZmsImportOptions {
  // The outage days (local dates): their processes become appointments. Empty: the days of the
  // earliest process (one day).
  std::vector<domain::LocalDate> days;
  // Days of shifts and standing bookings, from the first outage day on. Default 14.
  int horizon_days = 14;
  // For offices not in `existing` (ZMS holds neither): IANA zone and ISO 3166-2 state.
  std::string time_zone = "Europe/Berlin";
  std::string state = "DE-BE";
  // Contact language of clients whose process carries none.
  std::string language = "de";
  // Current capacity (offices, services, clerks); may be empty. Clerks whose home office is a
  // scope's office staff its workstations, in id order, with their names and skills.
  domain::Scenario existing;
};

struct ZmsImport {
  domain::Scenario scenario;
  std::vector<std::string> notes;  // defaults used and records skipped, one line each
};

// Reads DIR/scopes.json, DIR/availabilities.json and DIR/processes.json.
absl::StatusOr<ZmsImport> ReadZmsFolder(const std::filesystem::path& dir,
                                        const ZmsImportOptions& options);

// The same from the three texts (file names in messages stay "scopes.json" etc.).
absl::StatusOr<ZmsImport> ReadZmsTexts(std::string_view scopes, std::string_view availabilities,
                                       std::string_view processes, const ZmsImportOptions& options);

}  // namespace rebook::interop

#endif  // REBOOK_SERVICES_INTEROP_ZMS_IMPORT_H_
