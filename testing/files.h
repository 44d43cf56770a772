// Temporary folders and file reading for tests and benchmarks: the one place that decides where
// scratch files go and when they are removed.
//
//   ScopedTempDir dir("rebook-outbox");               // <tmp>/rebook-outbox-XXXXXX, created
//   Open(dir.File("rebook.db"));
//   // destructor: removes the folder and everything in it
//
// Folders go under $TEST_TMPDIR, else $TMPDIR, else /tmp (the order of ::testing::TempDir()),
// and are made with mkdtemp, so concurrent tests and processes never share one. Setting
// REBOOK_KEEP_TEST_DIR keeps every ScopedTempDir for a post-mortem. A test or benchmark that
// cannot get a folder cannot run: creation failures abort with a message on stderr.
// Thread-safe; no gtest dependency (benchmarks use it too).
#ifndef REBOOK_TESTING_FILES_H_
#define REBOOK_TESTING_FILES_H_

#include <filesystem>
#include <string>

#include "absl/strings/string_view.h"

namespace rebook::testing {

// A fresh folder "<base>/<prefix>-XXXXXX"; `base` defaults to the temporary folder above.
// Nothing removes it: the caller owns it.
std::string MakeTempDir(absl::string_view prefix, const std::string& base = "");

// A fresh folder, removed (recursively) by the destructor unless Keep() was called or
// REBOOK_KEEP_TEST_DIR is set. Movable, not copyable.
class ScopedTempDir {
 public:
  explicit ScopedTempDir(absl::string_view prefix, const std::string& base = "");
  ScopedTempDir(ScopedTempDir&& other) noexcept;
  ScopedTempDir& operator=(ScopedTempDir&& other) noexcept;
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir();

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the folder (not created).
  std::string File(absl::string_view name) const;
  // Leaves the folder in place when this object goes.
  void Keep() { keep_ = true; }

 private:
  void Remove();

  std::filesystem::path path_;
  bool keep_ = false;
};

// The whole content of a file, or "" if it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace rebook::testing

#endif  // REBOOK_TESTING_FILES_H_
