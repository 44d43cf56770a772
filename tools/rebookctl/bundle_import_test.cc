#include "tools/rebookctl/bundle_import.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/model.h"

namespace rebook::ctl {
namespace {

using std::chrono::hours;
using ::testing::HasSubstr;

domain::Scenario SmallScenario() {
  domain::Scenario s;
  s.offices.push_back({"HAL", "Halle", "DE-ST", "Europe/Berlin", "", hours(48)});
  s.services.push_back({"kfz", "Zulassung", domain::ServiceCategory::kVehicleRegistration, 15});
  s.clerks.push_back({"k1", "K. Eins", {"kfz"}, ""});
  Instant t0{std::chrono::seconds(1769500800)};  // 2026-01-27T08:00Z
  s.shifts.push_back(
      {"k1@2026-01-27T09:00", "k1", "HAL", {t0, t0 + hours(8)}, domain::ShiftKind::kRegular});
  s.bookings.push_back({"b1", "k1", "", {t0 + hours(1), t0 + hours(2)}});
  s.bookings.push_back({"b2", "k1", "", {t0 + hours(20), t0 + hours(21)}});
  return s;
}

TEST(BundleImportTest, ShiftIdsBecomeApiIds) {
  EXPECT_EQ(ApiShiftId("k1@2026-01-27T09:00"), "k1.2026-01-27T09-00");
}

TEST(BundleImportTest, FillsHomeOfficeAndBookingOffice) {
  BundleImport import = ToImport(SmallScenario());
  ASSERT_EQ(import.capacity.clerks_size(), 1);
  EXPECT_EQ(import.capacity.clerks(0).home_office(), "offices/HAL");
  EXPECT_EQ(import.capacity.shifts(0).name(), "offices/HAL/shifts/k1.2026-01-27T09-00");
  ASSERT_EQ(import.capacity.standing_bookings_size(), 1);
  EXPECT_EQ(import.capacity.standing_bookings(0).name(), "offices/HAL/standingBookings/b1");
  EXPECT_EQ(import.booking_rows, std::vector<int>{0});
  ASSERT_EQ(import.warnings.size(), 1u);
  EXPECT_THAT(import.warnings[0], HasSubstr("b2"));
}

TEST(BundleImportTest, LocatesServerViolationsInTheCsv) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "locate";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "appointments.csv")
      << "appointment_id,office_id,service_id,original_start,deadline\n"
      << "A1,HAL,kfz,2026-01-27T12:00,\n"
      << "\"A2\",HAL,kfz,2026-01-27T12:15,2026-02-03T12:00\n";
  BundleImport import;
  std::string located = LocateViolation(
      dir, {"appointments[1].deadline_time", "must be after earliest_start_time", ""}, import);
  EXPECT_EQ(located, "appointments.csv:3:5 (deadline): must be after earliest_start_time");
  std::string contact = LocateViolation(dir, {"appointments[0].contact.email", "bad", ""}, import);
  EXPECT_THAT(contact, HasSubstr("appointments.csv:2"));
  EXPECT_EQ(LocateViolation(dir, {"request_id", "bad", ""}, import), "request_id: bad");
}

}  // namespace
}  // namespace rebook::ctl
