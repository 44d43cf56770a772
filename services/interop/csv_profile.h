// CSV profiles: importing another booking system's CSV export without a code change.
//
// A profile is a small INI file that says where each appointment field is in the export, how its
// dates and times are written, which separator and encoding the file uses, and how the export's
// service and office names map to rebook's ids (docs/importing.md explains every key):
//
//   [file]
//   name = Termine.csv          ; the export inside the folder
//   encoding = windows-1252     ; utf-8 (a byte order mark is dropped) or any iconv name
//   separator = ;               ; one character, or "tab"
//   date_format = %d.%m.%Y      ; date::parse formats
//   time_format = %H:%M
//   time_zone = Europe/Berlin
//   [columns]                   ; field = column header in the export
//   appointment_id = Vorgangsnummer
//   date = Datum
//   time = Uhrzeit
//   service_id = Dienstleistung
//   [services]                  ; value in the export = service id in rebook
//   Personalausweis beantragen = id-card
//   [defaults]                  ; field = value for rows (or exports) without it
//   office_id = mitte
//
// The result holds appointments only: offices, services and staff are rebook's own capacity,
// already on the server (or imported from a bundle). Reading is all-or-nothing; errors name the
// profile's line ("halle.ini:7: unknown field \"datum\"") or the export's record and column
// ("Termine.csv:5:3 (Uhrzeit): \"25:00\" does not match %H:%M").
#ifndef REBOOK_SERVICES_INTEROP_CSV_PROFILE_H_
#define REBOOK_SERVICES_INTEROP_CSV_PROFILE_H_

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/domain/model.h"

namespace rebook::interop {

struct CsvProfile {
  std::string file = "appointments.csv";
  std::string encoding = "utf-8";
  char separator = ',';
  std::string date_format = "%Y-%m-%d";
  std::string time_format = "%H:%M";
  std::string datetime_format = "%Y-%m-%dT%H:%M";  // for a `datetime` column
  std::string time_zone = "Europe/Berlin";
  std::map<std::string, std::string> columns;   // field -> column header
  std::map<std::string, std::string> services;  // export value -> service id
  std::map<std::string, std::string> offices;   // export value -> office id
  std::map<std::string, std::string> defaults;  // field -> value
};

// The fields a profile may map (columns and defaults): appointment_id, office_id, service_id,
// date, time, datetime, cases, priority, kind, citizen_name, phone, email, postal_address,
// language, channel. appointment_id, service_id (column or default), office_id (column or
// default) and either date + time or datetime are required.
absl::StatusOr<CsvProfile> ParseCsvProfile(std::string_view text, std::string_view name);
absl::StatusOr<CsvProfile> ReadCsvProfile(const std::filesystem::path& path);

// `bytes` in `encoding` -> UTF-8 (iconv). UTF-8 input loses a leading byte order mark and must
// be valid. InvalidArgument "file: byte N is not valid <encoding>".
absl::StatusOr<std::string> ToUtf8(std::string_view bytes, std::string_view encoding,
                                   std::string_view file);

// Reads `dir`/<profile.file> into a scenario with appointments only.
absl::StatusOr<domain::Scenario> ReadCsvWithProfile(const CsvProfile& profile,
                                                    const std::filesystem::path& dir);
// The same from the export's bytes (tests).
absl::StatusOr<domain::Scenario> ParseCsvWithProfile(const CsvProfile& profile,
                                                     std::string_view bytes);

}  // namespace rebook::interop

#endif  // REBOOK_SERVICES_INTEROP_CSV_PROFILE_H_
