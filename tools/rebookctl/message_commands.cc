// rebookctl messages list|show|history|stats|retry: what was sent to whom, and what failed.
#include <iostream>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "rebook/v1/notifications.grpc.pb.h"
#include "services/api/names.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/proto_text.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

std::string StateText(v1::Message::State s) {
  return absl::AsciiStrToLower(v1::Message::State_Name(s));
}

std::string Clip(std::string s, std::size_t n) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (s.size() > n) s = s.substr(0, n - 3) + "...";
  return s;
}

// When a pending or failed message is due, or why it failed last.
std::string NextOrError(const v1::Message& m) {
  if (m.state() == v1::Message::DEAD || m.state() == v1::Message::FAILED) {
    return Clip(m.last_error(), 60);
  }
  if (m.has_next_attempt_time()) return "due " + LocalText("", m.next_attempt_time().seconds());
  return "";
}

void PrintHistory(const v1::Message& m) {
  std::cout << m.name() << "  " << StateText(m.state()) << "  " << m.channel() << "  "
            << absl::AsciiStrToLower(v1::MessageKind_Name(m.kind())) << "  attempts "
            << m.attempt_count() << "\n  key:      " << m.idempotency_key() << "\n";
  if (!m.fallback_from().empty()) std::cout << "  replaces: " << m.fallback_from() << "\n";
  if (!m.provider_message_id().empty()) {
    std::cout << "  provider: " << m.provider_message_id() << "\n";
  }
  if (!m.last_error().empty()) std::cout << "  error:    " << m.last_error() << "\n";
  Table t({"time", "from", "to", "worker", "reason"});
  for (const v1::MessageEvent& e : m.history()) {
    t.AddRow({LocalText("", e.time().seconds()), absl::AsciiStrToLower(e.from_state()),
              absl::AsciiStrToLower(e.to_state()), e.worker(), Clip(e.reason(), 90)});
  }
  t.Print(std::cout);
}

struct MessageListArgs {
  std::string office = "-", outage, channel, appointment;
  std::vector<std::string> states;
  int limit = kNoLimit;
};

int List(const Client& client, const MessageListArgs& a, bool json) {
  v1::ListMessagesRequest req;
  req.set_parent(Qualify("offices", a.office));
  if (!a.outage.empty()) req.set_outage(Qualify("outages", a.outage));
  req.set_channel(a.channel);
  req.set_appointment(a.appointment);
  for (const std::string& s : a.states) {
    v1::Message::State state;
    if (!v1::Message::State_Parse(absl::AsciiStrToUpper(s), &state)) {
      std::cerr << "error: unknown state \"" << s << "\"\n";
      return cli::kExitUsage;
    }
    req.add_states(state);
  }
  auto stub = v1::NotificationService::NewStub(client.channel());
  v1::ListMessagesResponse all;
  grpc::Status s = ListAll(
      req, a.limit,
      [&](const auto& r, auto* page) {
        return stub->ListMessages(client.Context().get(), r, page);
      },
      [](auto* r) { return r->mutable_messages(); }, &all);
  if (!s.ok()) return ReportError(s);
  if (json) return PrintJson(all), 0;
  if (!a.appointment.empty()) {
    for (const v1::Message& m : all.messages()) {
      PrintHistory(m);
      std::cout << "\n";
    }
    return 0;
  }
  Table t({"message", "appointment", "channel", "kind", "state", "tries", "next / last error"});
  for (const v1::Message& m : all.messages()) {
    t.AddRow({NameTail(m.name()), NameTail(m.appointment()), m.channel(),
              absl::AsciiStrToLower(v1::MessageKind_Name(m.kind())), StateText(m.state()),
              absl::StrCat(m.attempt_count()), NextOrError(m)});
  }
  t.Print(std::cout);
  std::cout << all.messages_size() << " messages\n";
  return 0;
}

int Stats(const Client& client, const std::string& outage, bool json) {
  v1::GetDeliveryStatsRequest req;
  req.set_outage(Qualify("outages", outage));
  v1::DeliveryStats stats;
  grpc::Status s = v1::NotificationService::NewStub(client.channel())
                       ->GetDeliveryStats(client.Context().get(), req, &stats);
  if (!s.ok()) return ReportError(s);
  if (json) return PrintJson(stats), 0;
  const std::vector<std::string> states = {"PENDING",   "LEASED", "SENT",
                                           "DELIVERED", "FAILED", "DEAD"};
  std::vector<std::string> header = {"office", "channel"};
  for (const auto& st : states) header.push_back(absl::AsciiStrToLower(st));
  Table t(header);
  for (const auto& row : stats.rows()) {
    std::vector<std::string> cells = {NameTail(row.office()), row.channel()};
    for (const auto& st : states) {
      auto it = row.state_counts().find(st);
      cells.push_back(absl::StrCat(it == row.state_counts().end() ? 0 : it->second));
    }
    t.AddRow(cells);
  }
  std::cout << "Delivery of " << stats.outage() << ":\n";
  t.Print(std::cout);
  std::cout << "citizens reached: " << stats.reached_citizens()
            << ", not (yet) reached: " << stats.unreached_citizens() << "\n";
  return 0;
}

}  // namespace

void AddMessageCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* messages =
      app.add_subcommand("messages", "Messages to citizens: list, history, stats, retry")
          ->require_subcommand(1);

  auto list = std::make_shared<MessageListArgs>();
  CLI::App* l = messages->add_subcommand("list", "List messages");
  l->add_option("--office", list->office, "office id (default: all you may see)");
  l->add_option("--outage", list->outage, "outage id");
  l->add_option("--state", list->states,
                "pending, leased, sent, delivered, failed or dead (repeat for several)");
  l->add_option("--channel", list->channel, "email, sms, webhook, letter, phone, file");
  l->add_option("--limit", list->limit, "at most this many (default: all)");
  l->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = List(*client, *list, global.json);
  });

  auto appointment = std::make_shared<std::string>();
  CLI::App* h = messages->add_subcommand("history", "One citizen's messages with every change");
  h->add_option("appointment", *appointment, "offices/{office}/appointments/{id} or OFFICE/ID")
      ->required();
  h->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    MessageListArgs args;
    args.appointment = *appointment;
    if (appointment->rfind("offices/", 0) != 0) {
      const std::size_t slash = appointment->find('/');
      args.appointment = slash == std::string::npos
                             ? *appointment
                             : api::AppointmentResourceName(appointment->substr(0, slash),
                                                            appointment->substr(slash + 1));
    }
    *exit_code = List(*client, args, global.json);
  });

  auto show = std::make_shared<std::string>();
  CLI::App* sh = messages->add_subcommand("show", "One message with its history");
  sh->add_option("message", *show, "offices/{office}/messages/{id}")->required();
  sh->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::GetMessageRequest req;
    req.set_name(*show);
    v1::Message m;
    grpc::Status s = v1::NotificationService::NewStub(client->channel())
                         ->GetMessage(client->Context().get(), req, &m);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(m);
    PrintHistory(m);
  });

  auto outage = std::make_shared<std::string>();
  CLI::App* st = messages->add_subcommand("stats", "Delivery per office and channel of an outage");
  st->add_option("outage", *outage, "outage id or name")->required();
  st->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Stats(*client, *outage, global.json);
  });

  struct Retry {
    std::string name, request_id;
  };
  auto retry = std::make_shared<Retry>();
  CLI::App* r = messages->add_subcommand("retry", "Send a dead message again");
  r->add_option("message", retry->name, "offices/{office}/messages/{id}")->required();
  r->add_option("--request-id", retry->request_id, "idempotency key (default: random)");
  r->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::RetryMessageRequest req;
    req.set_name(retry->name);
    req.set_request_id(retry->request_id.empty() ? NewRequestId() : retry->request_id);
    v1::Message m;
    grpc::Status s = client->CallWithRetry(0, [&](grpc::ClientContext* ctx) {
      return v1::NotificationService::NewStub(client->channel())->RetryMessage(ctx, req, &m);
    });
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(m);
    std::cout << "Queued again: ";
    PrintHistory(m);
  });
}

}  // namespace rebook::ctl
