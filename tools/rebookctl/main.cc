// rebookctl: the staff command line of rebook. Speaks gRPC to rebookd.
//
//   export REBOOK_TOKEN=...      (or --token-file FILE; --token works but shows in `ps`)
//   rebookctl import scenarios/halle
//   rebookctl outage declare --office HAL-MITTE --start 2026-01-27T11:50 --end 2026-01-27T16:30
//   rebookctl outage impact outage-7k2m9x4q1c
//   rebookctl appointments list --status cancelled --json
//   rebookctl hash-token --stdin < token     # the digest for rebookd's --tokens file
//   rebookctl audit verify                    # auditor role: check the audit log's chain
//   rebookctl --server=rebook.example:8443 --ca-file=ca.pem outage list   # TLS
//   rebookctl admin backup rebook-backup.db   # admin of every office: a copy of the database
//   rebookctl report outage-7k2m9x4q1c --html report.html   # the outage report, one HTML file
//   rebookctl changes watch --after 120       # the change feed, from cursor 120 on
//
// Global flags may stand before or after the subcommand. Exit codes: tools/common/exit_codes.h.
#include <iostream>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "services/api/token_digest.h"
#include "tools/common/exit_codes.h"
#include "tools/common/global_flags.h"
#include "tools/common/version.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/completion.h"
#include "tools/rebookctl/operation_watch.h"
#include "tools/rebookctl/zms_export.h"

int main(int argc, char** argv) {
  CLI::App app{"rebookctl: rebook an outage's appointments (talks to rebookd over gRPC)"};
  app.set_version_flag("--version", rebook::VersionLine("rebookctl"));
  app.require_subcommand(1);
  rebook::ctl::GlobalOptions global;
  rebook::ctl::SetTimeoutFlag(rebook::cli::AddGlobalFlags(app, global, {.json = true}).timeout);
  bool progress = false;
  rebook::ctl::SetProgressFlag(app.add_flag("--progress", progress,
                                            "show how far a long write got, on stderr (default: "
                                            "when stderr is a terminal and --json is not given)"));

  int exit_code = 0;
  rebook::ctl::AddOutageCommands(app, global, &exit_code);
  rebook::ctl::AddAppointmentCommands(app, global, &exit_code);
  rebook::ctl::AddCapacityCommands(app, global, &exit_code);
  rebook::ctl::AddImportCommand(app, global, &exit_code);
  rebook::ctl::AddPlanCommands(app, global, &exit_code);
  rebook::ctl::AddExplainCommand(app, global, &exit_code);
  rebook::ctl::AddMessageCommands(app, global, &exit_code);
  rebook::ctl::AddOfferCommands(app, global, &exit_code);
  rebook::ctl::AddPrivacyCommands(app, global, &exit_code);
  rebook::ctl::AddAuditCommands(app, global, &exit_code);
  rebook::ctl::AddChangeCommands(app, global, &exit_code);
  rebook::ctl::AddAdminCommands(app, global, &exit_code);
  rebook::ctl::AddReportCommand(app, global, &exit_code);
  rebook::ctl::AddReferenceCommand(app, global, &exit_code);
  rebook::ctl::AddExportCommand(app, global, &exit_code);
  rebook::ctl::AddCallsCommands(app, global, &exit_code);
  rebook::ctl::AddOperationCommands(app, global, &exit_code);

  std::string token;
  bool token_stdin = false;
  CLI::App* hash = app.add_subcommand("hash-token", "Print the token-file digest of a token");
  hash->add_option("token", token, "the token, or - to read its first line from stdin");
  hash->add_flag("--stdin", token_stdin, "read the token's first line from stdin");
  hash->callback([&] {
    if (token_stdin || token == "-") {
      token.clear();
      std::getline(std::cin, token);
      token = std::string(absl::StripAsciiWhitespace(token));
    } else if (hash->count("token") == 0) {
      std::cerr << "error: hash-token needs the token, - or --stdin\n";
      return void(exit_code = rebook::cli::kExitUsage);
    }
    if (token.empty()) {
      std::cerr << "error: refusing to hash an empty token\n";
      return void(exit_code = rebook::cli::kExitUsage);
    }
    std::cout << "sha256:" << rebook::api::TokenDigest(token) << "\n";
  });

  // Shell completion from this very command tree (deploy/rebookctl.bash-completion).
  if (argc >= 2 && std::string(argv[1]) == rebook::ctl::kCompleteCommand) {
    for (const std::string& word :
         rebook::ctl::Complete(app, std::vector<std::string>(argv + 2, argv + argc))) {
      std::cout << word << "\n";
    }
    return 0;
  }
  REBOOK_CLI_PARSE(app, argc, argv);
  return exit_code;
}
