// Bulk insert of appointments into a fresh SQLite file, one transaction each:
//   BM_StoreInsert: SqliteStore::Write + Transaction::InsertAppointments (production path);
//   BM_RawInsert:   bench::RawInsertAppointments (the plain-SQLite baseline the gRPC
//                   streaming import is compared against).
// Both write the same rows to the same schema with WAL and synchronous=FULL; the timed part
// is the insert transaction including its commit (fsync), not opening the file.
//
//   build/release/bin/bench_storage_insert --benchmark_filter=rows:100000
// Files go to a fresh folder under $TEST_TMPDIR, $TMPDIR or /tmp (testing::MakeTempDir).
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench/storage_raw/raw_insert.h"
#include "benchmark/benchmark.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/files.h"

namespace rebook::storage {
namespace {

constexpr int kOffices = 12;
constexpr int kServices = 8;

// `n` appointments in booking-system order (ids and times ascending), or shuffled, which
// scatters the inserts over every index as an unsorted import does.
std::vector<domain::Appointment> MakeAppointments(int n, bool shuffled) {
  std::vector<domain::Appointment> all;
  all.reserve(n);
  const Instant start = Instant(std::chrono::seconds(1772438400));  // 2026-03-02T08:00Z
  for (int i = 0; i < n; ++i) {
    domain::Appointment a;
    a.id = "BK-" + std::to_string(1000000 + i);
    a.office_id = "office-" + std::to_string(i % kOffices);
    a.service_id = "service-" + std::to_string(i % kServices);
    a.original_start = start + std::chrono::minutes(15 * (i / kOffices % 2000));
    if (i % 3 == 0) a.deadline = a.original_start + std::chrono::hours(24 * 14);
    a.priority = 1 + i % 10;
    a.cases = 1 + i % 2;
    if (i % 4 == 0)
      a.allowed_offices = {a.office_id, "office-" + std::to_string((i + 1) % kOffices)};
    if (i % 10 == 0) a.unavailable = {{a.original_start, a.original_start + std::chrono::hours(4)}};
    a.contact = {.name = "Bürgerin Nummer " + std::to_string(i),
                 .phone = "+49 30 " + std::to_string(5550000 + i),
                 .email = "buerger" + std::to_string(i) + "@example.de",
                 .postal_address = "Musterstraße " + std::to_string(i % 200) + ", 10115 Berlin",
                 .language = "de",
                 .channel = i % 2 ? "email" : "sms"};
    a.create_time = start - std::chrono::hours(24 * 30);
    a.update_time = a.create_time;
    all.push_back(std::move(a));
  }
  if (shuffled) std::shuffle(all.begin(), all.end(), std::mt19937(42));
  return all;
}

// A fresh directory holding a store file with the offices and services the rows refer to.
class FreshStoreFile {
 public:
  FreshStoreFile() {
    dir_ = ::rebook::testing::MakeTempDir("rebook-bench");
    path_ = dir_ + "/rebook.db";
    auto store = SqliteStore::Open({.path = path_});
    if (!store.ok()) abort();
    store_ = *std::move(store);
    absl::Status s = store_->Write({}, [](Transaction& tx) -> absl::Status {
      for (int i = 0; i < kOffices; ++i) {
        REBOOK_RETURN_IF_ERROR(tx.PutOffice({.id = "office-" + std::to_string(i), .name = "O"}));
      }
      for (int i = 0; i < kServices; ++i) {
        REBOOK_RETURN_IF_ERROR(tx.PutService({.id = "service-" + std::to_string(i), .name = "S"}));
      }
      return absl::OkStatus();
    });
    if (!s.ok()) abort();
  }
  ~FreshStoreFile() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  SqliteStore& store() { return *store_; }
  const std::string& path() const { return path_; }
  void CloseStore() { store_.reset(); }

 private:
  std::string dir_;
  std::string path_;
  std::unique_ptr<SqliteStore> store_;
};

void BM_StoreInsert(benchmark::State& state) {
  const std::vector<domain::Appointment> rows =
      MakeAppointments(static_cast<int>(state.range(0)), state.range(1) != 0);
  for (auto _ : state) {
    state.PauseTiming();
    {
      FreshStoreFile file;
      state.ResumeTiming();
      absl::Status s =
          file.store().Write({}, [&](Transaction& tx) { return tx.InsertAppointments(rows); });
      state.PauseTiming();
      if (!s.ok()) state.SkipWithError(std::string(s.message()).c_str());
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_RawInsert(benchmark::State& state) {
  const std::vector<domain::Appointment> rows =
      MakeAppointments(static_cast<int>(state.range(0)), state.range(1) != 0);
  for (auto _ : state) {
    state.PauseTiming();
    {
      FreshStoreFile file;
      file.CloseStore();
      state.ResumeTiming();
      absl::Status s = bench::RawInsertAppointments(file.path(), rows);
      state.PauseTiming();
      if (!s.ok()) state.SkipWithError(std::string(s.message()).c_str());
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void InsertArgs(benchmark::internal::Benchmark* b) {
  b->ArgNames({"rows", "shuffled"})
      ->Args({10000, 0})
      ->Args({100000, 0})
      ->Args({100000, 1})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}
BENCHMARK(BM_StoreInsert)->Apply(InsertArgs);
BENCHMARK(BM_RawInsert)->Apply(InsertArgs);

}  // namespace
}  // namespace rebook::storage

BENCHMARK_MAIN();
