// The exit codes of rebook's command-line tools, and the one place where a failure's status code
// (absl or gRPC, which share their numbering) becomes an exit code. Messages go to stderr; stdout
// carries only answers. The codes (also in README.md, "Running it yourself"):
//
//   0  ok
//   1  failed: an internal or unknown error, or a failure with no better code
//   2  usage: the command line is wrong (unknown flag, missing argument, bad value)
//   3  invalid input: the server or the tool rejected a value or file (INVALID_ARGUMENT,
//      OUT_OF_RANGE)
//   4  not found (NOT_FOUND)
//   5  permission: no token, a wrong token or not allowed (UNAUTHENTICATED, PERMISSION_DENIED)
//   6  failed precondition: the state does not allow it now (FAILED_PRECONDITION, ABORTED,
//      ALREADY_EXISTS)
//   7  unavailable: rebookd cannot be reached or is busy; retrying may help (UNAVAILABLE,
//      DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELLED)
#ifndef REBOOK_TOOLS_COMMON_EXIT_CODES_H_
#define REBOOK_TOOLS_COMMON_EXIT_CODES_H_

#include "CLI/CLI.hpp"
#include "absl/status/status.h"

namespace rebook::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,
  kExitUsage = 2,
  kExitInvalidInput = 3,
  kExitNotFound = 4,
  kExitPermission = 5,
  kExitFailedPrecondition = 6,
  kExitUnavailable = 7,
};

// The exit code for a failure with this status code (kExitOk for kOk).
int ExitCodeFor(absl::StatusCode code);

// For a CLI11 parse error: prints help or version to stdout (exit 0) or the error to stderr and
// returns kExitUsage.
int ExitForParseError(CLI::App& app, const CLI::ParseError& error);

}  // namespace rebook::cli

// Use in main() instead of CLI11_PARSE, whose exit codes (105-115) mean nothing to a user.
#define REBOOK_CLI_PARSE(app, argc, argv)                               \
  try {                                                                 \
    (app).parse((argc), (argv));                                        \
  } catch (const CLI::ParseError& rebook_parse_error) {                 \
    return ::rebook::cli::ExitForParseError((app), rebook_parse_error); \
  }

#endif  // REBOOK_TOOLS_COMMON_EXIT_CODES_H_
