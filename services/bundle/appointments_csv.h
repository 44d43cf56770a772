// Reading appointments.csv-style rows on their own, e.g. for a staff upload or the import of
// citizens who rebooked themselves. Columns and rules are those of appointments.csv in the
// scenario bundle spec; times are read in the zone of each row's original office.
#ifndef REBOOK_SERVICES_BUNDLE_APPOINTMENTS_CSV_H_
#define REBOOK_SERVICES_BUNDLE_APPOINTMENTS_CSV_H_

#include <filesystem>
#include <vector>

#include "absl/status/statusor.h"
#include "services/bundle/csv_reader.h"
#include "services/domain/model.h"

namespace rebook::bundle {

// Reads every row of `csv` (positioned after its header). Office and service ids must be among
// `offices` and `services`; ids must be unique. All-or-nothing: the first error is returned.
absl::StatusOr<std::vector<domain::Appointment>> ReadAppointments(
    CsvReader& csv, const std::vector<domain::Office>& offices,
    const std::vector<domain::Service>& services);

// Opens `path` (named by its file name in messages) and reads it with ReadAppointments.
absl::StatusOr<std::vector<domain::Appointment>> ReadAppointmentsCsv(
    const std::filesystem::path& path, const std::vector<domain::Office>& offices,
    const std::vector<domain::Service>& services);

// The appointments.csv columns, in the order WriteScenarioBundle writes them.
const std::vector<std::string>& AppointmentColumns();
// One appointments.csv row for `a`, in the order of AppointmentColumns(); `tz` is the zone of
// its original office.
std::vector<std::string> AppointmentRow(const domain::Appointment& a, std::string_view tz);

}  // namespace rebook::bundle

#endif  // REBOOK_SERVICES_BUNDLE_APPOINTMENTS_CSV_H_
