// rebookctl's subcommands, one registration function per resource family.
#ifndef REBOOK_TOOLS_REBOOKCTL_COMMANDS_H_
#define REBOOK_TOOLS_REBOOKCTL_COMMANDS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "tools/rebookctl/client.h"

namespace rebook::ctl {

// Each registers its subcommands on `app`; a command's exit code is written to `*exit_code`.
void AddOutageCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddAppointmentCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddCapacityCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddImportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddPlanCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddMessageCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddOfferCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddPrivacyCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddAuditCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddAdminCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddReportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddReferenceCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddExportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddChangeCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddExplainCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
// `plan whatif`, registered by AddPlanCommands on its `plan` subcommand.
void AddPlanWhatIfCommand(CLI::App& plan, const GlobalOptions& global, int* exit_code);
void AddCallsCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
// `operation get REQUEST_ID` (operation_command.cc).
void AddOperationCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);

// Accepts a full resource name or a bare id: "HAL" -> "offices/HAL".
std::string Qualify(const std::string& collection, const std::string& name_or_id);

// "2026-01-27 11:50" in `tz`.
std::string LocalText(const std::string& tz, std::int64_t unix_seconds);

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_COMMANDS_H_
