#include "services/domain/model.h"

#include "gtest/gtest.h"

namespace rebook::domain {
namespace {

using std::chrono::hours;

TEST(TimeIntervalTest, TouchingIsNotOverlap) {
  Instant t0{};
  TimeInterval a{t0, t0 + hours(1)};
  TimeInterval b{t0 + hours(1), t0 + hours(2)};
  EXPECT_FALSE(a.Overlaps(b));
  EXPECT_FALSE(b.Overlaps(a));
  TimeInterval c{t0 + std::chrono::minutes(59), t0 + hours(2)};
  EXPECT_TRUE(a.Overlaps(c));
  EXPECT_TRUE((TimeInterval{t0, t0 + hours(3)}).Contains(b));
}

TEST(ModelTest, EnumNamesRoundTrip) {
  for (auto c : {ServiceCategory::kVehicleRegistration, ServiceCategory::kRegistryOffice,
                 ServiceCategory::kImmigration, ServiceCategory::kCitizenship,
                 ServiceCategory::kResidents, ServiceCategory::kOther}) {
    EXPECT_EQ(ParseServiceCategory(ToString(c)), c);
  }
  EXPECT_EQ(ParseServiceCategory("immigration"), ServiceCategory::kImmigration);
  EXPECT_FALSE(ParseServiceCategory("Immigration").has_value());
  EXPECT_EQ(ParseAppointmentKind("walk_in"), AppointmentKind::kWalkIn);
  EXPECT_EQ(ParseShiftKind("overtime"), ShiftKind::kOvertime);
  EXPECT_EQ(ParseAppointmentStatus(ToString(AppointmentStatus::kSelfRebooked)),
            AppointmentStatus::kSelfRebooked);
}

TEST(ModelTest, FindOfficeByIdAmongOffices) {
  std::vector<Office> offices(2);
  offices[0].id = "halle-mitte";
  offices[1].id = "halle-neustadt";
  EXPECT_EQ(FindOffice(offices, "halle-neustadt"), &offices[1]);
  EXPECT_EQ(FindOffice(offices, "halle"), nullptr);
  EXPECT_EQ(FindOffice({}, "halle-mitte"), nullptr);
}

TEST(ModelTest, IdValidation) {
  EXPECT_TRUE(IsValidId("HAL-1_a.b~c"));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("a/b"));
  EXPECT_FALSE(IsValidId("a b"));
  EXPECT_FALSE(IsValidId(std::string(129, 'a')));
}

TEST(ModelTest, ChannelsHaveOneNameAndTheOldNamesAreAliases) {
  for (const char* name : {"email", "sms", "webhook", "letter", "phone", "file"}) {
    EXPECT_TRUE(IsKnownChannel(name)) << name;
    EXPECT_EQ(CanonicalChannel(name), name);
  }
  EXPECT_EQ(CanonicalChannel("smtp"), "email");
  EXPECT_EQ(CanonicalChannel("phone_list"), "phone");
  EXPECT_FALSE(IsKnownChannel("smtp"));
  EXPECT_FALSE(IsKnownChannel("phone_list"));
  EXPECT_EQ(CanonicalChannel("fax"), std::nullopt);
  EXPECT_EQ(CanonicalChannel("Email"), std::nullopt);
  EXPECT_EQ(CanonicalChannel(""), std::nullopt);
}

TEST(ModelTest, SameBookingDataIgnoresLifecycle) {
  Appointment a;
  a.id = "A1";
  a.office_id = "HAL";
  Appointment b = a;
  b.status = AppointmentStatus::kCancelled;
  b.outage_id = "o1";
  EXPECT_TRUE(a.SameBookingData(b));
  b.priority = 3;
  EXPECT_FALSE(a.SameBookingData(b));
  EXPECT_EQ(a.EffectiveAllowedOffices(), std::vector<std::string>{"HAL"});
}

}  // namespace
}  // namespace rebook::domain
