#include "testing/files.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"

namespace rebook::testing {
namespace {

std::string TempBase() {
  for (const char* var : {"TEST_TMPDIR", "TMPDIR"}) {
    const char* dir = std::getenv(var);
    if (dir != nullptr && dir[0] != '\0') return dir;
  }
  return "/tmp";
}

}  // namespace

std::string MakeTempDir(absl::string_view prefix, const std::string& base) {
  const std::string parent = base.empty() ? TempBase() : base;
  std::error_code ignored;
  std::filesystem::create_directories(parent, ignored);
  const std::string pattern = absl::StrCat(parent, "/", prefix, "-XXXXXX");
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    std::fprintf(stderr, "mkdtemp %s: %s\n", pattern.c_str(), std::strerror(errno));
    std::abort();
  }
  return std::string(buf.data());
}

ScopedTempDir::ScopedTempDir(absl::string_view prefix, const std::string& base)
    : path_(MakeTempDir(prefix, base)) {}

ScopedTempDir::ScopedTempDir(ScopedTempDir&& other) noexcept
    : path_(std::move(other.path_)), keep_(other.keep_) {
  other.path_.clear();
}

ScopedTempDir& ScopedTempDir::operator=(ScopedTempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::move(other.path_);
    keep_ = other.keep_;
    other.path_.clear();
  }
  return *this;
}

ScopedTempDir::~ScopedTempDir() { Remove(); }

void ScopedTempDir::Remove() {
  if (path_.empty() || keep_ || std::getenv("REBOOK_KEEP_TEST_DIR") != nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

std::string ScopedTempDir::File(absl::string_view name) const {
  return (path_ / std::string(name)).string();
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace rebook::testing
