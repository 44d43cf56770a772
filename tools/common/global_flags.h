// The global flags of the command-line clients of rebookd (rebookctl, rebook-batch,
// rebook-notifier, rebook-simulate), defined in one place so that they read the same everywhere:
//
//   --server HOST:PORT   rebookd's address; default $REBOOK_SERVER, else 127.0.0.1:8443
//   --token T            bearer token
//   --token-file F       file whose first line is the token
//   --timeout S          seconds per call (tools may add old names, e.g. --rpc-timeout-seconds)
//   --json               print JSON instead of tables (tools that print answers)
//   --tls                speak TLS to rebookd (implied by the three below; $REBOOK_TLS)
//   --ca-file F          PEM CA certificates that sign rebookd's certificate; default: the
//                        system's roots ($REBOOK_CA_FILE)
//   --client-cert F      PEM client certificate, for a rebookd that requires one (mutual TLS;
//                        $REBOOK_CLIENT_CERT)
//   --client-key F       its PEM private key ($REBOOK_CLIENT_KEY)
//
// The token is the --token value, else the first line of --token-file, else $REBOOK_TOKEN
// (ResolveToken). Usage:
//
//   CLI::App app{"rebook-batch: ..."};
//   rebook::cli::GlobalOptions global;
//   rebook::cli::AddGlobalFlags(app, global);
//   CLI11_PARSE(app, argc, argv);
//   REBOOK_ASSIGN_OR_RETURN(std::string token, rebook::cli::ResolveToken(global));
//   REBOOK_ASSIGN_OR_RETURN(auto channel, rebook::cli::OpenChannel(global));  // client_channel.h
#ifndef REBOOK_TOOLS_COMMON_GLOBAL_FLAGS_H_
#define REBOOK_TOOLS_COMMON_GLOBAL_FLAGS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"

namespace rebook::cli {

struct GlobalOptions {
  std::string server = "127.0.0.1:8443";
  std::string token;  // --token; see ResolveToken for the other sources
  std::string token_file;
  bool json = false;   // print answers as JSON instead of tables
  int timeout_s = 60;  // per call (imports: per stream); a tool may lower the default
  bool tls = false;    // see UsesTls: the file flags imply it
  std::string ca_file;
  std::string client_cert;
  std::string client_key;

  // TLS was asked for, by --tls or by naming a CA or client certificate.
  bool UsesTls() const {
    return tls || !ca_file.empty() || !client_cert.empty() || !client_key.empty();
  }
};

// Which of the optional flags a tool has, and how they read in its --help.
struct GlobalFlagSpec {
  bool json = false;  // adds --json
  std::string token_help = "bearer token ($REBOOK_TOKEN)";
  // Extra names of --timeout, comma-separated (e.g. "--rpc-timeout-seconds"); "" for none.
  std::string timeout_aliases;
};

// The flags as added, for tool-specific checks (e.g. a range on the timeout).
struct GlobalFlags {
  CLI::Option* server = nullptr;
  CLI::Option* token = nullptr;
  CLI::Option* token_file = nullptr;
  CLI::Option* timeout = nullptr;
  CLI::Option* json = nullptr;  // null unless spec.json
};

// Adds the flags above to `app`, writing into `options` (whose values are the defaults shown in
// --help). `options` must outlive the parse. The timeout must be at least 1 second. Call it
// before adding subcommands: the flags are then accepted before or after any (nested) subcommand.
GlobalFlags AddGlobalFlags(CLI::App& app, GlobalOptions& options, const GlobalFlagSpec& spec = {});

// The bearer token: --token, else the first line of --token-file (surrounding whitespace
// removed), else $REBOOK_TOKEN. NOT_FOUND naming the file if it cannot be read; UNAUTHENTICATED
// if there is no token at all.
absl::StatusOr<std::string> ResolveToken(const GlobalOptions& options);

}  // namespace rebook::cli

#endif  // REBOOK_TOOLS_COMMON_GLOBAL_FLAGS_H_
