// rebook-batch: the scheduled job of rebook. Expires due offers (queuing due reminders), then
// re-plans every active outage the principal may see, over gRPC.
//
//   rebook-batch --server=127.0.0.1:8443 --token-file=/etc/rebook/batch.token
//   rebook-batch --server=rebook.example:8443 --ca-file=ca.pem ...   # TLS (docs/security.md)
//
// Run it from a timer (e.g. every 15 minutes). It is idempotent and safe to run twice at once:
// ProcessExpiries only changes what is due, each run in one transaction, and a re-plan that
// finds nothing to change commits nothing; concurrent re-plans of one outage are serialised by
// the server (the loser re-reads and usually finds nothing left to do). Exit code 0 if every
// step succeeded, 1 otherwise (the other outages are still re-planned).
#include <iostream>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "tools/common/exit_codes.h"
#include "tools/common/global_flags.h"
#include "tools/common/version.h"
#include "tools/rebookctl/client.h"

namespace {

namespace v1 = ::rebook::v1;
using rebook::ctl::Client;

// The active outages the principal may see.
grpc::Status ActiveOutages(const Client& client, std::vector<std::string>* names) {
  auto stub = v1::OutageService::NewStub(client.channel());
  v1::ListOutagesRequest req;
  req.set_state(v1::Outage::ACTIVE);
  req.set_page_size(100);
  do {
    v1::ListOutagesResponse resp;
    grpc::Status s = stub->ListOutages(client.Context().get(), req, &resp);
    if (!s.ok()) return s;
    for (const auto& o : resp.outages()) names->push_back(o.name());
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return grpc::Status::OK;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rebook-batch: expire due offers, then re-plan every active outage"};
  app.set_version_flag("--version", rebook::VersionLine("rebook-batch"));
  rebook::ctl::GlobalOptions global;
  rebook::cli::AddGlobalFlags(app, global);
  bool skip_replan = false;
  int attempts = 3;
  app.add_option("--attempts", attempts, "tries per re-plan while the outage keeps changing")
      ->capture_default_str();
  app.add_flag("--expiries-only", skip_replan, "only expire offers and queue reminders");
  REBOOK_CLI_PARSE(app, argc, argv);

  auto client = Client::Connect(global);
  if (!client.ok()) return rebook::ctl::ReportError(client.status());
  int exit_code = 0;

  v1::ProcessExpiriesRequest expire;
  v1::ProcessExpiriesResponse expired;
  grpc::Status s = v1::OfferService::NewStub(client->channel())
                       ->ProcessExpiries(client->Context().get(), expire, &expired);
  if (!s.ok()) return rebook::ctl::ReportError(s);
  std::cout << absl::StrFormat("expiries: %d offers expired, %d reminders queued\n",
                               expired.expired_count(), expired.reminders_queued());
  if (skip_replan) return 0;

  std::vector<std::string> outages;
  s = ActiveOutages(*client, &outages);
  if (!s.ok()) return rebook::ctl::ReportError(s);
  auto plans = v1::PlanService::NewStub(client->channel());
  for (const std::string& outage : outages) {
    v1::Plan plan;
    for (int attempt = 1; attempt <= std::max(1, attempts); ++attempt) {
      v1::ReplanOutageRequest req;
      req.set_outage(outage);
      s = plans->ReplanOutage(client->Context().get(), req, &plan);
      if (s.error_code() != grpc::StatusCode::ABORTED) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
    }
    if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      std::cout << outage << ": not re-planned: " << s.error_message() << "\n";
      continue;
    }
    if (!s.ok()) {
      std::cerr << outage << ": ";
      exit_code = rebook::ctl::ReportError(s);
      continue;
    }
    std::cout << absl::StrFormat("%s: plan %s (%s), %d assigned, %d unassigned\n", outage,
                                 plan.name(), plan.base_plan().empty() ? "first plan" : "re-plan",
                                 plan.summary().assigned_count(),
                                 plan.summary().unassigned_count());
  }
  return exit_code;
}
