#include "services/api/names.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/field_violations.h"

namespace rebook::api {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

// The one violation of a failed parse: INVALID_ARGUMENT naming `field`.
FieldViolation ViolationOf(const absl::Status& status) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  std::vector<FieldViolation> v = FieldViolations::FromStatus(status);
  EXPECT_EQ(v.size(), 1u) << status;
  return v.empty() ? FieldViolation{} : v[0];
}

TEST(NamesTest, FormattedNamesParseBackToTheirIds) {
  EXPECT_EQ(ParseOfficeName(OfficeName("HAL-1"), "f").value(), "HAL-1");
  EXPECT_EQ(ParseServiceTypeName(ServiceTypeName("kfz"), "f").value(), "kfz");
  EXPECT_EQ(ParseClerkName(ClerkName("anna.b"), "f").value(), "anna.b");
  EXPECT_EQ(ParseOutageName(OutageName("out~7"), "f").value(), "out~7");
  AppointmentName a = ParseAppointmentName(AppointmentResourceName("HAL", "A-1"), "f").value();
  EXPECT_EQ(a.office_id, "HAL");
  EXPECT_EQ(a.appointment_id, "A-1");
  OfficeChildName shift =
      ParseOfficeChildName(OfficeChildResourceName("HAL", "shifts", "s_1"), "shifts", "f").value();
  EXPECT_EQ(shift.office_id, "HAL");
  EXPECT_EQ(shift.child_id, "s_1");
  PlanName p = ParsePlanName(PlanResourceName("out-1", "p-2"), "f").value();
  EXPECT_EQ(p.outage_id, "out-1");
  EXPECT_EQ(p.plan_id, "p-2");
  OfferName o = ParseOfferName(OfferResourceName("HAL", "A-1", 3), "f").value();
  EXPECT_EQ(o.office_id, "HAL");
  EXPECT_EQ(o.appointment_id, "A-1");
  EXPECT_EQ(o.version, 3);
  EXPECT_EQ(MessageResourceName("HAL", "m-9"), "offices/HAL/messages/m-9");
  EXPECT_EQ(ParseOfficeChildName(MessageResourceName("HAL", "m-9"), "messages", "f")->child_id,
            "m-9");
}

TEST(NamesTest, TheFormatsAreTheApisResourceNames) {
  EXPECT_EQ(AppointmentResourceName("HAL", "A-1"), "offices/HAL/appointments/A-1");
  EXPECT_EQ(PlanResourceName("o", "p"), "outages/o/plans/p");
  EXPECT_EQ(OfferResourceName("HAL", "A-1", 2), "offices/HAL/appointments/A-1/offers/2");
  EXPECT_EQ(OfficeChildResourceName("HAL", "standingBookings", "b1"),
            "offices/HAL/standingBookings/b1");
}

TEST(NamesTest, TheWildcardOfficeOnlyWhereAllowed) {
  EXPECT_EQ(ParseOfficeName("offices/-", "parent", true).value(), kAnyOffice);
  EXPECT_EQ(ParseOfficeName("offices/HAL", "parent", true).value(), "HAL");
  // Only the first id of a name may be the wildcard.
  EXPECT_EQ(ViolationOf(ParseOfficeName("offices/-/x", "parent", true).status()).field, "parent");
}

TEST(NamesTest, BadNamesAreInvalidArgumentNamingTheField) {
  FieldViolation v = ViolationOf(ParseAppointmentName("offices/HAL/shifts/A-1", "x.name").status());
  EXPECT_EQ(v.field, "x.name");
  EXPECT_EQ(v.reason, "BAD_NAME");
  EXPECT_THAT(v.description, HasSubstr("offices/{office}/appointments/{appointment}"));
  v = ViolationOf(ParseAppointmentName("", "x.name").status());
  EXPECT_EQ(v.reason, "REQUIRED");
  for (const char* bad :
       {"offices/HAL", "offices/HAL/appointments/", "offices/HAL/appointments/a b",
        "offices/HAL/appointments/A/extra", "/offices/HAL/appointments/A"}) {
    EXPECT_EQ(ViolationOf(ParseAppointmentName(bad, "appointment").status()).field, "appointment")
        << bad;
  }
  EXPECT_EQ(ViolationOf(ParseOutageName("outages/a/b", "outage").status()).field, "outage");
  EXPECT_EQ(ViolationOf(ParsePlanName("outages/o/plan/p", "plan").status()).field, "plan");
  EXPECT_EQ(ViolationOf(ParseClerkName(std::string(129, 'c'), "clerk").status()).field, "clerk");
  for (const char* bad :
       {"offices/HAL/appointments/A/offers/0", "offices/HAL/appointments/A/offers/-1",
        "offices/HAL/appointments/A/offers/2x", "offices/HAL/appointments/A/offers/",
        "offices/HAL/appointments/A/offer/2", "offices/HAL/appointments/A",
        "offices/HAL/appointments/A/offers/01", "offices/HAL/appointments/A/offers/+2"}) {
    FieldViolation offer = ViolationOf(ParseOfferName(bad, "offer").status());
    EXPECT_EQ(offer.field, "offer") << bad;
    EXPECT_EQ(offer.reason, "BAD_NAME") << bad;
  }
}

}  // namespace
}  // namespace rebook::api
