#include "tools/common/version.h"

#include "tools/common/build_version.h"  // generated into the build tree

namespace rebook {

std::string_view ProjectVersion() { return REBOOK_BUILD_VERSION; }

std::string_view BuildCommit() { return REBOOK_BUILD_COMMIT; }

std::string VersionLine(std::string_view program) {
  std::string line(program);
  line.append(" ").append(ProjectVersion()).append(" (commit ").append(BuildCommit()).append(")");
  return line;
}

}  // namespace rebook
