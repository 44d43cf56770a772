// Streamed import of appointments through gRPC into SQLite, against a raw SQLite bulk insert of
// the same rows into the same schema, measured in the same run.
//
//   build/release/bin/bench_import                      # 100,000 appointments
//   build/release/bin/bench_import --benchmark_repetitions=3
//
// Both start from a fresh database file with the offices and services in place. The gRPC side
// runs a real RebookServer (testing::LocalRebookd) on 127.0.0.1 with a client in the same
// process (so both share the machine's cores); its messages are built before timing, as the raw
// side's rows are.
#include <iostream>
#include <optional>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/storage_raw/raw_insert.h"
#include "benchmark/benchmark.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "services/api/convert.h"
#include "services/api/server.h"
#include "services/common/log.h"
#include "testing/rebookd/local_rebookd.h"
#include "testing/store/temp_store.h"

namespace rebook {
namespace {

namespace v1 = ::rebook::v1;

constexpr int kOffices = 20;
constexpr int kBatch = 1000;
const Instant kStart{std::chrono::seconds(1769511000)};

std::vector<domain::Appointment> MakeAppointments(int n) {
  std::mt19937 rng(7);
  std::vector<domain::Appointment> out(n);
  for (int i = 0; i < n; ++i) {
    domain::Appointment& a = out[i];
    a.id = absl::StrCat("bench-", i);
    a.office_id = absl::StrCat("office-", i % kOffices);
    a.service_id = i % 3 ? "kfz" : "aufenthalt";
    a.original_start = kStart + std::chrono::minutes(rng() % 280);
    if (i % 4 == 0) a.deadline = kStart + std::chrono::hours(24 * (3 + rng() % 20));
    a.priority = 1 + static_cast<int>(rng() % 5);
    a.cases = i % 50 == 0 ? 5 : 1;
    a.contact = {absl::StrCat("Bürgerin ", i),
                 "+49 345 1234567",
                 absl::StrCat("person", i, "@example.org"),
                 "Marktplatz 1\n06108 Halle (Saale)",
                 "de",
                 "email"};
  }
  return out;
}

// The offices and services the appointments refer to.
absl::Status Seed(storage::Store& store) {
  return store.Write({}, [](storage::Transaction& tx) -> absl::Status {
    for (int i = 0; i < kOffices; ++i) {
      domain::Office o;
      o.id = absl::StrCat("office-", i);
      o.name = o.id;
      o.state = "DE-ST";
      if (auto st = tx.PutOffice(o); !st.ok()) return st;
    }
    for (const char* id : {"kfz", "aufenthalt"}) {
      if (auto st = tx.PutService({id, id, domain::ServiceCategory::kOther, 15}); !st.ok())
        return st;
    }
    return absl::OkStatus();
  });
}

void BM_RawSqliteInsert(benchmark::State& state) {
  auto appointments = MakeAppointments(static_cast<int>(state.range(0)));
  // Outside the loop, so that the previous run's folder is removed while the timer is paused.
  std::optional<testing::TempStore> db;
  for (auto _ : state) {
    state.PauseTiming();
    db.emplace("rebook-bench-raw");
    if (!db->status().ok() || !Seed(db->store()).ok()) std::abort();
    db->Close();
    state.ResumeTiming();
    if (!bench::RawInsertAppointments(db->db_path(), appointments).ok()) {
      state.SkipWithError("raw insert failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_GrpcStreamedImport(benchmark::State& state) {
  auto appointments = MakeAppointments(static_cast<int>(state.range(0)));
  std::vector<v1::ImportAppointmentsRequest> messages;
  for (std::size_t i = 0; i < appointments.size(); i += kBatch) {
    v1::ImportAppointmentsRequest& msg = messages.emplace_back();
    for (std::size_t j = i; j < std::min(appointments.size(), i + kBatch); ++j) {
      api::ToProto(
          appointments[j], [](const std::string&) { return std::string("Europe/Berlin"); },
          msg.add_appointments());
    }
  }
  RandomIdGenerator ids(1);
  for (auto _ : state) {
    state.PauseTiming();
    api::ServerOptions options;
    options.max_receive_message_bytes = 64 << 20;
    auto server = testing::LocalRebookd::Start({.server = options,
                                                .principals = {{"bench", "admin", "*"}},
                                                .clock = &SystemClock::Instance(),
                                                .ids = &ids,
                                                .seed = Seed,
                                                .folder_prefix = "rebook-bench-grpc"});
    if (!server.ok()) std::abort();
    auto stub = v1::AppointmentService::NewStub((*server)->channel());
    std::unique_ptr<grpc::ClientContext> ctx = (*server)->Context("bench");
    ctx->set_deadline(std::chrono::system_clock::time_point::max());
    state.ResumeTiming();
    v1::ImportAppointmentsResponse resp;
    auto writer = stub->ImportAppointments(ctx.get(), &resp);
    for (const auto& msg : messages) writer->Write(msg);
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    state.PauseTiming();
    if (!s.ok() || resp.created_count() != state.range(0)) state.SkipWithError("import failed");
    (*server)->server().Shutdown();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_RawSqliteInsert)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GrpcStreamedImport)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Prints each benchmark as usual and, at the end, the two rates and their ratio.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration && r.aggregate_name != "mean") continue;
      auto it = r.counters.find("items_per_second");
      if (it == r.counters.end()) continue;
      (r.benchmark_name().find("Raw") != std::string::npos ? raw_ : grpc_) = it->second.value;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    if (raw_ > 0 && grpc_ > 0) {
      std::cout << absl::StrFormat(
          "\nraw SQLite insert: %.0f appointments/s\ngRPC streamed import: %.0f appointments/s\n"
          "ratio gRPC/raw: %.2f (target >= 0.5; target rate >= 50000/s)\n",
          raw_, grpc_, grpc_ / raw_);
    }
  }

 private:
  double raw_ = 0, grpc_ = 0;
};

}  // namespace
}  // namespace rebook

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  rebook::SetMinLogLevel(rebook::LogLevel::kWarning);
  rebook::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
