// AppointmentFeed: an import's appointments as API records, produced while they are sent.
//
// `rebookctl import` used to read the whole bundle before its first message; a region bundle's
// 100,000 appointments took about a second of reading before rebookd saw anything. A feed reads
// appointments.csv on a thread of its own and publishes the records in chunks of `chunk`, so
// the sender streams each chunk as soon as it is read while rebookd converts the ones before:
//
//   auto feed = AppointmentFeed::ReadCsv(dir / "appointments.csv", capacity, 1000);
//   for (std::size_t i = 0; const auto* chunk = feed->Chunk(i); ++i) Send(*chunk);
//   if (!feed->status().ok()) ...  // a CSV error: cancel the call, nothing is imported
//
// Errors: the reading stops at the first CSV error, which status() returns as the bundle
// reader words it ("appointments.csv:17:5 (deadline): ..."); the caller then cancels its call,
// so rebookd, which stores an import only after a clean end of its stream, stores nothing.
// Every chunk stays in the feed (a retry sends them again; violations are placed by index).
// Thread-safe: one reader thread inside, any thread may call the methods.
#ifndef REBOOK_TOOLS_REBOOKCTL_APPOINTMENT_FEED_H_
#define REBOOK_TOOLS_REBOOKCTL_APPOINTMENT_FEED_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "rebook/v1/appointments.pb.h"
#include "services/domain/model.h"

namespace rebook::ctl {

class AppointmentFeed {
 public:
  using Records = std::vector<rebook::v1::Appointment>;

  // Records known already (a foreign export's), cut into chunks; finished at once.
  static std::unique_ptr<AppointmentFeed> FromRecords(Records all, std::size_t chunk);
  // Starts reading `path` (appointments.csv rows; office and service ids must be among the
  // offices and services of `capacity`, times in each office's zone) on a thread of its own.
  static std::unique_ptr<AppointmentFeed> ReadCsv(const std::filesystem::path& path,
                                                  const domain::Scenario& capacity,
                                                  std::size_t chunk);
  // Stops the reading (if still running) and waits for its thread.
  ~AppointmentFeed();
  AppointmentFeed(const AppointmentFeed&) = delete;
  AppointmentFeed& operator=(const AppointmentFeed&) = delete;

  // Chunk `i` (0-based), waiting until it is complete; nullptr when there is none, because the
  // records ended or the reading failed (status() says which). The chunk lives as long as the
  // feed.
  const Records* Chunk(std::size_t i);
  // Waits until the reading ended: OK, or its first error.
  absl::Status status();
  // Waits until the reading ended: the number of records read.
  std::size_t size();
  // Record `i` (< size()), for placing a violation.
  const rebook::v1::Appointment& at(std::size_t i);
  // An upper bound on the number of records, known at once (the file's lines), for deadlines
  // and progress.
  std::size_t expected() const { return expected_; }

 private:
  explicit AppointmentFeed(std::size_t chunk) : chunk_(chunk) {}
  void Publish(Records records);
  void End(absl::Status status);
  void WaitEnd();

  const std::size_t chunk_;
  std::size_t expected_ = 0;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Records> chunks_;  // push_back keeps references to earlier chunks valid
  std::size_t count_ = 0;
  bool ended_ = false;
  absl::Status status_;
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_APPOINTMENT_FEED_H_
