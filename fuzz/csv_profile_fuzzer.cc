// Fuzzes interop::ParseCsvProfile and interop::ParseCsvWithProfile (`rebookctl import
// --from profile:FILE DIR`): the input is the profile's INI text, a line "%%", and the export's
// bytes. Invariant: a read that succeeds gives appointments whose texts are UTF-8 (whatever the
// export's encoding) with ids, offices and services set (fuzz/interop_check.h); errors are
// clean statuses that name the profile or the export.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/interop_check.h"
#include "services/interop/csv_profile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string_view> parts =
      rebook::fuzz::SplitAtLines(rebook::fuzz::AsText(data, size), "%%", 2);
  if (parts.size() != 2) return 0;
  absl::StatusOr<rebook::interop::CsvProfile> profile =
      rebook::interop::ParseCsvProfile(parts[0], "fuzz.ini");
  if (!profile.ok()) {
    REBOOK_FUZZ_CHECK(absl::StrContains(profile.status().message(), "fuzz.ini"),
                      std::string(profile.status().message()));
    return 0;
  }
  absl::StatusOr<rebook::domain::Scenario> read =
      rebook::interop::ParseCsvWithProfile(*profile, parts[1]);
  if (!read.ok()) {
    REBOOK_FUZZ_CHECK(!read.status().message().empty(), "an error without a message");
    return 0;
  }
  rebook::fuzz::CheckAppointments(*read);
  return 0;
}
