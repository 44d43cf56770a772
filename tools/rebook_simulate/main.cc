// rebook-simulate: a demo and test facility that plays the citizens and moves the clock.
//
//   rebook-simulate respond --messages var/demo/messages.jsonl --seed 7
//   rebook-simulate clock --advance-hours 72
//
// `respond` reads the messages the notifier's `file` channel wrote (one JSON line per send,
// services/notify/message_json.h), takes the response token from each offer message, as a
// citizen would from their e-mail or letter, and answers through OfferService.RespondToOffer
// with the token alone (no bearer token): by default 60% accept, 25% decline, 15% stay silent
// until the offer expires. Before that, a share of the citizens (default 5%) is reported
// self-rebooked through the staff feed (BatchMarkSelfRebooked, with the bearer token). Each
// decision is a function of (seed, token), so a re-run decides the same and answers only offers
// it has not answered yet (the server treats a repeated answer as a no-op anyway).
//
// `clock` advances the server's simulated clock (SimulationService; rebookd must run with
// --simulated_time, and the token must be an admin's).
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "rebook/v1/simulation.grpc.pb.h"
#include "services/domain/local_time.h"
#include "tools/common/exit_codes.h"
#include "tools/common/global_flags.h"
#include "tools/common/version.h"
#include "tools/rebookctl/client.h"

namespace {

namespace v1 = ::rebook::v1;
using rebook::ctl::Client;

struct RespondArgs {
  std::string messages;
  std::uint64_t seed = 1;
  double accept = 0.60, decline = 0.25, self_rebooked = 0.05;
};

struct OfferMessage {
  std::string token;
  std::string appointment_id;
};

enum class Choice { kAccept, kDecline, kSilent, kSelfRebooked };

// The same (seed, token) always gives the same choice.
Choice Decide(const RespondArgs& a, const std::string& token) {
  std::seed_seq seq{static_cast<std::uint32_t>(a.seed), static_cast<std::uint32_t>(a.seed >> 32),
                    static_cast<std::uint32_t>(std::hash<std::string>{}(token))};
  std::mt19937_64 rng(seq);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  if (u(rng) < a.self_rebooked) return Choice::kSelfRebooked;
  const double x = u(rng);
  if (x < a.accept) return Choice::kAccept;
  if (x < a.accept + a.decline) return Choice::kDecline;
  return Choice::kSilent;
}

// Offer messages of the file, one per token (a retried send appears twice).
absl::StatusOr<std::vector<OfferMessage>> ReadOffers(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<OfferMessage> out;
  std::set<std::string> seen;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", n, ": not JSON"));
    }
    if (j.value("kind", "") != "offer") continue;
    std::string token = j.value("response_token", "");
    if (token.empty() || !seen.insert(token).second) continue;
    out.push_back({token, j["key"].value("appointment_id", "")});
  }
  return out;
}

// appointment id -> its resource name, from the open offers the staff principal sees.
absl::StatusOr<std::map<std::string, std::string>> OpenOfferAppointments(const Client& client) {
  std::map<std::string, std::string> out;
  auto stub = v1::OfferService::NewStub(client.channel());
  v1::ListOffersRequest req;
  req.set_parent("offices/-");
  req.add_states(v1::Offer::OPEN);
  req.set_page_size(1000);
  do {
    v1::ListOffersResponse resp;
    grpc::Status s = stub->ListOffers(client.Context().get(), req, &resp);
    if (!s.ok())
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
    for (const auto& o : resp.offers()) {
      const std::string appointment = o.name().substr(0, o.name().find("/offers/"));
      out[appointment.substr(appointment.rfind('/') + 1)] = appointment;
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

int Respond(const rebook::ctl::GlobalOptions& global, const RespondArgs& args) {
  auto client = Client::Connect(global);
  if (!client.ok()) return rebook::ctl::ReportError(client.status());
  auto offers = ReadOffers(args.messages);
  if (!offers.ok()) return rebook::ctl::ReportError(offers.status());
  auto open = OpenOfferAppointments(*client);
  if (!open.ok()) return rebook::ctl::ReportError(open.status());

  // The staff feed first: citizens who booked elsewhere never answer.
  v1::BatchMarkSelfRebookedRequest feed;
  std::map<Choice, int> counts;
  std::vector<std::pair<std::string, Choice>> answers;
  for (const OfferMessage& m : *offers) {
    Choice c = Decide(args, m.token);
    if (c == Choice::kSelfRebooked) {
      auto name = open->find(m.appointment_id);
      if (name == open->end()) continue;  // answered, expired or withdrawn already
      feed.add_requests()->set_name(name->second);
      ++counts[c];
      continue;
    }
    answers.emplace_back(m.token, c);
  }
  if (feed.requests_size() > 0) {
    v1::BatchMarkSelfRebookedResponse resp;
    grpc::Status s = v1::AppointmentService::NewStub(client->channel())
                         ->BatchMarkSelfRebooked(client->Context().get(), feed, &resp);
    if (!s.ok()) return rebook::ctl::ReportError(s);
  }

  // Citizens answer with the token alone, as the link in their message does.
  auto stub = v1::OfferService::NewStub(client->channel());
  int refused = 0;
  for (const auto& [token, choice] : answers) {
    if (choice == Choice::kSilent) {
      ++counts[choice];
      continue;
    }
    v1::RespondToOfferRequest req;
    req.set_token(token);
    req.set_response(choice == Choice::kAccept ? v1::ACCEPT : v1::DECLINE);
    v1::PublicOffer resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(global.timeout_s));
    grpc::Status s = stub->RespondToOffer(&ctx, req, &resp);
    if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      ++refused;  // expired or withdrawn meanwhile: the server said why and changed nothing
      continue;
    }
    if (!s.ok()) return rebook::ctl::ReportError(s);
    ++counts[choice];
  }
  std::cout << absl::StrFormat(
      "citizens: %d offers read; %d accepted, %d declined, %d silent, %d self-rebooked, %d "
      "answers refused (offer no longer open)\n",
      offers->size(), counts[Choice::kAccept], counts[Choice::kDecline], counts[Choice::kSilent],
      counts[Choice::kSelfRebooked], refused);
  return 0;
}

int Clock(const rebook::ctl::GlobalOptions& global, int advance_hours) {
  auto client = Client::Connect(global);
  if (!client.ok()) return rebook::ctl::ReportError(client.status());
  auto stub = v1::SimulationService::NewStub(client->channel());
  v1::SimulatedTime now;
  grpc::Status s;
  if (advance_hours > 0) {
    v1::AdvanceSimulatedTimeRequest req;
    req.mutable_by()->set_seconds(std::int64_t{advance_hours} * 3600);
    s = stub->AdvanceSimulatedTime(client->Context().get(), req, &now);
  } else {
    s = stub->GetSimulatedTime(client->Context().get(), {}, &now);
  }
  if (!s.ok()) return rebook::ctl::ReportError(s);
  rebook::Instant t{std::chrono::seconds(now.now().seconds())};
  std::cout << "simulated time: " << rebook::domain::FormatLocal("Europe/Berlin", t)
            << " Europe/Berlin (" << rebook::domain::FormatUtc(t) << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rebook-simulate: play the citizens and move the simulated clock (demo, tests)"};
  app.set_version_flag("--version", rebook::VersionLine("rebook-simulate"));
  app.require_subcommand(1);
  rebook::ctl::GlobalOptions global;
  rebook::cli::AddGlobalFlags(app, global, {.token_help = "staff bearer token ($REBOOK_TOKEN)"});

  RespondArgs args;
  CLI::App* respond = app.add_subcommand("respond", "Answer the offers of a file-channel log");
  respond->add_option("--messages", args.messages, "JSON lines written by the file channel")
      ->required();
  respond->add_option("--seed", args.seed, "seed of the citizens' choices")->capture_default_str();
  respond->add_option("--accept", args.accept, "share that accepts")->capture_default_str();
  respond->add_option("--decline", args.decline, "share that declines")->capture_default_str();
  respond->add_option("--self-rebooked", args.self_rebooked, "share reported self-rebooked")
      ->capture_default_str();

  int advance_hours = 0;
  CLI::App* clock = app.add_subcommand("clock", "Show or advance the simulated time");
  clock->add_option("--advance-hours", advance_hours, "move it forward by this many hours");

  REBOOK_CLI_PARSE(app, argc, argv);
  if (*respond) return Respond(global, args);
  return Clock(global, advance_hours);
}
