// rebookctl import BUNDLE: loads a scenario bundle's capacity and appointments into rebookd;
// with --from zms|profile:FILE, another booking system's export (foreign_import.h).
#include <iostream>
#include <regex>

#include "absl/strings/str_cat.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "services/api/status_conversion.h"
#include "services/bundle/scenario_bundle.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/appointment_feed.h"
#include "tools/rebookctl/bundle_import.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/foreign_import.h"
#include "tools/rebookctl/operation_watch.h"
#include "tools/rebookctl/progress_bar.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

struct ImportFlags {
  std::string dir;
  std::string request_id;
  bool validate_only = false;
  int batch = 1000;
  ForeignImportFlags foreign;
};

// A violation of a foreign export's import, placed at the record it came from: the server names
// "appointments[3].contact.email"; the export's id of that record says where to look.
std::string LocateForeign(const FieldViolation& v, AppointmentFeed& appointments) {
  static const std::regex kAppointment(R"(^appointments\[(\d+)\]\.?(.*)$)");
  std::smatch m;
  if (std::regex_match(v.field, m, kAppointment)) {
    std::size_t i = std::stoul(m[1].str());
    if (i < appointments.size()) {
      return absl::StrCat("appointment ", appointments.at(i).name(), " (", m[2].str(),
                          "): ", v.description);
    }
  }
  return absl::StrCat(v.field, ": ", v.description);
}

// Prints a failed import with every violation placed at its bundle row and column.
int ReportImportError(const grpc::Status& status, const ImportFlags& flags,
                      const BundleImport& import, AppointmentFeed& appointments) {
  absl::Status s = api::FromGrpcStatus(status);
  std::vector<FieldViolation> violations = FieldViolations::FromStatus(s);
  if (violations.empty()) return ReportError(status);
  std::cerr << "error: " << absl::StatusCodeToString(s.code()) << ": the server rejected the "
            << "bundle; nothing was imported\n";
  for (const FieldViolation& v : violations) {
    std::cerr << "  "
              << (flags.foreign.from.empty() ? LocateViolation(flags.dir, v, import)
                                             : LocateForeign(v, appointments))
              << "\n";
  }
  return cli::ExitCodeFor(s.code());
}

std::int64_t CapacityRecords(const BundleImport& import) {
  const v1::ImportCapacityRequest& c = import.capacity;
  return c.offices_size() + c.service_types_size() + c.clerks_size() + c.shifts_size() +
         c.closures_size() + c.standing_bookings_size();
}

// Streams the bundle in messages of at most `batch` records: capacity first, then the
// appointments, each chunk as soon as `appointments` has read it. The server stores all of it
// in one transaction, or nothing. If reading appointments.csv fails, the call is cancelled
// (rebookd stores an import only after a clean end of its stream) and CANCELLED returned; the
// feed's status holds the reading's error.
grpc::Status SendBundle(const Client& client, const BundleImport& import,
                        AppointmentFeed& appointments, const ImportFlags& f,
                        v1::ImportBundleResponse* resp) {
  auto stub = v1::AppointmentService::NewStub(client.channel());
  const v1::ImportCapacityRequest& all = import.capacity;
  int most = std::max({all.offices_size(), all.service_types_size(), all.clerks_size(),
                       all.shifts_size(), all.closures_size(), all.standing_bookings_size()});
  const auto expected = static_cast<std::int64_t>(appointments.expected());
  auto ctx = client.Context(SizedTimeout(expected + CapacityRecords(import), 1000));
  auto writer = stub->ImportBundle(ctx.get(), resp);
  ProgressBar bar("records", most + expected);
  bool first = true;
  auto send = [&](v1::ImportBundleRequest& msg) {
    if (first) {
      msg.set_request_id(f.request_id);
      msg.set_validate_only(f.validate_only);
      first = false;
    }
    return writer->Write(msg);
  };
  bool open = true;
  // Each message is a copy of `batch` records, built on an arena of its own: freeing its
  // thousands of small fields one by one made glibc's malloc_consolidate about 45 % of
  // rebookctl's CPU in a region import (perf); an arena frees a few large blocks.
  for (int start = 0; open && start < most; start += f.batch) {
    google::protobuf::Arena arena;
    auto& msg = *google::protobuf::Arena::CreateMessage<v1::ImportBundleRequest>(&arena);
    v1::ImportCapacityRequest* cap = msg.mutable_capacity();
    auto copy = [&](const auto& from, auto* to) {
      for (int i = start; i < std::min(from.size(), start + f.batch); ++i) *to->Add() = from.Get(i);
    };
    copy(all.offices(), cap->mutable_offices());
    copy(all.service_types(), cap->mutable_service_types());
    copy(all.clerks(), cap->mutable_clerks());
    copy(all.shifts(), cap->mutable_shifts());
    copy(all.closures(), cap->mutable_closures());
    copy(all.standing_bookings(), cap->mutable_standing_bookings());
    open = send(msg);
    bar.Update(std::min(most, start + f.batch));
  }
  std::int64_t sent = 0;
  for (std::size_t i = 0; open; ++i) {
    const AppointmentFeed::Records* chunk = appointments.Chunk(i);
    if (chunk == nullptr) break;
    google::protobuf::Arena arena;
    auto& msg = *google::protobuf::Arena::CreateMessage<v1::ImportBundleRequest>(&arena);
    auto* out = msg.mutable_appointments()->mutable_appointments();
    out->Reserve(static_cast<int>(chunk->size()));
    for (const v1::Appointment& a : *chunk) *out->Add() = a;
    open = send(msg);
    sent += std::ssize(*chunk);
    bar.Update(most + std::min(sent, expected));
  }
  if (open && !appointments.status().ok()) {
    // Half of a file must not be stored: the server sees a broken-off stream and rolls back.
    ctx->TryCancel();
    writer->Finish().IgnoreError();
    bar.Finish("bundle not sent");
    return grpc::Status(grpc::StatusCode::CANCELLED, "appointments.csv could not be read");
  }
  if (first) {
    v1::ImportBundleRequest empty;
    send(empty);
  }
  writer->WritesDone();
  grpc::Status s;
  {
    OperationWatch watch(client, f.request_id, "import");  // the server's part, after sending
    s = writer->Finish();
  }
  bar.Finish(s.ok() ? (f.validate_only ? "bundle checked" : "bundle stored") : "bundle rejected");
  return s;
}

}  // namespace

void AddImportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "import", "Import a scenario bundle folder (capacity and appointments) all or nothing");
  cmd->add_option("bundle", flags->dir,
                  "folder with offices.csv, services.csv, ... (or the export --from names)")
      ->required();
  cmd->add_option("--from", flags->foreign.from,
                  "the folder is another system's export: zms (scopes.json, availabilities.json, "
                  "processes.json) or profile:FILE (a CSV export, FILE maps it; "
                  "docs/importing.md)")
      ->check([](const std::string& v) { return std::string(CheckFrom(v).message()); });
  cmd->add_option("--day", flags->foreign.days,
                  "zms: an outage day YYYY-MM-DD whose processes become appointments "
                  "(repeatable; default: the earliest process's day)");
  cmd->add_option("--horizon-days", flags->foreign.horizon_days,
                  "zms: days of shifts and standing bookings from the first outage day")
      ->capture_default_str()
      ->check(CLI::Range(1, 366));
  cmd->add_option("--time-zone", flags->foreign.time_zone, "zms: IANA zone of new offices")
      ->capture_default_str();
  cmd->add_option("--state", flags->foreign.state, "zms: ISO 3166-2 state of new offices")
      ->capture_default_str();
  cmd->add_option("--request-id", flags->request_id,
                  "idempotency key; repeat it to retry safely (default: random)");
  cmd->add_flag("--validate-only", flags->validate_only, "check everything, store nothing");
  cmd->add_option("--batch", flags->batch, "records per streamed message")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->callback([=, &global] {
    if (flags->request_id.empty()) flags->request_id = NewRequestId();
    // A bundle's capacity is read before connecting (its errors need no server), its
    // appointments while they are sent; a ZMS export needs the offices' current capacity first.
    const bool foreign = !flags->foreign.from.empty();
    absl::StatusOr<domain::Scenario> scenario =
        foreign ? absl::StatusOr<domain::Scenario>(domain::Scenario())
                : bundle::ReadScenarioCapacity(flags->dir);
    auto client =
        scenario.ok() ? Client::Connect(global) : absl::StatusOr<Client>(scenario.status());
    if (scenario.ok() && !client.ok()) return void(*exit_code = ReportError(client.status()));
    if (foreign) scenario = ReadForeignExport(*client, flags->foreign, flags->dir, std::cerr);
    auto not_read = [&](const absl::Status& status) {
      std::cerr << "error: " << status.message() << "\nnothing was imported\n";
      *exit_code = cli::ExitCodeFor(status.code());
    };
    if (!scenario.ok()) return not_read(scenario.status());
    BundleImport import = ToImport(*scenario);
    for (const std::string& w : import.warnings) std::cerr << "warning: " << w << "\n";
    std::unique_ptr<AppointmentFeed> appointments =
        foreign ? AppointmentFeed::FromRecords(std::move(import.appointments), flags->batch)
                : AppointmentFeed::ReadCsv(std::filesystem::path(flags->dir) / "appointments.csv",
                                           *scenario, flags->batch);

    v1::ImportBundleResponse resp;
    grpc::Status s = SendBundle(*client, import, *appointments, *flags, &resp);
    if (!appointments->status().ok()) return not_read(appointments->status());
    if (s.error_code() == grpc::StatusCode::UNAVAILABLE) {
      // The same request id again: rebookd imports it once and answers a repeat from its record.
      std::cerr << "note: rebookd did not answer (" << s.error_message() << ")\n";
      AwaitFirstAttempt(*client, flags->request_id, std::chrono::seconds(global.timeout_s));
      std::cerr << "note: sending the bundle again (request " << flags->request_id << ")\n";
      s = SendBundle(*client, import, *appointments, *flags, &resp);
      if (s.error_code() == grpc::StatusCode::UNAVAILABLE) NoteUnanswered(flags->request_id);
    }
    if (!s.ok()) return void(*exit_code = ReportImportError(s, *flags, import, *appointments));
    const v1::ImportCapacityResponse& capacity = resp.capacity();
    const v1::ImportAppointmentsResponse& appts = resp.appointments();
    if (global.json) return PrintJson(resp);
    std::cout << (flags->validate_only ? "Checked (nothing stored): " : "Imported: ") << "capacity "
              << capacity.created_count() << " created, " << capacity.updated_count()
              << " updated, " << capacity.unchanged_count() << " unchanged; appointments "
              << appts.received_count() << " received, " << appts.created_count() << " created, "
              << appts.unchanged_count() << " unchanged, " << appts.cancelled_count()
              << " cancelled by an active outage\n";
  });
}

}  // namespace rebook::ctl
