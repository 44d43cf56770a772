#include "tools/common/exit_codes.h"

#include <iostream>

namespace rebook::cli {

int ExitCodeFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return kExitInvalidInput;
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return kExitPermission;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return kExitFailedPrecondition;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kCancelled:
      return kExitUnavailable;
    default:
      return kExitFailed;
  }
}

int ExitForParseError(CLI::App& app, const CLI::ParseError& error) {
  // app.exit prints help and version to stdout and errors (with the usage hint) to stderr.
  const int cli11_code = app.exit(error, std::cout, std::cerr);
  return cli11_code == 0 ? kExitOk : kExitUsage;
}

}  // namespace rebook::cli
