// Issue 19: a free-text field over its limit (services/rebooking's rules: 200 bytes for a name,
// 500 for an address or a reason), even a megabyte within the message size limit, fails the
// whole request with INVALID_ARGUMENT and a BadRequest violation naming the field; nothing is
// stored and the request id stays unused.
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::Contains;

class OversizedTextTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.SeedCapacity(); }

  int CountAppointments() {
    v1::ListAppointmentsRequest req;
    req.set_parent("offices/-");
    req.set_page_size(1000);
    v1::ListAppointmentsResponse resp;
    EXPECT_TRUE(appointments_->ListAppointments(server_.Context("admin").get(), req, &resp).ok());
    return resp.appointments_size();
  }

  TestServer server_;
  std::unique_ptr<v1::AppointmentService::Stub> appointments_ =
      v1::AppointmentService::NewStub(server_.channel());
  std::unique_ptr<v1::CapacityService::Stub> capacity_ =
      v1::CapacityService::NewStub(server_.channel());
};

TEST_F(OversizedTextTest, AMegabyteNameIsRefusedByName) {
  v1::CreateAppointmentRequest req;
  req.set_parent("offices/A");
  req.set_appointment_id("big");
  *req.mutable_appointment() = MakeAppointment("A", "big", 60);
  req.mutable_appointment()->mutable_contact()->set_name(std::string(1 << 20, 'x'));
  v1::Appointment resp;
  grpc::Status s = appointments_->CreateAppointment(server_.Context("admin").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), Contains("appointment.contact.name"));
  EXPECT_EQ(CountAppointments(), 0);

  // At the limit it is fine.
  req.mutable_appointment()->mutable_contact()->set_name(std::string(200, 'x'));
  s = appointments_->CreateAppointment(server_.Context("admin").get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(CountAppointments(), 1);
}

TEST_F(OversizedTextTest, OneOversizedRowFailsTheWholeImportAndKeepsTheRequestId) {
  auto send = [&](bool oversized, v1::ImportAppointmentsResponse* resp) {
    auto ctx = server_.Context("admin");
    auto writer = appointments_->ImportAppointments(ctx.get(), resp);
    for (int m = 0; m < 2; ++m) {
      v1::ImportAppointmentsRequest req;
      if (m == 0) req.set_request_id("limits-1");
      for (int i = 0; i < 3; ++i) {
        v1::Appointment* a = req.add_appointments();
        *a = MakeAppointment("A", "row" + std::to_string(3 * m + i), 60 + 3 * m + i);
        if (oversized && m == 1 && i == 1) {
          a->mutable_contact()->set_postal_address(std::string(100'000, 'x'));
        }
      }
      if (!writer->Write(req)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  };
  v1::ImportAppointmentsResponse resp;
  grpc::Status s = send(true, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), Contains("appointments[4].contact.postal_address"));
  EXPECT_EQ(CountAppointments(), 0);
  // The same request id is still free for the corrected import.
  ASSERT_TRUE(send(false, &resp).ok());
  EXPECT_EQ(resp.created_count(), 6);
}

TEST_F(OversizedTextTest, CapacityImportsAreRefusedWhole) {
  auto import = [&](const v1::ImportCapacityRequest& req) {
    v1::ImportCapacityResponse resp;
    auto ctx = server_.Context("admin");
    auto writer = capacity_->ImportCapacity(ctx.get(), &resp);
    writer->Write(req);
    writer->WritesDone();
    return writer->Finish();
  };
  // A valid closure first, then one whose reason is too long: neither is stored.
  v1::ImportCapacityRequest req;
  for (int day : {2, 3}) {
    v1::Closure* c = req.add_closures();
    c->set_name(absl::StrCat("offices/A/closures/2026-02-0", day));
    c->mutable_date()->set_year(2026);
    c->mutable_date()->set_month(2);
    c->mutable_date()->set_day(day);
    c->set_reason(day == 2 ? "Umzug" : std::string(501, 'r'));
  }
  grpc::Status s = import(req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), Contains("closures[1].reason"));
  v1::ListClosuresRequest list;
  list.set_parent("offices/A");
  v1::ListClosuresResponse closures;
  ASSERT_TRUE(capacity_->ListClosures(server_.Context("admin").get(), list, &closures).ok());
  EXPECT_EQ(closures.closures_size(), 0);

  v1::ImportCapacityRequest clerk;
  clerk.add_clerks()->set_name("clerks/kx");
  clerk.mutable_clerks(0)->set_display_name(std::string(1 << 20, 'n'));
  s = import(clerk);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), Contains("clerks[0].display_name"));
}

}  // namespace
}  // namespace rebook::testing
