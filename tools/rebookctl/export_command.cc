// rebookctl export OUTAGE --format csv|ics|pdf|blocks --out PATH
//
// Reads the outage's appointments (with their rebooked and held slots) and the capacity names
// through the API, converts them to domain values and hands them to services/export. A format
// is one entry of ExportFormats(); the ZMS writer joins there.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/export/day_list_pdf.h"
#include "services/export/ics_calendar.h"
#include "services/export/schedule_csv.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/zms_export.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;
namespace fs = std::filesystem;

struct ExportOptions {
  std::string outage, format, out, per = "office", uid_domain = "rebook.invalid";
};

// A written export: what to tell the user.
struct Written {
  std::vector<std::string> paths;
  std::string what;
};

using ExportWriter =
    std::function<absl::StatusOr<Written>(const exports::Schedule&, const ExportOptions&)>;

absl::Status Failed(const grpc::Status& s) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

// The slot fields of an appointment (the API's conversion reads the booking data only).
domain::ScheduledSlot SlotFromProto(const v1::AppointmentSlot& in, const std::string& field,
                                    FieldViolations& v) {
  domain::ScheduledSlot slot;
  if (auto office = api::ParseOfficeName(in.office(), field + ".office"); office.ok()) {
    slot.office_id = *office;
  } else {
    v.Add(field + ".office", std::string(office.status().message()));
  }
  if (auto clerk = api::ParseClerkName(in.clerk(), field + ".clerk"); clerk.ok()) {
    slot.clerk_id = *clerk;
  } else {
    v.Add(field + ".clerk", std::string(clerk.status().message()));
  }
  slot.time = api::FromIntervalProto(in.interval(), field + ".interval", v);
  return slot;
}

void AddSlots(const v1::Appointment& in, const std::string& field, domain::Appointment& a,
              FieldViolations& v) {
  if (in.has_rebooked_slot()) {
    domain::RebookedSlot r;
    r.slot = SlotFromProto(in.rebooked_slot(), field + ".rebooked_slot", v);
    r.confirmed_via =
        in.rebooked_slot().confirmed_via() == v1::PHONE   ? domain::ConfirmationChannel::kPhone
        : in.rebooked_slot().confirmed_via() == v1::STAFF ? domain::ConfirmationChannel::kStaff
                                                          : domain::ConfirmationChannel::kLink;
    r.confirm_time = api::FromTimestamp(in.rebooked_slot().confirm_time());
    a.rebooked_slot = r;
  }
  if (in.has_held_slot()) a.held_slot = SlotFromProto(in.held_slot(), field + ".held_slot", v);
}

template <typename Req, typename Resp, typename Call, typename Items>
absl::Status ListEverything(Req req, Call call, Items items, Resp* all) {
  grpc::Status s = ListAll(std::move(req), kNoLimit, call, items, all);
  return s.ok() ? absl::OkStatus() : Failed(s);
}

// Everything the exports of `outage_id` read, from the server.
absl::StatusOr<exports::ExportData> Fetch(const Client& client, const std::string& outage_id) {
  exports::ExportData data;
  data.outage_id = outage_id;
  auto outages = v1::OutageService::NewStub(client.channel());
  v1::GetOutageRequest get;
  get.set_name(api::OutageName(outage_id));
  v1::Outage outage;
  if (grpc::Status s = outages->GetOutage(client.Context().get(), get, &outage); !s.ok()) {
    return Failed(s);
  }
  auto capacity = v1::CapacityService::NewStub(client.channel());
  FieldViolations v;
  v1::ListOfficesResponse offices;
  REBOOK_RETURN_IF_ERROR(ListEverything(
      v1::ListOfficesRequest(),
      [&](const auto& r, auto* page) {
        return capacity->ListOffices(client.Context().get(), r, page);
      },
      [](auto* resp) { return resp->mutable_offices(); }, &offices));
  for (const v1::Office& o : offices.offices()) {
    auto id = api::ParseOfficeName(o.name(), "office.name");
    if (id.ok()) data.offices.push_back(api::FromProto(o, *id, "office", v));
  }
  v1::ListServiceTypesResponse services;
  REBOOK_RETURN_IF_ERROR(ListEverything(
      v1::ListServiceTypesRequest(),
      [&](const auto& r, auto* page) {
        return capacity->ListServiceTypes(client.Context().get(), r, page);
      },
      [](auto* resp) { return resp->mutable_service_types(); }, &services));
  for (const v1::ServiceType& s : services.service_types()) {
    auto id = api::ParseServiceTypeName(s.name(), "service_type.name");
    if (id.ok()) data.services.push_back(api::FromProto(s, *id, "service_type", v));
  }
  v1::ListClerksResponse clerks;
  REBOOK_RETURN_IF_ERROR(ListEverything(
      v1::ListClerksRequest(),
      [&](const auto& r, auto* page) {
        return capacity->ListClerks(client.Context().get(), r, page);
      },
      [](auto* resp) { return resp->mutable_clerks(); }, &clerks));
  for (const v1::Clerk& c : clerks.clerks()) {
    auto id = api::ParseClerkName(c.name(), "clerk.name");
    if (id.ok()) data.clerks.push_back(api::FromProto(c, *id, "clerk", v));
  }
  auto appointments = v1::AppointmentService::NewStub(client.channel());
  v1::ListAppointmentsRequest req;
  req.set_parent("offices/-");
  req.set_outage(api::OutageName(outage_id));
  v1::ListAppointmentsResponse all;
  REBOOK_RETURN_IF_ERROR(ListEverything(
      req,
      [&](const auto& r, auto* page) {
        return appointments->ListAppointments(client.Context(60).get(), r, page);
      },
      [](auto* resp) { return resp->mutable_appointments(); }, &all));
  for (const v1::Appointment& in : all.appointments()) {
    domain::Appointment a = api::FromProto(in, "appointment", v);
    a.outage_id = outage_id;
    if (auto status = api::FromProto(in.status()); status.has_value()) a.status = *status;
    a.update_time = api::FromTimestamp(in.update_time());
    AddSlots(in, "appointment", a, v);
    data.appointments.push_back(std::move(a));
    // A slot at an office the caller may not read: named by id, in the slot's zone.
    for (const v1::AppointmentSlot* slot : {&in.rebooked_slot(), &in.held_slot()}) {
      auto id = api::ParseOfficeName(slot->office(), "slot.office");
      if (!id.ok() || slot->time_zone().empty()) continue;
      if (std::none_of(data.offices.begin(), data.offices.end(),
                       [&](const domain::Office& o) { return o.id == *id; })) {
        data.offices.push_back({.id = *id, .name = *id, .time_zone = slot->time_zone()});
      }
    }
  }
  REBOOK_RETURN_IF_ERROR(v.ToStatus("the server's answer could not be read"));
  return data;
}

// Creates the folder `path` goes into, if missing.
absl::Status MakeParent(const fs::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec)
    return absl::UnavailableError(
        absl::StrCat("cannot create ", path.parent_path().string(), ": ", ec.message()));
  return absl::OkStatus();
}

// Writes `text` to `path` through a temporary file, so that a reader never sees half a file.
absl::Status WriteFile(const fs::path& path, const std::string& text) {
  REBOOK_RETURN_IF_ERROR(MakeParent(path));
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec)
    return absl::UnavailableError(absl::StrCat("cannot write ", path.string(), ": ", ec.message()));
  return absl::OkStatus();
}

absl::StatusOr<Written> WriteCsv(const exports::Schedule& s, const ExportOptions& o) {
  REBOOK_RETURN_IF_ERROR(WriteFile(o.out, exports::ScheduleCsv(s)));
  return Written{{o.out}, absl::StrCat(s.rebooked().size(), " rebooked appointments")};
}

absl::StatusOr<Written> WriteBlocks(const exports::Schedule& s, const ExportOptions& o) {
  REBOOK_RETURN_IF_ERROR(WriteFile(o.out, exports::BlocksCsv(s)));
  return Written{{o.out},
                 absl::StrCat(s.rebooked().size(), " filled and ", s.held().size(), " held slots")};
}

absl::StatusOr<Written> WriteIcs(const exports::Schedule& s, const ExportOptions& o) {
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot create ", o.out, ": ", ec.message()));
  const exports::IcsOptions ics{
      .dtstamp = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
      .uid_domain = o.uid_domain};
  std::vector<exports::NamedCalendar> calendars =
      o.per == "clerk" ? exports::CalendarsPerClerk(s, ics) : exports::CalendarsPerOffice(s, ics);
  Written w{{}, absl::StrCat(calendars.size(), " calendars, one per ", o.per)};
  for (const exports::NamedCalendar& c : calendars) {
    const fs::path path = fs::path(o.out) / c.file_name;
    REBOOK_RETURN_IF_ERROR(WriteFile(path, c.text));
    w.paths.push_back(path.string());
  }
  return w;
}

absl::StatusOr<Written> WritePdf(const exports::Schedule& s, const ExportOptions& o) {
  REBOOK_RETURN_IF_ERROR(MakeParent(o.out));
  const std::string tmp = o.out + ".tmp";
  REBOOK_ASSIGN_OR_RETURN(
      int pages, exports::WriteDayListsPdf(s, tmp,
                                           {.printed_at = std::chrono::floor<std::chrono::seconds>(
                                                std::chrono::system_clock::now())}));
  std::error_code ec;
  fs::rename(tmp, o.out, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot write ", o.out, ": ", ec.message()));
  return Written{{o.out}, absl::StrCat(pages, " day list pages")};
}

// Every export format by its --format name.
const std::map<std::string, ExportWriter>& ExportFormats() {
  static const auto* formats = new std::map<std::string, ExportWriter>{
      {"csv", WriteCsv}, {"ics", WriteIcs}, {"pdf", WritePdf}, {"blocks", WriteBlocks}};
  return *formats;
}

absl::StatusOr<Written> RunExport(const Client& client, const ExportOptions& o) {
  if (o.format == "zms") {  // the ZMS way back reads only confirmed rebookings (zms_export.h)
    REBOOK_ASSIGN_OR_RETURN(int n, ExportZms(client, o.outage, o.out));
    return Written{{(std::filesystem::path(o.out) / "processes.json").string()},
                   absl::StrCat(n, " confirmed rebooking(s) as ZMS processes")};
  }
  REBOOK_ASSIGN_OR_RETURN(exports::ExportData data, Fetch(client, o.outage));
  REBOOK_ASSIGN_OR_RETURN(exports::Schedule schedule, exports::Schedule::Build(std::move(data)));
  return ExportFormats().at(o.format)(schedule, o);
}

}  // namespace

void AddExportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto o = std::make_shared<ExportOptions>();
  std::vector<std::string> names;
  for (const auto& [name, writer] : ExportFormats()) names.push_back(name);
  names.push_back("zms");
  CLI::App* e = app.add_subcommand(
      "export", "Write an outage's schedule for people and the booking system (docs/exports.md)");
  e->add_option("outage", o->outage, "outage id or outages/{outage}")->required();
  e->add_option("--format", o->format, absl::StrCat("one of: ", absl::StrJoin(names, ", ")))
      ->required()
      ->check(CLI::IsMember(names));
  e->add_option("--out", o->out, "the file to write (ics, zms: the folder)")->required();
  e->add_option("--per", o->per, "ics: one calendar per office or per clerk")
      ->check(CLI::IsMember({"office", "clerk"}))
      ->capture_default_str();
  e->add_option("--uid-domain", o->uid_domain, "ics: the domain of the events' UIDs")
      ->capture_default_str();
  e->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    ExportOptions options = *o;
    if (options.outage.rfind("outages/", 0) == 0) options.outage = options.outage.substr(8);
    absl::StatusOr<Written> w = RunExport(*client, options);
    if (!w.ok()) return void(*exit_code = ReportError(w.status()));
    std::cout << "exported " << w->what << ":\n";
    for (const std::string& p : w->paths) std::cout << "  " << p << "\n";
  });
}

}  // namespace rebook::ctl
