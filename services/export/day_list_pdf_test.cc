#include "services/export/day_list_pdf.h"

#include <gtest/gtest.h>

#include "services/export/export_testing.h"
#include "testing/files.h"

namespace rebook::exports {
namespace {

using testing::Berlin;
using testing::SampleData;

int PdfPages(const std::string& path) {
  const std::string pdf = rebook::testing::ReadFileOrEmpty(path);
  // cairo writes each page object as "/Type /Page", the page tree as "/Type /Pages".
  int n = 0;
  for (size_t at = pdf.find("/Type /Page"); at != std::string::npos;
       at = pdf.find("/Type /Page", at + 1)) {
    if (pdf.compare(at, 12, "/Type /Pages") != 0) ++n;
  }
  return n;
}

TEST(DayListPdfTest, OnePagePerClerkAndDay) {
  rebook::testing::ScopedTempDir dir("day-list");
  ExportData d = SampleData();
  // c1 gets a second day: a4 confirmed on the 28th.
  d.appointments[0].status = domain::AppointmentStatus::kConfirmed;
  d.appointments[0].rebooked_slot =
      domain::RebookedSlot{{"HAL", "c1", {Berlin(9, 0, 28), Berlin(9, 20, 28)}},
                           domain::ConfirmationChannel::kStaff,
                           Berlin(8, 0, 26)};
  auto schedule = Schedule::Build(std::move(d));
  ASSERT_TRUE(schedule.ok());
  auto pages = WriteDayListsPdf(*schedule, dir.File("t.pdf"), {.printed_at = Berlin(7, 0)});
  ASSERT_TRUE(pages.ok()) << pages.status();
  EXPECT_EQ(*pages, 3);  // c1 on the 27th and 28th, c2 on the 27th
  EXPECT_EQ(PdfPages(dir.File("t.pdf")), 3);
}

TEST(DayListPdfTest, AFullDayStaysOnOnePage) {
  rebook::testing::ScopedTempDir dir("day-list");
  ExportData d = SampleData();
  domain::Appointment base = d.appointments[3];
  d.appointments.clear();
  for (int i = 0; i < 36; ++i) {  // 08:00 to 17:00 in quarter hours
    domain::Appointment a = base;
    a.id = "q" + std::to_string(i);
    const Instant start = Berlin(8, 0) + std::chrono::minutes(15 * i);
    a.rebooked_slot->slot.time = {start, start + std::chrono::minutes(15)};
    a.contact.name = "Maximilian Mustermann-Lüdenscheidt von Hohenzollern";
    d.appointments.push_back(a);
  }
  auto schedule = Schedule::Build(std::move(d));
  ASSERT_TRUE(schedule.ok());
  auto pages = WriteDayListsPdf(*schedule, dir.File("t.pdf"), {});
  ASSERT_TRUE(pages.ok()) << pages.status();
  EXPECT_EQ(*pages, 1);
}

TEST(DayListPdfTest, EmptyScheduleSaysSo) {
  rebook::testing::ScopedTempDir dir("day-list");
  ExportData d = SampleData();
  d.appointments.clear();
  auto schedule = Schedule::Build(std::move(d));
  ASSERT_TRUE(schedule.ok());
  auto pages = WriteDayListsPdf(*schedule, dir.File("t.pdf"), {});
  ASSERT_TRUE(pages.ok());
  EXPECT_EQ(*pages, 1);
}

TEST(DayListPdfTest, UnwritablePathIsAnError) {
  auto pages = WriteDayListsPdf(testing::SampleSchedule(), "/nonexistent/dir/t.pdf", {});
  EXPECT_FALSE(pages.ok());
}

}  // namespace
}  // namespace rebook::exports
