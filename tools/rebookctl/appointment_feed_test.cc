#include "tools/rebookctl/appointment_feed.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::ctl {
namespace {

using ::testing::HasSubstr;

domain::Scenario Capacity() {
  domain::Scenario s;
  s.offices.push_back({"HAL", "Halle", "DE-ST", "Europe/Berlin", "", std::chrono::hours(48)});
  s.services.push_back({"kfz", "Zulassung", domain::ServiceCategory::kVehicleRegistration, 15});
  return s;
}

// appointments.csv with `rows` rows; the row on `bad_line` (1-based, header is 1) has an
// unknown service.
std::filesystem::path WriteCsv(const std::string& name, int rows, int bad_line = 0) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / "appointments.csv");
  out << "appointment_id,office_id,service_id,original_start\n";
  for (int i = 0; i < rows; ++i) {
    out << "A" << i << ",HAL," << (i + 2 == bad_line ? "boot" : "kfz") << ",2026-01-27T12:00\n";
  }
  return dir / "appointments.csv";
}

TEST(AppointmentFeedTest, HandsOutChunksInFileOrderAndCountsThem) {
  auto feed = AppointmentFeed::ReadCsv(WriteCsv("feed-ok", 5), Capacity(), 2);
  EXPECT_EQ(feed->expected(), 6u);  // lines: the header and 5 rows
  std::vector<std::string> names;
  std::vector<std::size_t> sizes;
  for (std::size_t i = 0; const AppointmentFeed::Records* chunk = feed->Chunk(i); ++i) {
    sizes.push_back(chunk->size());
    for (const auto& a : *chunk) names.push_back(a.name());
  }
  EXPECT_TRUE(feed->status().ok()) << feed->status();
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));
  ASSERT_EQ(feed->size(), 5u);
  EXPECT_EQ(names.front(), "offices/HAL/appointments/A0");
  EXPECT_EQ(feed->at(4).name(), "offices/HAL/appointments/A4");
  EXPECT_EQ(feed->at(4).time_zone(), "Europe/Berlin");
  // Handed out again for a retry.
  ASSERT_NE(feed->Chunk(0), nullptr);
  EXPECT_EQ(feed->Chunk(3), nullptr);
}

TEST(AppointmentFeedTest, ACsvErrorEndsTheFeedNamingFileLineAndColumn) {
  auto feed = AppointmentFeed::ReadCsv(WriteCsv("feed-bad", 50, 40), Capacity(), 4);
  std::size_t handed = 0;
  for (std::size_t i = 0; const AppointmentFeed::Records* chunk = feed->Chunk(i); ++i) {
    handed += chunk->size();
  }
  EXPECT_LT(handed, 39u);              // never the rows around or after the error
  EXPECT_EQ(feed->Chunk(0), nullptr);  // after the error nothing is handed out any more
  EXPECT_THAT(std::string(feed->status().message()),
              HasSubstr("appointments.csv:40:3 (service_id): unknown service \"boot\""));
}

TEST(AppointmentFeedTest, AMissingFileIsAnError) {
  auto feed = AppointmentFeed::ReadCsv(std::filesystem::path(::testing::TempDir()) / "none.csv",
                                       Capacity(), 4);
  EXPECT_EQ(feed->Chunk(0), nullptr);
  EXPECT_EQ(feed->status().code(), absl::StatusCode::kNotFound);
}

TEST(AppointmentFeedTest, RecordsKnownAlreadyAreChunked) {
  AppointmentFeed::Records all(3);
  all[2].set_name("offices/HAL/appointments/C");
  auto feed = AppointmentFeed::FromRecords(std::move(all), 2);
  ASSERT_NE(feed->Chunk(1), nullptr);
  EXPECT_EQ(feed->Chunk(1)->size(), 1u);
  EXPECT_EQ(feed->at(2).name(), "offices/HAL/appointments/C");
  EXPECT_EQ(feed->Chunk(2), nullptr);
}

}  // namespace
}  // namespace rebook::ctl
