// rebookctl offers list|show|respond|expire, rebookctl replan, rebookctl self-rebooked import
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "services/api/names.h"
#include "services/bundle/csv_reader.h"
#include "services/domain/local_time.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/proto_text.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

// BatchMarkSelfRebooked takes at most 10000; smaller batches keep each transaction short.
constexpr int kSelfRebookedBatch = 1000;

std::string StateText(v1::Offer::State s) {
  std::string name = v1::Offer::State_Name(s);
  return absl::AsciiStrToLower(name);
}

std::string SlotText(const v1::OfferSlot& s) {
  return absl::StrCat(LocalText(s.time_zone(), s.interval().start_time().seconds()), "  ",
                      NameTail(s.office()), "/", NameTail(s.clerk()));
}

void PrintOffer(const v1::Offer& o) {
  std::cout << o.name() << "  " << StateText(o.state()) << "\n"
            << "  slot:        " << SlotText(o.slot()) << "\n"
            << "  expires:     " << LocalText(o.slot().time_zone(), o.expire_time().seconds())
            << "\n";
  for (int i = 0; i < o.alternatives_size(); ++i) {
    std::cout << "  alternative " << i << ": " << SlotText(o.alternatives(i))
              << absl::StrFormat("  (cost %.1f)", o.alternatives(i).cost()) << "\n";
  }
  if (o.has_respond_time()) {
    std::cout << "  answered:    " << LocalText(o.slot().time_zone(), o.respond_time().seconds())
              << " by " << o.response_channel() << "\n";
  }
  if (!o.explanation().empty()) std::cout << "  why:         " << o.explanation() << "\n";
  std::cout << "  plan:        " << o.plan() << "\n";
}

struct OfferListArgs {
  std::string parent = "offices/-", outage;
  std::vector<std::string> states;
  int limit = kNoLimit;
};

void List(const GlobalOptions& global, int* exit_code, const OfferListArgs& args) {
  auto client = Client::Connect(global);
  if (!client.ok()) return void(*exit_code = ReportError(client.status()));
  v1::ListOffersRequest req;
  req.set_parent(args.parent.rfind("offices/", 0) == 0 ? args.parent
                                                       : Qualify("offices", args.parent));
  if (!args.outage.empty()) req.set_outage(Qualify("outages", args.outage));
  for (const std::string& s : args.states) {
    v1::Offer::State state;
    if (!v1::Offer::State_Parse(absl::AsciiStrToUpper(s), &state)) {
      std::cerr << "error: unknown state \"" << s << "\"\n";
      return void(*exit_code = cli::kExitUsage);
    }
    req.add_states(state);
  }
  auto stub = v1::OfferService::NewStub(client->channel());
  v1::ListOffersResponse all;
  grpc::Status s = ListAll(
      req, args.limit,
      [&](const auto& r, auto* page) { return stub->ListOffers(client->Context().get(), r, page); },
      [](auto* r) { return r->mutable_offers(); }, &all);
  if (!s.ok()) return void(*exit_code = ReportError(s));
  if (global.json) return PrintJson(all);  // one document, like every other list
  Table t({"offer", "state", "slot", "expires", "alternatives"});
  for (const auto& o : all.offers()) {
    t.AddRow({o.name(), StateText(o.state()), SlotText(o.slot()),
              LocalText(o.slot().time_zone(), o.expire_time().seconds()),
              absl::StrCat(o.alternatives_size())});
  }
  t.Print(std::cout);
}

struct ImportArgs {
  std::string file, tz = "Europe/Berlin", request_id;
};

// Reads appointment_id, office_id and optional new_start (local time) from a CSV file and
// marks the appointments self-rebooked in batches. Errors name file:line:col.
void ImportSelfRebooked(const GlobalOptions& global, int* exit_code, const ImportArgs& args) {
  auto csv = bundle::CsvReader::Open(args.file, args.file);
  if (!csv.ok()) return void(*exit_code = ReportError(csv.status()));
  auto id_col = (*csv)->Require("appointment_id");
  auto office_col = (*csv)->Require("office_id");
  if (!id_col.ok()) return void(*exit_code = ReportError(id_col.status()));
  if (!office_col.ok()) return void(*exit_code = ReportError(office_col.status()));
  const int start_col = (*csv)->Find("new_start");
  std::vector<v1::MarkSelfRebookedRequest> rows;
  while (true) {
    absl::StatusOr<bool> more = (*csv)->Next();
    if (!more.ok()) return void(*exit_code = ReportError(more.status()));
    if (!*more) break;
    const std::string id((*csv)->Field(*id_col)), office((*csv)->Field(*office_col));
    if (!domain::IsValidId(id)) {
      return void(*exit_code = ReportError((*csv)->Error(*id_col, "not a valid id")));
    }
    if (!domain::IsValidId(office)) {
      return void(*exit_code = ReportError((*csv)->Error(*office_col, "not a valid id")));
    }
    v1::MarkSelfRebookedRequest r;
    r.set_name(api::AppointmentResourceName(office, id));
    const std::string start((*csv)->Field(start_col));
    if (!start.empty()) {
      auto local = domain::ParseLocalDateTime(start);
      absl::StatusOr<Instant> t =
          local.ok() ? domain::LocalToInstant(args.tz, *local) : local.status();
      if (!t.ok())
        return void(*exit_code =
                        ReportError((*csv)->Error(start_col, std::string(t.status().message()))));
      r.mutable_new_start_time()->set_seconds(t->time_since_epoch().count());
    }
    rows.push_back(std::move(r));
  }
  auto client = Client::Connect(global);
  if (!client.ok()) return void(*exit_code = ReportError(client.status()));
  auto stub = v1::AppointmentService::NewStub(client->channel());
  const std::string base = args.request_id.empty() ? NewRequestId() : args.request_id;
  std::size_t done = 0;
  for (std::size_t i = 0; i < rows.size(); i += kSelfRebookedBatch) {
    v1::BatchMarkSelfRebookedRequest req;
    for (std::size_t j = i; j < std::min(rows.size(), i + kSelfRebookedBatch); ++j) {
      *req.add_requests() = rows[j];
    }
    req.set_request_id(absl::StrCat(base, "-", i / kSelfRebookedBatch));
    v1::BatchMarkSelfRebookedResponse resp;
    grpc::Status s = client->CallWithRetry(
        0, [&](grpc::ClientContext* ctx) { return stub->BatchMarkSelfRebooked(ctx, req, &resp); });
    if (!s.ok()) {
      std::cerr << "rows " << i + 1 << " to " << i + req.requests_size() << ":\n";
      return void(*exit_code = ReportError(s));
    }
    done += resp.appointments_size();
  }
  std::cout << "marked " << done << " appointments self-rebooked\n";
}

}  // namespace

void AddOfferCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* offers =
      app.add_subcommand("offers", "Offers: list, show, record an answer, expire due ones")
          ->require_subcommand(1);

  auto list = std::make_shared<OfferListArgs>();
  CLI::App* ls = offers->add_subcommand("list", "List offers");
  ls->add_option("--parent", list->parent,
                 "offices/{office}, offices/{office}/appointments/{id} or offices/-")
      ->capture_default_str();
  ls->add_option("--outage", list->outage, "only offers of this outage");
  ls->add_option("--state", list->states, "open, accepted, declined, other_time_requested, ...");
  ls->add_option("--limit", list->limit, "at most this many (default: all)");
  ls->callback([=, &global] { List(global, exit_code, *list); });

  auto name = std::make_shared<std::string>();
  CLI::App* show = offers->add_subcommand("show", "Show one offer with its alternatives");
  show->add_option("offer", *name, "offices/{office}/appointments/{id}/offers/{version}")
      ->required();
  show->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::GetOfferRequest req;
    req.set_name(*name);
    v1::Offer o;
    grpc::Status s =
        v1::OfferService::NewStub(client->channel())->GetOffer(client->Context().get(), req, &o);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(o);
    PrintOffer(o);
  });

  struct Answer {
    std::string offer, response, channel = "phone";
    int alternative = -1;
  };
  auto answer = std::make_shared<Answer>();
  CLI::App* respond =
      offers->add_subcommand("respond", "Record an answer taken by phone or at the counter");
  respond->add_option("offer", answer->offer, "offices/{office}/appointments/{id}/offers/{v}")
      ->required();
  respond->add_option("--response", answer->response, "accept, decline or other-time")
      ->required()
      ->check(CLI::IsMember({"accept", "decline", "other-time"}));
  respond->add_option("--alternative", answer->alternative, "take alternative i (0-based)");
  respond->add_option("--channel", answer->channel, "phone or staff")->capture_default_str();
  respond->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::RecordResponseRequest req;
    req.set_name(answer->offer);
    req.set_response(answer->response == "accept"    ? v1::ACCEPT
                     : answer->response == "decline" ? v1::DECLINE
                                                     : v1::OTHER_TIME);
    if (answer->alternative >= 0) req.set_alternative_index(answer->alternative);
    req.set_response_channel(answer->channel);
    req.set_request_id(NewRequestId());
    v1::Offer o;
    grpc::Status s = client->CallWithRetry(0, [&](grpc::ClientContext* ctx) {
      return v1::OfferService::NewStub(client->channel())->RecordResponse(ctx, req, &o);
    });
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(o);
    PrintOffer(o);
  });

  CLI::App* expire = offers->add_subcommand("expire", "Expire due offers and queue reminders");
  expire->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::ProcessExpiriesRequest req;
    req.set_request_id(NewRequestId());
    v1::ProcessExpiriesResponse resp;
    grpc::Status s =
        client->CallWithRetry(0, req.request_id(), "offers expire", [&](grpc::ClientContext* ctx) {
          return v1::OfferService::NewStub(client->channel())->ProcessExpiries(ctx, req, &resp);
        });
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    std::cout << resp.expired_count() << " offers expired, " << resp.reminders_queued()
              << " reminders queued\n";
  });

  auto outage = std::make_shared<std::string>();
  CLI::App* replan = app.add_subcommand(
      "replan", "Re-plan an outage incrementally and commit it (confirmed citizens stay)");
  replan->add_option("outage", *outage, "outage id or name")->required();
  replan->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::ReplanOutageRequest req;
    req.set_outage(Qualify("outages", *outage));
    req.set_request_id(NewRequestId());
    v1::Plan plan;
    grpc::Status s =
        client->CallWithRetry(0, req.request_id(), "replan", [&](grpc::ClientContext* ctx) {
          return v1::PlanService::NewStub(client->channel())->ReplanOutage(ctx, req, &plan);
        });
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(plan);
    std::cout << plan.name() << (plan.base_plan().empty() ? "" : " (from " + plan.base_plan() + ")")
              << ": " << plan.summary().assigned_count() << " assigned, "
              << plan.summary().unassigned_count() << " unassigned\n";
  });

  auto import = std::make_shared<ImportArgs>();
  CLI::App* self = app.add_subcommand("self-rebooked", "Citizens who rebooked themselves")
                       ->require_subcommand(1);
  CLI::App* imp = self->add_subcommand(
      "import", "Mark the appointments of a CSV file (appointment_id, office_id[, new_start])");
  imp->add_option("file", import->file, "CSV file from the booking system")->required();
  imp->add_option("--time-zone", import->tz, "zone of new_start")->capture_default_str();
  imp->add_option("--request-id", import->request_id, "makes a re-run of the same file a no-op");
  imp->callback([=, &global] { ImportSelfRebooked(global, exit_code, *import); });
}

}  // namespace rebook::ctl
