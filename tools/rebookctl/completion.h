// Shell completion for rebookctl, read from its own CLI11 command tree, so the completion never
// drifts from the commands: `rebookctl __complete WORD...` prints, one per line, the
// subcommands and options that may follow WORD... (the last word is the one being typed and
// filters the list). deploy/rebookctl.bash-completion calls it from bash.
//
//   rebookctl __complete ""                 # every top-level subcommand and global flag
//   rebookctl __complete outage d           # "declare", "delete", ... under `outage`
//
// Global flags (the root's options) are offered at every level, as they are accepted there.
// Hidden subcommands (empty group) are not offered. Thread-compatible; no I/O.
#ifndef REBOOK_TOOLS_REBOOKCTL_COMPLETION_H_
#define REBOOK_TOOLS_REBOOKCTL_COMPLETION_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace rebook::ctl {

// The hidden first argument that turns rebookctl into its own completer.
inline constexpr char kCompleteCommand[] = "__complete";

// The completions of words.back() after words[0..n-2] (arguments after the program name).
// An empty `words` completes an empty word at the top level.
std::vector<std::string> Complete(CLI::App& app, const std::vector<std::string>& words);

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_COMPLETION_H_
