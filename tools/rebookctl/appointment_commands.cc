// rebookctl appointments list|show|self-rebooked|close
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

std::string StatusText(v1::AppointmentStatus s) {
  return absl::AsciiStrToLower(v1::AppointmentStatus_Name(s));
}

// The slot's office and clerk ids, e.g. "HAL/anna".
std::string SlotWhere(const v1::AppointmentSlot& s) {
  return absl::StrCat(s.office().substr(s.office().find('/') + 1), "/",
                      s.clerk().substr(s.clerk().find('/') + 1));
}

// "2026-02-02 09:00-09:20" in the slot office's zone.
std::string SlotWhen(const v1::AppointmentSlot& s) {
  const std::string end = LocalText(s.time_zone(), s.interval().end_time().seconds());
  return absl::StrCat(LocalText(s.time_zone(), s.interval().start_time().seconds()), "-",
                      end.substr(end.size() >= 5 ? end.size() - 5 : 0));
}

std::string ChannelText(v1::ConfirmationChannel c) {
  return c == v1::CONFIRMATION_CHANNEL_UNSPECIFIED
             ? ""
             : absl::AsciiStrToLower(v1::ConfirmationChannel_Name(c));
}

// The slot an appointment is rebooked into, or else the one its open offer holds.
const v1::AppointmentSlot* SlotOf(const v1::Appointment& a) {
  if (a.has_rebooked_slot()) return &a.rebooked_slot();
  if (a.has_held_slot()) return &a.held_slot();
  return nullptr;
}

void PrintAppointment(const v1::Appointment& a) {
  const std::string& tz = a.time_zone();
  std::cout << a.name() << "\n"
            << "  service:        " << a.service_type() << "\n"
            << "  kind:           " << (a.kind() == v1::WALK_IN ? "walk-in" : "appointment") << "\n"
            << "  status:         " << StatusText(a.status())
            << (a.status_reason().empty() ? "" : " (" + a.status_reason() + ")") << "\n"
            << "  outage:         " << (a.outage().empty() ? "-" : a.outage()) << "\n"
            << "  original start: " << LocalText(tz, a.original_start_time().seconds()) << " ("
            << tz << ")\n";
  if (a.has_earliest_start_time()) {
    std::cout << "  earliest:       " << LocalText(tz, a.earliest_start_time().seconds()) << "\n";
  }
  if (a.has_deadline_time()) {
    std::cout << "  deadline:       " << LocalText(tz, a.deadline_time().seconds()) << "\n";
  }
  if (a.has_rebooked_slot()) {
    const v1::AppointmentSlot& r = a.rebooked_slot();
    std::cout << "  rebooked into:  " << SlotWhen(r) << " at " << SlotWhere(r) << " ("
              << r.time_zone() << "), confirmed by " << ChannelText(r.confirmed_via()) << " "
              << LocalText(r.time_zone(), r.confirm_time().seconds()) << "\n";
  }
  if (a.has_held_slot()) {
    const v1::AppointmentSlot& h = a.held_slot();
    std::cout << "  held slot:      " << SlotWhen(h) << " at " << SlotWhere(h) << " ("
              << h.time_zone() << ")\n";
  }
  std::cout << "  priority/cases: " << a.priority() << " / " << a.cases() << "\n";
  if (a.allowed_offices_size() > 0) {
    std::cout << "  allowed:        " << absl::StrJoin(a.allowed_offices(), ", ") << "\n";
  }
  for (const auto& u : a.unavailable()) {
    std::cout << "  unavailable:    " << LocalText(tz, u.start_time().seconds()) << " to "
              << LocalText(tz, u.end_time().seconds()) << "\n";
  }
  const v1::Contact& c = a.contact();
  std::cout << "  citizen:        " << c.name() << "\n"
            << "  phone / e-mail: " << (c.phone().empty() ? "-" : c.phone()) << " / "
            << (c.email().empty() ? "-" : c.email()) << "\n"
            << "  language:       " << c.language()
            << (c.channel().empty() ? "" : ", prefers " + c.channel()) << "\n";
}

template <typename Req, typename Call>
void Mutate(const GlobalOptions& global, int* exit_code, Req req, Call call) {
  auto client = Client::Connect(global);
  if (!client.ok()) return void(*exit_code = ReportError(client.status()));
  v1::Appointment resp;
  auto stub = v1::AppointmentService::NewStub(client->channel());
  grpc::Status s = call(*stub, client->Context().get(), req, &resp);
  if (!s.ok()) return void(*exit_code = ReportError(s));
  if (global.json) return PrintJson(resp);
  PrintAppointment(resp);
}

}  // namespace

void AddAppointmentCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* appts = app.add_subcommand("appointments", "List, show and change appointments")
                        ->alias("appointment")
                        ->require_subcommand(1);

  struct List {
    std::string office = "-", service, outage, kind, slot_office, slot_day, slot_clerk;
    std::vector<std::string> statuses;
    int limit = kNoLimit;
    bool all = false;
  };
  auto list = std::make_shared<List>();
  CLI::App* l = appts->add_subcommand("list", "List appointments (newest filter first)");
  l->add_option("--office", list->office, "office id, or - for all yours")->capture_default_str();
  l->add_option("--service", list->service, "service type id");
  l->add_option("--status", list->statuses, "status (repeat): cancelled, offered, confirmed, ...");
  l->add_option("--outage", list->outage, "outage id");
  l->add_option("--kind", list->kind, "appointment or walk_in")
      ->check(CLI::IsMember({"appointment", "walk_in"}));
  l->add_option("--slot-office", list->slot_office,
                "office id of the slot rebooked into or held (the counter's list)");
  l->add_option("--slot-day", list->slot_day, "the slot's day, YYYY-MM-DD in its office's zone");
  l->add_option("--slot-clerk", list->slot_clerk, "clerk id of the slot");
  l->add_option("--limit", list->limit, "at most this many rows (default: all)");
  l->add_flag("--all", list->all, "show every matching row (the default; overrides --limit)");
  l->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    auto stub = v1::AppointmentService::NewStub(client->channel());
    v1::ListAppointmentsRequest req;
    req.set_parent(Qualify("offices", list->office));
    if (!list->service.empty()) req.set_service_type(Qualify("serviceTypes", list->service));
    if (!list->outage.empty()) req.set_outage(Qualify("outages", list->outage));
    for (const std::string& s : list->statuses) {
      v1::AppointmentStatus status;
      if (!v1::AppointmentStatus_Parse(absl::AsciiStrToUpper(s), &status)) {
        std::cerr << "error: unknown status \"" << s << "\"\n";
        return void(*exit_code = cli::kExitUsage);
      }
      req.add_statuses(status);
    }
    if (list->kind == "walk_in") req.set_kind(v1::WALK_IN);
    if (list->kind == "appointment") req.set_kind(v1::BOOKED_APPOINTMENT);
    if (!list->slot_office.empty()) req.set_slot_office(Qualify("offices", list->slot_office));
    if (!list->slot_clerk.empty()) req.set_slot_clerk(Qualify("clerks", list->slot_clerk));
    req.set_slot_day(list->slot_day);
    v1::ListAppointmentsResponse all;
    grpc::Status s = ListAll(
        req, list->all ? kNoLimit : list->limit,
        [&](const auto& r, auto* page) {
          return stub->ListAppointments(client->Context().get(), r, page);
        },
        [](auto* resp) { return resp->mutable_appointments(); }, &all);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    const std::int64_t total = all.total_size();
    if (global.json) return PrintJson(all);
    Table t({"appointment", "office", "service", "original start", "kind", "cases", "prio",
             "status", "deadline", "slot", "slot office/clerk", "confirmed"});
    for (const auto& a : all.appointments()) {
      std::string name = a.name();
      std::size_t slash = name.rfind('/');
      t.AddRow({name.substr(slash + 1), name.substr(8, name.find('/', 8) - 8),
                a.service_type().substr(13),
                LocalText(a.time_zone(), a.original_start_time().seconds()),
                a.kind() == v1::WALK_IN ? "walk-in" : "appt", absl::StrCat(a.cases()),
                absl::StrCat(a.priority()), StatusText(a.status()),
                a.has_deadline_time() ? LocalText(a.time_zone(), a.deadline_time().seconds()) : "",
                SlotOf(a) != nullptr ? SlotWhen(*SlotOf(a)) : "",
                SlotOf(a) != nullptr ? SlotWhere(*SlotOf(a)) : "",
                a.has_rebooked_slot() ? ChannelText(a.rebooked_slot().confirmed_via())
                : a.has_held_slot()   ? "held"
                                      : ""});
    }
    t.Print(std::cout);
    std::cout << all.appointments_size() << " of " << total << " shown\n";
  });

  auto show = std::make_shared<std::string>();
  CLI::App* sh = appts->add_subcommand("show", "Show one appointment (personal data)");
  sh->add_option("appointment", *show, "offices/{office}/appointments/{id}")->required();
  sh->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::GetAppointmentRequest req;
    req.set_name(*show);
    v1::Appointment resp;
    grpc::Status s = v1::AppointmentService::NewStub(client->channel())
                         ->GetAppointment(client->Context().get(), req, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    PrintAppointment(resp);
  });

  auto self = std::make_shared<std::string>();
  CLI::App* sr = appts->add_subcommand("self-rebooked", "The citizen rebooked themselves");
  sr->add_option("appointment", *self, "offices/{office}/appointments/{id}")->required();
  sr->callback([=, &global] {
    v1::MarkSelfRebookedRequest req;
    req.set_name(*self);
    req.set_request_id(NewRequestId());
    Mutate(global, exit_code, req, [](auto& stub, auto* ctx, const auto& r, auto* out) {
      return stub.MarkSelfRebooked(ctx, r, out);
    });
  });

  auto close_name = std::make_shared<std::string>();
  auto close_reason = std::make_shared<std::string>();
  CLI::App* cl = appts->add_subcommand("close", "Close an appointment with a reason");
  cl->add_option("appointment", *close_name, "offices/{office}/appointments/{id}")->required();
  cl->add_option("--reason", *close_reason, "why")->required();
  cl->callback([=, &global] {
    v1::CloseAppointmentRequest req;
    req.set_name(*close_name);
    req.set_reason(*close_reason);
    req.set_request_id(NewRequestId());
    Mutate(global, exit_code, req, [](auto& stub, auto* ctx, const auto& r, auto* out) {
      return stub.CloseAppointment(ctx, r, out);
    });
  });
}

}  // namespace rebook::ctl
