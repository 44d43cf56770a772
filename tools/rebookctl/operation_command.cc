// rebookctl operation get REQUEST_ID: how far a write with that request id got on the rebookd
// called, and how it ended (OperationService; docs/pipeline.md).
#include <iostream>

#include "absl/strings/str_cat.h"
#include "rebook/v1/operations.grpc.pb.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/operation_watch.h"

namespace rebook::ctl {

void AddOperationCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* operation =
      app.add_subcommand("operation", "Long writes of this caller on the rebookd called");
  operation->require_subcommand(1);
  auto request_id = std::make_shared<std::string>();
  CLI::App* get = operation->add_subcommand(
      "get", "How far the write sent with REQUEST_ID got, and whether it happened");
  get->add_option("request_id", *request_id, "the request id the write was sent with")->required();
  get->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::Operation op;
    grpc::Status s =
        LookUpOperation(*client, *request_id, &op, std::chrono::seconds(global.timeout_s));
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(op);
    std::cout << op.request_id() << "  " << op.method() << "\n  ";
    if (!op.finished()) {
      std::cout << "running: " << OperationText(op) << "\n";
      return;
    }
    const auto code = static_cast<absl::StatusCode>(op.status().code());
    if (code == absl::StatusCode::kOk) {
      std::cout << "finished: OK (the write happened)\n";
      return;
    }
    std::cout << "finished: " << absl::StatusCodeToString(code) << ": " << op.status().message()
              << " (nothing was changed)\n";
    *exit_code = cli::ExitCodeFor(code);
  });
}

}  // namespace rebook::ctl
