// Reading appointments.csv-style rows on their own, e.g. for a staff upload or the import of
// citizens who rebooked themselves. Columns and rules are those of appointments.csv in the
// scenario bundle spec; times are read in the zone of each row's original office.
#ifndef REBOOK_SERVICES_BUNDLE_APPOINTMENTS_CSV_H_
#define REBOOK_SERVICES_BUNDLE_APPOINTMENTS_CSV_H_

#include <filesystem>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "services/bundle/csv_reader.h"
#include "services/domain/model.h"

namespace rebook::bundle {

// Reads every row of `csv` (positioned after its header) and hands each appointment to `each`
// as soon as its row is read and checked, so that a caller can pass rows on while the file is
// still being read. Office and service ids must be among `offices` and `services`; ids must be
// unique. Stops at the first error, the file's ("file:line:col (column): ...") or an error
// `each` returns, and returns it; the rows handed over before it are the caller's to discard.
absl::Status ForEachAppointment(CsvReader& csv, const std::vector<domain::Office>& offices,
                                const std::vector<domain::Service>& services,
                                absl::FunctionRef<absl::Status(domain::Appointment&&)> each);

// Reads every row of `csv` (positioned after its header) as ForEachAppointment does.
// All-or-nothing: the first error is returned.
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
