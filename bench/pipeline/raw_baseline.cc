// The raw SQLite baselines of bench/pipeline: the same rows a pipeline stage wrote, inserted
// with bench/storage_raw into a fresh file, timed in the same run (run.sh calls it).
//
//   bench_pipeline_raw import BUNDLE_DIR OUT_DB
//       the bundle's appointments, as RawInsertAppointments (offices and services untimed)
//   bench_pipeline_raw copy SOURCE_DB OUT_DB TABLE...
//       every row of TABLE... of SOURCE_DB (read untimed), as RawInsertRows
//
// Prints one line "rows=<n> seconds=<s>" on success; exit code 1 and a message otherwise.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/storage_raw/raw_insert.h"
#include "services/bundle/scenario_bundle.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/sqlite_store.h"

namespace rebook::bench {
namespace {

using Clock = std::chrono::steady_clock;

int Report(const absl::Status& status, std::size_t rows, Clock::time_point start) {
  if (!status.ok()) {
    std::fprintf(stderr, "bench_pipeline_raw: %s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("rows=%zu seconds=%.3f\n", rows,
              std::chrono::duration<double>(Clock::now() - start).count());
  return 0;
}

int Import(const std::string& bundle_dir, const std::string& out) {
  absl::StatusOr<domain::Scenario> scenario = bundle::ReadScenarioBundle(bundle_dir);
  if (!scenario.ok()) return Report(scenario.status(), 0, Clock::now());
  {
    auto store = storage::SqliteStore::Open({.path = out});
    if (!store.ok()) return Report(store.status(), 0, Clock::now());
    absl::Status s = (*store)->Write({}, [&](storage::Transaction& tx) -> absl::Status {
      for (const domain::Office& o : scenario->offices) REBOOK_RETURN_IF_ERROR(tx.PutOffice(o));
      for (const domain::Service& v : scenario->services) REBOOK_RETURN_IF_ERROR(tx.PutService(v));
      return absl::OkStatus();
    });
    if (!s.ok()) return Report(s, 0, Clock::now());
  }
  const Clock::time_point start = Clock::now();
  absl::Status s = RawInsertAppointments(out, scenario->appointments);
  return Report(s, scenario->appointments.size(), start);
}

int Copy(const std::string& source, const std::string& out, std::vector<std::string> tables) {
  absl::StatusOr<std::vector<RawTable>> rows = RawReadTables(source, tables);
  if (!rows.ok()) return Report(rows.status(), 0, Clock::now());
  std::size_t n = 0;
  for (const RawTable& t : *rows) n += t.rows.size();
  const Clock::time_point start = Clock::now();
  return Report(RawInsertRows(out, *rows), n, start);
}

}  // namespace
}  // namespace rebook::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "import") return rebook::bench::Import(args[1], args[2]);
  if (args.size() >= 4 && args[0] == "copy") {
    return rebook::bench::Copy(args[1], args[2], {args.begin() + 3, args.end()});
  }
  std::fprintf(stderr,
               "usage: bench_pipeline_raw import BUNDLE_DIR OUT_DB\n"
               "       bench_pipeline_raw copy SOURCE_DB OUT_DB TABLE...\n");
  return 2;
}
