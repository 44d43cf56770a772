// Fuzzes bundle::ReadScenarioBundle (rebook-solve, rebook-check, `rebookctl import`) and
// bundle::ReadPlanCsv. The input holds the bundle's files in a fixed order, separated by lines
// "%%": params.csv, offices.csv, services.csv, staff.csv, shifts.csv, closures.csv,
// bookings.csv, appointments.csv, plan.csv; a file left out is absent. They are written to a
// scratch folder (in /dev/shm when there is one) and read as a bundle. Invariant: a bundle
// that reads is written back by WriteScenarioBundle and reads again with the same content.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "services/bundle/plan_io.h"
#include "services/bundle/scenario_bundle.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kFiles[] = {"params.csv",   "offices.csv",      "services.csv",
                                  "staff.csv",    "shifts.csv",       "closures.csv",
                                  "bookings.csv", "appointments.csv", "plan.csv"};

const fs::path& ScratchDir() {
  static const fs::path dir = [] {
    std::error_code ec;
    fs::path base =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    fs::path d = base / ("rebook-bundle-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(d / "in");
    fs::create_directories(d / "out");
    return d;
  }();
  return dir;
}

void WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// Same sizes and ids: the written bundle reads back as what was read.
void CheckSame(const rebook::domain::Scenario& a, const rebook::domain::Scenario& b) {
  REBOOK_FUZZ_CHECK(a.offices.size() == b.offices.size(), "offices");
  REBOOK_FUZZ_CHECK(a.services.size() == b.services.size(), "services");
  REBOOK_FUZZ_CHECK(a.clerks.size() == b.clerks.size(), "clerks");
  REBOOK_FUZZ_CHECK(a.shifts.size() == b.shifts.size(), "shifts");
  REBOOK_FUZZ_CHECK(a.closures.size() == b.closures.size(), "closures");
  REBOOK_FUZZ_CHECK(a.bookings.size() == b.bookings.size(), "bookings");
  REBOOK_FUZZ_CHECK(a.appointments.size() == b.appointments.size(), "appointments");
  for (std::size_t i = 0; i < a.appointments.size(); ++i) {
    const auto& x = a.appointments[i];
    const auto& y = b.appointments[i];
    REBOOK_FUZZ_CHECK(x.id == y.id && x.office_id == y.office_id && x.service_id == y.service_id,
                      x.id);
    REBOOK_FUZZ_CHECK(x.original_start == y.original_start, x.id);
    REBOOK_FUZZ_CHECK(x.contact == y.contact, x.id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path in = ScratchDir() / "in";
  const std::vector<std::string_view> parts =
      rebook::fuzz::SplitAtLines(rebook::fuzz::AsText(data, size), "%%", std::size(kFiles));
  for (std::size_t i = 0; i < std::size(kFiles); ++i) {
    std::error_code ec;
    if (i < parts.size()) {
      WriteFile(in / kFiles[i], parts[i]);
    } else {
      fs::remove(in / kFiles[i], ec);
    }
  }
  absl::StatusOr<rebook::domain::Scenario> scenario = rebook::bundle::ReadScenarioBundle(in);
  if (!scenario.ok()) return 0;
  if (parts.size() == std::size(kFiles)) {
    rebook::bundle::ReadPlanCsv(in / "plan.csv", *scenario).status().IgnoreError();
  }
  const fs::path out = ScratchDir() / "out";
  absl::Status written = rebook::bundle::WriteScenarioBundle(*scenario, out);
  REBOOK_FUZZ_CHECK(written.ok(), written.ToString());
  absl::StatusOr<rebook::domain::Scenario> again = rebook::bundle::ReadScenarioBundle(out);
  REBOOK_FUZZ_CHECK(again.ok(), again.status().ToString());
  CheckSame(*scenario, *again);
  return 0;
}
