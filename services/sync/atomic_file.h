// Durable whole-file writes for rebook-sync: the cursor file and the csv sink's batch files.
//
// WriteFileAtomically(path, content) writes `<path>.tmp`, fsyncs it, renames it over `path`
// and fsyncs the folder, so that after a crash or power loss `path` holds either its old
// content or the new one, never a mix, and once it returns OK the new content survives.
// A leftover `<path>.tmp` from a crash is overwritten by the next write. Not safe against two
// processes writing the same path at once (rebook-sync runs one worker per state folder).
//
// CursorFile: the last cursor a sink has durably received, as one decimal line.
#ifndef REBOOK_SERVICES_SYNC_ATOMIC_FILE_H_
#define REBOOK_SERVICES_SYNC_ATOMIC_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rebook::sync {

// UNAVAILABLE naming the path and the failing step (open, write, fsync, rename).
absl::Status WriteFileAtomically(const std::string& path, std::string_view content);

class CursorFile {
 public:
  explicit CursorFile(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // 0 if the file does not exist (start from the oldest retained event). DATA_LOSS naming the
  // file if it holds anything but one non-negative integer (a line end is optional).
  absl::StatusOr<std::int64_t> Load() const;
  // Atomically replaces the file (WriteFileAtomically).
  absl::Status Save(std::int64_t cursor) const;

 private:
  std::string path_;
};

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_ATOMIC_FILE_H_
