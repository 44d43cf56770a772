#include "services/common/field_violations.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(FieldViolationsTest, EmptyIsOk) {
  FieldViolations v;
  EXPECT_TRUE(v.ToStatus("bad").ok());
}

TEST(FieldViolationsTest, RoundTripsThroughStatus) {
  FieldViolations v;
  v.Add("appointments[3].priority", "must be 1 to 10", "OUT_OF_RANGE");
  v.Add("appointments[4].service_type", "unknown service type \"x\"");
  absl::Status s = v.ToStatus("invalid appointments");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("appointments[3].priority: must be 1 to 10"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("and 1 more"));
  EXPECT_THAT(
      FieldViolations::FromStatus(s),
      ElementsAre(
          FieldViolation{"appointments[3].priority", "must be 1 to 10", "OUT_OF_RANGE"},
          FieldViolation{"appointments[4].service_type", "unknown service type \"x\"", ""}));
}

TEST(FieldViolationsTest, CapsTheList) {
  FieldViolations v;
  for (int i = 0; i < 250; ++i) v.Add("f", "bad");
  EXPECT_EQ(v.size(), FieldViolations::kMaxViolations);
  EXPECT_THAT(std::string(v.ToStatus("x").message()), HasSubstr("and 249 more"));
}

TEST(FieldViolationsTest, PlainStatusHasNone) {
  EXPECT_TRUE(FieldViolations::FromStatus(absl::NotFoundError("x")).empty());
  EXPECT_EQ(InvalidField("name", "is required").code(), absl::StatusCode::kInvalidArgument);
}

TEST(FieldViolationsTest, AddFromAppendsAnotherStatusesViolations) {
  FieldViolations parsed;
  parsed.Add("offices[2].name", "must look like offices/{office}", "INVALID_NAME");
  FieldViolations v;
  v.Add("parent", "is required");
  v.AddFrom(parsed.ToStatus("invalid name"));
  v.AddFrom(absl::NotFoundError("no violations in here"));
  v.AddFrom(absl::OkStatus());
  EXPECT_THAT(v.violations(),
              ElementsAre(FieldViolation{"parent", "is required", ""},
                          FieldViolation{"offices[2].name", "must look like offices/{office}",
                                         "INVALID_NAME"}));
}

}  // namespace
}  // namespace rebook
