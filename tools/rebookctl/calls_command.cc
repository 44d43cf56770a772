// rebookctl calls import FILE: applies the results the phone team typed into a calls.csv (the
// `phone` channel's list, notify/phone/phone_channel.h) through OfferService.RecordResponse.
//
// The whole file is checked first (every row's key and result word); any error, named as
// FILE:LINE, stops the import before a single call. Each answered row is recorded with the
// request id "calls/<first 16 hex of the file's SHA-256>/<line>", so importing the same file
// twice (or again after a broken connection) records nothing twice. Rows of calls that did not
// reach the citizen change nothing: their offer stays open until it expires, and they are
// listed so that staff can call again.
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "services/api/token_digest.h"
#include "services/notify/phone/phone_channel.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

// One row of the file as the import will apply it.
struct CallResult {
  notify::CallListRow row;
  notify::CallOutcome outcome = notify::CallOutcome::kNotReached;
  std::string offer;  // offices/{office}/appointments/{appointment}/offers/{version}
};

// The offer a call-list key names: "<outage>/<appointment>/<version>/<channel>".
std::optional<std::string> OfferOfKey(const std::string& office, const std::string& key) {
  const size_t channel = key.rfind('/');
  if (channel == std::string::npos || channel == 0) return std::nullopt;
  const size_t version = key.rfind('/', channel - 1);
  const size_t outage = key.find('/');
  if (version == std::string::npos || outage >= version || office.empty()) return std::nullopt;
  int v = 0;
  if (!absl::SimpleAtoi(key.substr(version + 1, channel - version - 1), &v) || v < 1) {
    return std::nullopt;
  }
  const std::string appointment = key.substr(outage + 1, version - outage - 1);
  if (appointment.empty()) return std::nullopt;
  return absl::StrCat("offices/", office, "/appointments/", appointment, "/offers/", v);
}

std::optional<v1::OfferResponse> ResponseOf(notify::CallOutcome outcome) {
  switch (outcome) {
    case notify::CallOutcome::kAccepted:
      return v1::ACCEPT;
    case notify::CallOutcome::kDeclined:
      return v1::DECLINE;
    case notify::CallOutcome::kOtherTime:
      return v1::OTHER_TIME;
    default:
      return std::nullopt;
  }
}

// Every row with a result, checked; errors as "FILE:LINE: what" on stderr.
std::optional<std::vector<CallResult>> CheckFile(const std::string& path, int* not_called) {
  absl::StatusOr<std::vector<notify::CallListRow>> rows = notify::ReadCallList(path);
  if (!rows.ok()) {
    std::cerr << "error: " << rows.status().message() << "\n";
    return std::nullopt;
  }
  std::vector<CallResult> out;
  bool ok = true;
  for (notify::CallListRow& row : *rows) {
    if (row.result.empty()) {
      ++*not_called;
      continue;
    }
    std::optional<notify::CallOutcome> outcome = notify::ParseCallOutcome(row.result);
    std::optional<std::string> offer = OfferOfKey(row.office_id, row.key);
    if (!outcome.has_value()) {
      std::cerr << path << ":" << row.line << ": result \"" << row.result
                << "\" is none of accepted, declined, other_time, reached, not_reached, "
                   "wrong_number (or angenommen, abgelehnt, andere Zeit, erreicht, nicht "
                   "erreicht, falsche Nummer)\n";
      ok = false;
    } else if (!offer.has_value()) {
      std::cerr << path << ":" << row.line << ": key \"" << row.key << "\" or office \""
                << row.office_id << "\" is not from a rebook call list\n";
      ok = false;
    } else {
      out.push_back({std::move(row), *outcome, *std::move(offer)});
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

void AddCallsCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string file;
    bool dry_run = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* calls =
      app.add_subcommand("calls", "The phone team's call lists (calls.csv)")->require_subcommand(1);
  CLI::App* imp = calls->add_subcommand(
      "import", "Record the answers typed into a calls.csv (accepted, declined, other time)");
  imp->add_option("file", args->file, "calls.csv as saved by the spreadsheet")
      ->required()
      ->check(CLI::ExistingFile);
  imp->add_flag("--dry-run", args->dry_run, "check the file and show what would be recorded");
  imp->callback([=, &global] {
    int not_called = 0;
    std::optional<std::vector<CallResult>> results = CheckFile(args->file, &not_called);
    if (!results.has_value()) return void(*exit_code = cli::kExitInvalidInput);
    std::ifstream in(args->file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string file_id = api::TokenDigest(bytes).substr(0, 16);  // SHA-256 of the file

    std::optional<Client> client;
    if (!args->dry_run) {
      auto connected = Client::Connect(global);
      if (!connected.ok()) return void(*exit_code = ReportError(connected.status()));
      client.emplace(*std::move(connected));
    }
    Table t({"line", "reference", "result", "offer", "recorded"});
    int recorded = 0, failed = 0, call_again = 0;
    for (const CallResult& r : *results) {
      const std::optional<v1::OfferResponse> response = ResponseOf(r.outcome);
      std::string what;
      if (!response.has_value()) {
        const bool again = r.outcome == notify::CallOutcome::kNotReached ||
                           r.outcome == notify::CallOutcome::kWrongNumber;
        call_again += again ? 1 : 0;
        what = again ? "nothing: call again or find another way (the offer stays open)"
                     : "nothing: no answer to record";
      } else if (args->dry_run) {
        what = "would record";
      } else {
        v1::RecordResponseRequest req;
        req.set_name(r.offer);
        req.set_response(*response);
        req.set_response_channel("phone");
        req.set_request_id(absl::StrCat("calls/", file_id, "/", r.row.line));
        v1::Offer offer;
        grpc::Status s = client->CallWithRetry(0, [&](grpc::ClientContext* ctx) {
          return v1::OfferService::NewStub(client->channel())->RecordResponse(ctx, req, &offer);
        });
        if (s.ok()) {
          ++recorded;
          what = absl::StrCat("yes: offer ", v1::Offer::State_Name(offer.state()));
        } else {
          ++failed;
          what = absl::StrCat("no: ", s.error_message());
          std::cerr << args->file << ":" << r.row.line << ": " << r.row.reference << ": "
                    << s.error_message() << "\n";
          *exit_code = ReportError(s);
        }
      }
      t.AddRow({absl::StrCat(r.row.line), r.row.reference, std::string(notify::ToString(r.outcome)),
                r.offer, what});
    }
    t.Print(std::cout);
    std::cout << (args->dry_run ? "dry run: " : "") << recorded << " answers recorded, " << failed
              << " failed, " << call_again << " to call again, " << not_called
              << " rows not called yet\n";
  });
}

}  // namespace rebook::ctl
