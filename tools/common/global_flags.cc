#include "tools/common/global_flags.h"

#include <cstdlib>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace rebook::cli {

GlobalFlags AddGlobalFlags(CLI::App& app, GlobalOptions& options, const GlobalFlagSpec& spec) {
  GlobalFlags flags;
  // Subcommands added later inherit this: an option a subcommand does not know is handed up to
  // `app`, so `rebookctl appointments list --json` reads like `rebookctl --json appointments list`.
  app.fallthrough();
  flags.server = app.add_option("--server", options.server, "rebookd address host:port")
                     ->envname("REBOOK_SERVER")
                     ->capture_default_str();
  flags.token = app.add_option("--token", options.token, spec.token_help);
  flags.token_file =
      app.add_option("--token-file", options.token_file, "file whose first line is the token");
  const std::string timeout_names =
      spec.timeout_aliases.empty() ? "--timeout" : absl::StrCat("--timeout,", spec.timeout_aliases);
  flags.timeout = app.add_option(timeout_names, options.timeout_s, "seconds per call")
                      ->check(CLI::PositiveNumber)
                      ->capture_default_str();
  app.add_flag("--tls", options.tls, "speak TLS to rebookd (implied by the next three)")
      ->envname("REBOOK_TLS");
  app.add_option("--ca-file", options.ca_file,
                 "PEM CA certificates that sign rebookd's certificate (default: system roots)")
      ->envname("REBOOK_CA_FILE");
  app.add_option("--client-cert", options.client_cert,
                 "PEM client certificate, for a rebookd that requires one (mutual TLS)")
      ->envname("REBOOK_CLIENT_CERT");
  app.add_option("--client-key", options.client_key, "PEM private key of --client-cert")
      ->envname("REBOOK_CLIENT_KEY");
  if (spec.json) flags.json = app.add_flag("--json", options.json, "print JSON instead of tables");
  return flags;
}

absl::StatusOr<std::string> ResolveToken(const GlobalOptions& options) {
  if (!options.token.empty()) return options.token;
  if (!options.token_file.empty()) {
    std::ifstream in(options.token_file);
    if (!in) return absl::NotFoundError("cannot read token file " + options.token_file);
    std::string line;
    std::getline(in, line);
    std::string token(absl::StripAsciiWhitespace(line));
    if (!token.empty()) return token;
  }
  if (const char* env = std::getenv("REBOOK_TOKEN"); env != nullptr && *env != '\0') return env;
  return absl::UnauthenticatedError("no token: pass --token, --token-file or set REBOOK_TOKEN");
}

}  // namespace rebook::cli
