// rebookctl outage declare|list|show|close|impact
#include <iostream>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "services/domain/local_time.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/proto_text.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

void PrintOutage(const v1::Outage& o) {
  const std::string& tz = o.time_zone();
  std::cout << o.name() << "  " << (o.state() == v1::Outage::ACTIVE ? "ACTIVE" : "CLOSED") << "\n"
            << "  offices:   " << absl::StrJoin(o.offices(), ", ") << "\n"
            << "  window:    " << LocalText(tz, o.window().start_time().seconds()) << " to "
            << LocalText(tz, o.window().end_time().seconds()) << " (" << tz << ")\n"
            << "  cause:     " << o.cause() << "\n"
            << "  cancelled: " << o.cancelled_appointment_count() << " appointments\n";
  if (o.state() == v1::Outage::CLOSED) {
    std::cout << "  closed:    " << LocalText(tz, o.close_time().seconds()) << " ("
              << o.close_reason() << ")\n";
  }
}

int PrintImpact(const v1::OutageImpact& impact) {
  std::cout << "Impact of " << impact.outage() << ": " << impact.total_appointments()
            << " appointments, " << impact.total_cases() << " cases, "
            << absl::StrFormat("%.1f", impact.total_work_minutes() / 60.0)
            << " clerk-hours of work\n\n";
  Table rows({"office", "service", "day", "appointments", "walk-ins", "cases", "hours"});
  for (const auto& r : impact.rows()) {
    rows.AddRow({r.office().substr(8), r.service_type().substr(13), DateText(r.original_date()),
                 absl::StrCat(r.appointment_count()), absl::StrCat(r.walk_in_count()),
                 absl::StrCat(r.case_count()), absl::StrFormat("%.1f", r.work_minutes() / 60.0)});
  }
  rows.AddRule();
  rows.AddRow({"total", "", "", absl::StrCat(impact.total_appointments()), "",
               absl::StrCat(impact.total_cases()),
               absl::StrFormat("%.1f", impact.total_work_minutes() / 60.0)});
  rows.Print(std::cout);

  std::vector<std::string> statuses = {"CANCELLED",     "OFFERED",     "CONFIRMED", "DECLINED",
                                       "SELF_REBOOKED", "UNREACHABLE", "CLOSED"};
  std::vector<std::string> header = {"office"};
  for (const auto& s : statuses) header.push_back(absl::AsciiStrToLower(s));
  Table by_status(header);
  for (const auto& o : impact.office_statuses()) {
    std::vector<std::string> row = {o.office().substr(8)};
    for (const auto& s : statuses) {
      auto it = o.status_counts().find(s);
      row.push_back(absl::StrCat(it == o.status_counts().end() ? 0 : it->second));
    }
    by_status.AddRow(row);
  }
  std::cout << "\nCitizens by status:\n";
  by_status.Print(std::cout);
  return 0;
}

}  // namespace

std::string Qualify(const std::string& collection, const std::string& name_or_id) {
  if (name_or_id.rfind(collection + "/", 0) == 0) return name_or_id;
  return absl::StrCat(collection, "/", name_or_id);
}

std::string LocalText(const std::string& tz, std::int64_t unix_seconds) {
  std::string t = domain::FormatLocal(tz.empty() ? "Europe/Berlin" : tz,
                                      Instant(std::chrono::seconds(unix_seconds)));
  t[10] = ' ';
  return t;
}

void AddOutageCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* outage =
      app.add_subcommand("outage", "Declare, list, show, close outages")->require_subcommand(1);

  struct Declare {
    std::vector<std::string> offices;
    std::string start, end, tz = "Europe/Berlin", cause, id, request_id;
  };
  auto declare = std::make_shared<Declare>();
  CLI::App* d = outage->add_subcommand("declare", "Declare an outage; cancels its appointments");
  d->add_option("--office", declare->offices, "office id (repeat for several)")->required();
  d->add_option("--start", declare->start, "local start, YYYY-MM-DDTHH:MM")->required();
  d->add_option("--end", declare->end, "local end (exclusive), YYYY-MM-DDTHH:MM")->required();
  d->add_option("--time-zone", declare->tz, "zone of --start/--end")->capture_default_str();
  d->add_option("--cause", declare->cause, "what happened");
  d->add_option("--id", declare->id, "outage id (default: generated)");
  d->add_option("--request-id", declare->request_id, "idempotency key (default: random)");
  d->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::DeclareOutageRequest req;
    req.set_outage_id(declare->id);
    req.set_request_id(declare->request_id.empty() ? NewRequestId() : declare->request_id);
    for (const auto& o : declare->offices) req.mutable_outage()->add_offices(Qualify("offices", o));
    req.mutable_outage()->set_cause(declare->cause);
    for (auto [text, ts] :
         {std::pair{declare->start, req.mutable_outage()->mutable_window()->mutable_start_time()},
          std::pair{declare->end, req.mutable_outage()->mutable_window()->mutable_end_time()}}) {
      auto local = domain::ParseLocalDateTime(text);
      absl::StatusOr<Instant> t = local.ok() ? domain::LocalToInstant(declare->tz, *local)
                                             : absl::StatusOr<Instant>(local.status());
      if (!t.ok()) return void(*exit_code = ReportError(t.status()));
      ts->set_seconds(t->time_since_epoch().count());
    }
    v1::Outage resp;
    auto stub = v1::OutageService::NewStub(client->channel());
    grpc::Status s = client->CallWithRetry(
        0, req.request_id(), "outage declare",
        [&](grpc::ClientContext* ctx) { return stub->DeclareOutage(ctx, req, &resp); });
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    std::cout << "Declared ";
    PrintOutage(resp);
  });

  auto list_office = std::make_shared<std::string>();
  auto list_state = std::make_shared<std::string>();
  auto list_limit = std::make_shared<int>(kNoLimit);
  CLI::App* l = outage->add_subcommand("list", "List outages");
  l->add_option("--office", *list_office, "only outages of this office");
  l->add_option("--limit", *list_limit, "at most this many (default: all)");
  l->add_option("--state", *list_state, "active or closed")
      ->check(CLI::IsMember({"active", "closed"}));
  l->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    auto stub = v1::OutageService::NewStub(client->channel());
    v1::ListOutagesRequest req;
    if (!list_office->empty()) req.set_office(Qualify("offices", *list_office));
    if (*list_state == "active") req.set_state(v1::Outage::ACTIVE);
    if (*list_state == "closed") req.set_state(v1::Outage::CLOSED);
    v1::ListOutagesResponse resp;
    grpc::Status s = ListAll(
        req, *list_limit,
        [&](const auto& r, auto* page) {
          return stub->ListOutages(client->Context().get(), r, page);
        },
        [](auto* r) { return r->mutable_outages(); }, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    Table t({"outage", "state", "offices", "start", "end", "cancelled", "cause"});
    for (const auto& o : resp.outages()) {
      t.AddRow({o.name().substr(8), o.state() == v1::Outage::ACTIVE ? "active" : "closed",
                absl::StrJoin(o.offices(), ","),
                LocalText(o.time_zone(), o.window().start_time().seconds()),
                LocalText(o.time_zone(), o.window().end_time().seconds()),
                absl::StrCat(o.cancelled_appointment_count()), o.cause()});
    }
    t.Print(std::cout);
  });

  auto show_id = std::make_shared<std::string>();
  CLI::App* sh = outage->add_subcommand("show", "Show one outage");
  sh->add_option("outage", *show_id, "outage id or name")->required();
  sh->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::GetOutageRequest req;
    req.set_name(Qualify("outages", *show_id));
    v1::Outage resp;
    grpc::Status s = v1::OutageService::NewStub(client->channel())
                         ->GetOutage(client->Context().get(), req, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    PrintOutage(resp);
  });

  struct Close {
    std::string id, reason, request_id;
    bool force = false;
  };
  auto close = std::make_shared<Close>();
  CLI::App* c = outage->add_subcommand("close", "Close an outage");
  c->add_option("outage", close->id, "outage id or name")->required();
  c->add_flag("--force", close->force, "close although citizens are still open");
  c->add_option("--reason", close->reason, "why (required with --force)");
  c->add_option("--request-id", close->request_id, "idempotency key (default: random)");
  c->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::CloseOutageRequest req;
    req.set_name(Qualify("outages", close->id));
    req.set_force(close->force);
    req.set_reason(close->reason);
    req.set_request_id(close->request_id.empty() ? NewRequestId() : close->request_id);
    v1::Outage resp;
    grpc::Status s = client->CallWithRetry(0, [&](grpc::ClientContext* ctx) {
      return v1::OutageService::NewStub(client->channel())->CloseOutage(ctx, req, &resp);
    });
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    PrintOutage(resp);
  });

  auto impact_id = std::make_shared<std::string>();
  CLI::App* im = outage->add_subcommand("impact", "Counts per office, service and day, and status");
  im->add_option("outage", *impact_id, "outage id or name")->required();
  im->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::GetOutageImpactRequest req;
    req.set_name(Qualify("outages", *impact_id));
    v1::OutageImpact resp;
    grpc::Status s = v1::OutageService::NewStub(client->channel())
                         ->GetOutageImpact(client->Context().get(), req, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    *exit_code = PrintImpact(resp);
  });
}

}  // namespace rebook::ctl
