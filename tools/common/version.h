// The version of rebook's programs: the CMake project version and the git commit the build was
// configured from ("unknown" outside a git checkout; re-run cmake to refresh it). Every tool's
// --version prints VersionLine:
//
//   rebookd 0.1.0 (commit 3dfa0a4)
#ifndef REBOOK_TOOLS_COMMON_VERSION_H_
#define REBOOK_TOOLS_COMMON_VERSION_H_

#include <string>
#include <string_view>

namespace rebook {

// "0.1.0", from project(rebook VERSION ...).
std::string_view ProjectVersion();

// The short git commit hash, or "unknown".
std::string_view BuildCommit();

// "<program> <version> (commit <commit>)", without a newline.
std::string VersionLine(std::string_view program);

}  // namespace rebook

#endif  // REBOOK_TOOLS_COMMON_VERSION_H_
