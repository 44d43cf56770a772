// ProgressSink: how a long use case (a plan commit, an import, a solve) tells whoever waits how
// far it got, without knowing who that is (the API layer keeps it for GetOperation; tests count).
//
//   void WriteAll(std::span<const Row> rows, ProgressSink* progress) {
//     for (...) { ...; ReportProgress(progress, "writing offers", done, rows.size()); }
//   }
//
// Contract: Report is cheap (the callers call it once per chunk of rows, not per row) and
// thread-safe; `stage` is a short lower-case phrase; `done` counts units of that stage and
// never decreases while the stage stays the same; `total` is 0 when not known.
#ifndef REBOOK_SERVICES_DOMAIN_PROGRESS_H_
#define REBOOK_SERVICES_DOMAIN_PROGRESS_H_

#include <cstdint>
#include <string_view>

namespace rebook::domain {

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void Report(std::string_view stage, std::int64_t done, std::int64_t total) = 0;
};

// Reports to `sink` unless it is null (no one is watching).
inline void ReportProgress(ProgressSink* sink, std::string_view stage, std::int64_t done,
                           std::int64_t total) {
  if (sink != nullptr) sink->Report(stage, done, total);
}

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_PROGRESS_H_
