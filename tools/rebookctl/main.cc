// rebookctl: the staff command line of rebook. Speaks gRPC to rebookd.
//
//   export REBOOK_TOKEN=...
//   rebookctl import scenarios/halle
//   rebookctl outage declare --office HAL-MITTE --start 2026-01-27T11:50 --end 2026-01-27T16:30
//   rebookctl outage impact outage-7k2m9x4q1c
//   rebookctl appointments list --status cancelled --json
#include <iostream>

#include "CLI/CLI.hpp"
#include "services/api/token_digest.h"
#include "tools/common/global_flags.h"
#include "tools/rebookctl/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"rebookctl: rebook an outage's appointments (talks to rebookd over gRPC)"};
  app.require_subcommand(1);
  rebook::ctl::GlobalOptions global;
  rebook::cli::AddGlobalFlags(app, global, {.json = true});

  int exit_code = 0;
  rebook::ctl::AddOutageCommands(app, global, &exit_code);
  rebook::ctl::AddAppointmentCommands(app, global, &exit_code);
  rebook::ctl::AddCapacityCommands(app, global, &exit_code);
  rebook::ctl::AddImportCommand(app, global, &exit_code);
  rebook::ctl::AddPlanCommands(app, global, &exit_code);
  rebook::ctl::AddMessageCommands(app, global, &exit_code);
  rebook::ctl::AddOfferCommands(app, global, &exit_code);

  std::string token;
  CLI::App* hash = app.add_subcommand("hash-token", "Print the token-file digest of a token");
  hash->add_option("token", token, "the token (read from stdin if omitted)");
  hash->callback([&] {
    if (token.empty()) std::getline(std::cin, token);
    std::cout << "sha256:" << rebook::api::TokenDigest(token) << "\n";
  });

  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
