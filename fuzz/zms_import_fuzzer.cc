// Fuzzes interop::ReadZmsTexts (`rebookctl import --from zms DIR`): a ZMS export's three JSON
// files, separated in the input by lines "%%": scopes.json, availabilities.json, processes.json.
// The outage day is fixed (4 March 2026, the day of the seeds), the horizon short, so that one
// input stays fast. Invariant: a read that succeeds gives a scenario whose texts are UTF-8 and
// whose references resolve (fuzz/interop_check.h); a failure is a clean status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/interop_check.h"
#include "services/interop/zms_import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string_view> parts =
      rebook::fuzz::SplitAtLines(rebook::fuzz::AsText(data, size), "%%", 3);
  if (parts.size() != 3) return 0;
  rebook::interop::ZmsImportOptions options;
  options.days = {date::year{2026} / 3 / 4};
  options.horizon_days = 7;
  absl::StatusOr<rebook::interop::ZmsImport> read =
      rebook::interop::ReadZmsTexts(parts[0], parts[1], parts[2], options);
  if (!read.ok()) {
    REBOOK_FUZZ_CHECK(!read.status().message().empty(), "an error without a message");
    return 0;
  }
  rebook::fuzz::CheckCapacity(read->scenario);
  rebook::fuzz::CheckAppointments(read->scenario);
  for (const std::string& note : read->notes) rebook::fuzz::CheckText(note, "note");
  return 0;
}
