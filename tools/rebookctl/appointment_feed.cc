#include "tools/rebookctl/appointment_feed.h"

#include <cstdio>
#include <string>
#include <unordered_map>
#include <utility>

#include "services/api/convert.h"
#include "services/bundle/appointments_csv.h"
#include "services/bundle/csv_reader.h"

namespace rebook::ctl {
namespace {

// Newlines in the file: at least its records plus the header (a quoted field may span lines).
std::size_t CountLines(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return 0;
  std::size_t lines = 0;
  char buf[1 << 16];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) {
    for (std::size_t i = 0; i < n; ++i) lines += buf[i] == '\n';
  }
  std::fclose(f);
  return lines;
}

}  // namespace

std::unique_ptr<AppointmentFeed> AppointmentFeed::FromRecords(Records all, std::size_t chunk) {
  std::unique_ptr<AppointmentFeed> feed(new AppointmentFeed(chunk));
  feed->expected_ = all.size();
  for (std::size_t start = 0; start < all.size(); start += chunk) {
    std::size_t end = std::min(all.size(), start + chunk);
    feed->Publish(Records(std::make_move_iterator(all.begin() + start),
                          std::make_move_iterator(all.begin() + end)));
  }
  feed->End(absl::OkStatus());
  return feed;
}

std::unique_ptr<AppointmentFeed> AppointmentFeed::ReadCsv(const std::filesystem::path& path,
                                                          const domain::Scenario& capacity,
                                                          std::size_t chunk) {
  std::unique_ptr<AppointmentFeed> feed(new AppointmentFeed(chunk));
  feed->expected_ = CountLines(path);
  feed->reader_ = std::thread(
      [feed = feed.get(), path, offices = capacity.offices, services = capacity.services] {
        std::unordered_map<std::string, std::string> zone;
        for (const domain::Office& o : offices) zone.emplace(o.id, o.time_zone);
        auto zone_of = [&](const std::string& office) {
          auto it = zone.find(office);
          return it == zone.end() ? std::string() : it->second;
        };
        absl::StatusOr<std::unique_ptr<bundle::CsvReader>> csv =
            bundle::CsvReader::Open(path, path.filename().string());
        if (!csv.ok()) return feed->End(csv.status());
        Records records;
        records.reserve(feed->chunk_);
        absl::Status read = bundle::ForEachAppointment(
            **csv, offices, services, [&](domain::Appointment&& a) -> absl::Status {
              api::ToProto(a, zone_of, &records.emplace_back());
              if (records.size() < feed->chunk_) return absl::OkStatus();
              if (feed->stop_.load(std::memory_order_relaxed)) {
                return absl::CancelledError("the import stopped before appointments.csv was read");
              }
              feed->Publish(std::exchange(records, {}));
              records.reserve(feed->chunk_);
              return absl::OkStatus();
            });
        if (read.ok() && !records.empty()) feed->Publish(std::move(records));
        feed->End(read);
      });
  return feed;
}

AppointmentFeed::~AppointmentFeed() {
  stop_ = true;
  if (reader_.joinable()) reader_.join();
}

void AppointmentFeed::Publish(Records records) {
  std::lock_guard<std::mutex> lock(mu_);
  count_ += records.size();
  chunks_.push_back(std::move(records));
  changed_.notify_all();
}

void AppointmentFeed::End(absl::Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  status_ = std::move(status);
  ended_ = true;
  changed_.notify_all();
}

void AppointmentFeed::WaitEnd() {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return ended_; });
}

const AppointmentFeed::Records* AppointmentFeed::Chunk(std::size_t i) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return ended_ || i < chunks_.size(); });
  // A failed reading hands out nothing more: what it read before the error is not a whole file.
  if (i >= chunks_.size() || !status_.ok()) return nullptr;
  return &chunks_[i];
}

absl::Status AppointmentFeed::status() {
  WaitEnd();
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

std::size_t AppointmentFeed::size() {
  WaitEnd();
  std::lock_guard<std::mutex> lock(mu_);
  return count_;
}

const v1::Appointment& AppointmentFeed::at(std::size_t i) {
  WaitEnd();
  std::lock_guard<std::mutex> lock(mu_);
  return chunks_[i / chunk_][i % chunk_];
}

}  // namespace rebook::ctl
