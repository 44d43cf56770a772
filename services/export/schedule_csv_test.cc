#include "services/export/schedule_csv.h"

#include <gtest/gtest.h>

#include "services/bundle/csv_reader.h"
#include "services/export/export_testing.h"

namespace rebook::exports {
namespace {

using testing::SampleData;
using testing::SampleSchedule;

// Reads `text` back with the project's CSV reader: header and rows.
std::vector<std::vector<std::string>> ReadBack(const std::string& text) {
  auto csv = bundle::CsvReader::FromString(text, "export.csv");
  EXPECT_TRUE(csv.ok()) << csv.status();
  std::vector<std::vector<std::string>> rows;
  while (true) {
    auto more = (*csv)->Next();
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    std::vector<std::string> row;
    for (int i = 0; i < static_cast<int>((*csv)->header().size()); ++i)
      row.push_back(std::string((*csv)->Field(i)));
    rows.push_back(row);
  }
  return rows;
}

TEST(ScheduleCsvTest, OneRowPerRebookedAppointmentInSlotOrder) {
  const std::string text = ScheduleCsv(SampleSchedule());
  ASSERT_EQ(text.substr(0, 29), "appointment_id,office_id,orig");
  auto rows = ReadBack(text);
  ASSERT_EQ(rows.size(), 2u);  // a1 and a2; the held a3 and the closed a4 are not in it
  // a2 starts first (08:00) at HAL with c2, rebooked from LEJ, confirmed by phone.
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "a2", "LEJ", "2026-01-26T11:00", "HAL", "Bürgerbüro Halle", "c2",
                         "Özdemir, Ben", "2026-01-27T08:00", "2026-01-27T08:40", "Europe/Berlin",
                         "2026-01-27T07:00:00Z", "2026-01-27T07:40:00Z", "pass", "Reisepass", "2",
                         "appointment", "phone", "2026-01-26T07:30:00Z", "2026-01-26T08:00:00Z"}));
  EXPECT_EQ(rows[1][0], "a1");
  EXPECT_EQ(rows[1][16], "link");
}

TEST(ScheduleCsvTest, QuotesFieldsWithCommas) {
  const std::string text = ScheduleCsv(SampleSchedule());
  EXPECT_NE(text.find(",\"Özdemir, Ben\","), std::string::npos) << text;
  // Nothing personal: the citizen's name and phone are not in the schedule.
  EXPECT_EQ(text.find("Müller"), std::string::npos);
  EXPECT_EQ(text.find("1234"), std::string::npos);
}

TEST(ScheduleCsvTest, EmptyScheduleIsTheHeaderOnly) {
  ExportData d = SampleData();
  d.appointments.clear();
  auto s = Schedule::Build(std::move(d));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(ReadBack(ScheduleCsv(*s)).size(), 0u);
}

TEST(ScheduleTest, UnknownSlotOfficeIsAnError) {
  ExportData d = SampleData();
  d.appointments[2].rebooked_slot->slot.office_id = "XXX";
  EXPECT_EQ(Schedule::Build(std::move(d)).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BlocksCsvTest, HeldAndRebookedSlotsPerClerk) {
  auto rows = ReadBack(BlocksCsv(SampleSchedule()));
  ASSERT_EQ(rows.size(), 3u);
  // c1: a1 (09:00, rebooked), a3 (10:00, held); then c2: a2.
  EXPECT_EQ(rows[0][0], "c1");
  EXPECT_EQ(rows[0][2], "2026-01-27T09:00");
  EXPECT_EQ(rows[0][7], "rebooked");
  EXPECT_EQ(rows[0][9], "a1");
  EXPECT_EQ(rows[1][7], "held");
  EXPECT_EQ(rows[1][9], "a3");
  EXPECT_EQ(rows[2][0], "c2");
  EXPECT_EQ(rows[2][8], "LEJ");
}

}  // namespace
}  // namespace rebook::exports
