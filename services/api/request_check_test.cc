#include "services/api/request_check.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rebook/v1/appointments.pb.h"

namespace rebook::api {
namespace {

using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Fields(const google::protobuf::Message& m) {
  FieldViolations v;
  CheckRequestFields(m, v);
  std::vector<std::string> out;
  for (const FieldViolation& f : v.violations()) out.push_back(f.field);
  return out;
}

TEST(RequestCheckTest, AWellFormedRequestPasses) {
  v1::BatchMarkSelfRebookedRequest req;
  v1::MarkSelfRebookedRequest* one = req.add_requests();
  one->set_name("offices/A/appointments/a1");
  one->mutable_new_start_time()->set_seconds(1769511000);
  one->mutable_new_start_time()->set_nanos(999'999'999);
  EXPECT_THAT(Fields(req), IsEmpty());
  v1::ListAppointmentsRequest list;
  list.set_page_size(0);
  list.add_statuses(v1::OFFERED);
  list.set_kind(v1::WALK_IN);
  EXPECT_THAT(Fields(list), IsEmpty());
}

TEST(RequestCheckTest, UnknownEnumValuesAreRefusedNotCoerced) {
  v1::ListAppointmentsRequest list;
  list.set_kind(static_cast<v1::AppointmentKind>(7));
  list.add_statuses(v1::OFFERED);
  list.add_statuses(static_cast<v1::AppointmentStatus>(99));
  EXPECT_THAT(Fields(list), UnorderedElementsAre("kind", "statuses[1]"));
  v1::CreateAppointmentRequest create;
  create.mutable_appointment()->set_kind(static_cast<v1::AppointmentKind>(-3));
  EXPECT_THAT(Fields(create), UnorderedElementsAre("appointment.kind"));
}

TEST(RequestCheckTest, TimestampNanosOutsideASecondAreRefused) {
  v1::BatchMarkSelfRebookedRequest req;
  req.add_requests()->mutable_new_start_time()->set_nanos(-1);
  req.add_requests()->mutable_new_start_time()->set_nanos(1'000'000'000);
  EXPECT_THAT(Fields(req), UnorderedElementsAre("requests[0].new_start_time.nanos",
                                                "requests[1].new_start_time.nanos"));
}

TEST(RequestCheckTest, NegativePageSizeIsRefused) {
  v1::ListAppointmentsRequest list;
  list.set_page_size(-1);
  EXPECT_THAT(Fields(list), UnorderedElementsAre("page_size"));
}

TEST(RequestCheckTest, PathsStartAtThePrefix) {
  v1::Appointment a;
  a.set_kind(static_cast<v1::AppointmentKind>(9));
  FieldViolations v;
  CheckRequestFields(a, v, "appointments[4]");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v.violations()[0].field, "appointments[4].kind");
}

}  // namespace
}  // namespace rebook::api
