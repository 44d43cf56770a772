// Ids that clients choose are unique per office (docs/resource-ids.md): office A's staff can
// use any appointment id whatever office B stores, and no answer tells them what B stores.
// Appointment ids are keyed by office; outage ids are chosen only by principals of all offices.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::ElementsAre;

class OfficeIdsTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.SeedCapacity(); }

  grpc::Status Create(const std::string& token, const std::string& office, const std::string& id,
                      const std::string& name, v1::Appointment* out) {
    v1::CreateAppointmentRequest req;
    req.set_parent("offices/" + office);
    req.set_appointment_id(id);
    *req.mutable_appointment() = MakeAppointment(office, id, 10);
    req.mutable_appointment()->mutable_contact()->set_name(name);
    req.mutable_appointment()->mutable_contact()->set_email(name + "@example.net");
    return appointments_->CreateAppointment(server_.Context(token).get(), req, out);
  }

  v1::Appointment Get(const std::string& name) {
    v1::GetAppointmentRequest req;
    req.set_name(name);
    v1::Appointment a;
    EXPECT_TRUE(appointments_->GetAppointment(server_.Context("admin").get(), req, &a).ok());
    return a;
  }

  grpc::Status Declare(const std::string& token, const std::string& office, const std::string& id,
                       v1::Outage* out) {
    v1::DeclareOutageRequest req;
    req.set_outage_id(id);
    req.mutable_outage()->add_offices("offices/" + office);
    req.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(
        kOutageStart.time_since_epoch().count());
    req.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(
        kOutageStart.time_since_epoch().count() + 3600);
    return outages_->DeclareOutage(server_.Context(token).get(), req, out);
  }

  TestServer server_;
  std::unique_ptr<v1::AppointmentService::Stub> appointments_ =
      v1::AppointmentService::NewStub(server_.channel());
  std::unique_ptr<v1::OutageService::Stub> outages_ = v1::OutageService::NewStub(server_.channel());
};

TEST_F(OfficeIdsTest, TheSameAppointmentIdInTwoOfficesIsTwoAppointments) {
  v1::Appointment in_b, in_a;
  ASSERT_TRUE(Create("admin-b", "B", "1001", "bernd", &in_b).ok());
  // Before ids were per office, this was ALREADY_EXISTS: an oracle for B's appointments.
  grpc::Status s = Create("admin-a", "A", "1001", "anna", &in_a);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(in_a.name(), "offices/A/appointments/1001");
  EXPECT_EQ(in_b.name(), "offices/B/appointments/1001");
  EXPECT_EQ(Get("offices/A/appointments/1001").contact().name(), "anna");
  EXPECT_EQ(Get("offices/B/appointments/1001").contact().name(), "bernd");

  // Changing A's leaves B's alone.
  v1::CloseAppointmentRequest close;
  close.set_name("offices/A/appointments/1001");
  close.set_reason("done at the counter");
  v1::Appointment closed;
  ASSERT_TRUE(
      appointments_->CloseAppointment(server_.Context("admin-a").get(), close, &closed).ok());
  EXPECT_EQ(Get("offices/A/appointments/1001").status(), v1::CLOSED);
  EXPECT_EQ(Get("offices/B/appointments/1001").status(), v1::BOOKED);

  // An outage at B cancels B's 1001 only.
  v1::Outage outage;
  ASSERT_TRUE(Declare("admin-b", "B", "", &outage).ok());
  EXPECT_EQ(outage.cancelled_appointment_count(), 1);
  EXPECT_EQ(Get("offices/B/appointments/1001").status(), v1::CANCELLED);
  EXPECT_EQ(Get("offices/A/appointments/1001").status(), v1::CLOSED);

  // Lists show both, each under its office.
  v1::ListAppointmentsRequest list;
  list.set_parent("offices/-");
  v1::ListAppointmentsResponse all;
  ASSERT_TRUE(appointments_->ListAppointments(server_.Context("admin").get(), list, &all).ok());
  std::vector<std::string> names;
  for (const auto& a : all.appointments()) names.push_back(a.name());
  EXPECT_THAT(names, ElementsAre("offices/A/appointments/1001", "offices/B/appointments/1001"));
}

TEST_F(OfficeIdsTest, AForeignAppointmentIdAnswersLikeAFreeOne) {
  v1::Appointment b_only;
  ASSERT_TRUE(Create("admin-b", "B", "b-only", "bernd", &b_only).ok());
  v1::Appointment foreign, free;
  grpc::Status on_foreign = Create("admin-a", "A", "b-only", "anna", &foreign);
  grpc::Status on_free = Create("admin-a", "A", "nobody", "anna", &free);
  ASSERT_TRUE(on_foreign.ok()) << on_foreign.error_message();
  ASSERT_TRUE(on_free.ok()) << on_free.error_message();
  EXPECT_EQ(foreign.status(), free.status());
  EXPECT_EQ(foreign.contact().name(), "anna");
  // Reading the foreign name answers as for a name that does not exist.
  v1::GetAppointmentRequest get_foreign, get_free;
  get_foreign.set_name("offices/B/appointments/b-only");
  get_free.set_name("offices/B/appointments/nobody");
  v1::Appointment a;
  const grpc::Status read_foreign =
      appointments_->GetAppointment(server_.Context("admin-a").get(), get_foreign, &a);
  const grpc::Status read_free =
      appointments_->GetAppointment(server_.Context("admin-a").get(), get_free, &a);
  EXPECT_FALSE(read_foreign.ok());
  EXPECT_EQ(read_foreign.error_code(), read_free.error_code());
  EXPECT_EQ(Get("offices/B/appointments/b-only").contact().name(), "bernd");  // untouched
}

TEST_F(OfficeIdsTest, OutageIdsAreNoOracleForOfficeScopedCallers) {
  v1::Outage at_b;
  ASSERT_TRUE(Declare("admin", "B", "storm-b", &at_b).ok());  // all offices: may choose

  // Office A's admin gets the same answer for B's id as for a free one: ids are not theirs to
  // choose, so nothing depends on what exists.
  v1::Outage unused;
  const grpc::Status on_foreign = Declare("admin-a", "A", "storm-b", &unused);
  const grpc::Status on_free = Declare("admin-a", "A", "storm-free", &unused);
  EXPECT_EQ(on_foreign.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(on_free.error_code(), on_foreign.error_code());
  EXPECT_EQ(on_free.error_message(), on_foreign.error_message());
  EXPECT_THAT(ViolationFields(on_foreign), ElementsAre("outage_id"));
  EXPECT_EQ(ViolationFields(on_free), ViolationFields(on_foreign));

  // Without an id the server assigns one, and A's outage is A's.
  v1::Outage at_a;
  ASSERT_TRUE(Declare("admin-a", "A", "", &at_a).ok());
  EXPECT_NE(at_a.name(), at_b.name());
  v1::GetOutageRequest get;
  get.set_name(at_a.name());
  v1::Outage got;
  ASSERT_TRUE(outages_->GetOutage(server_.Context("admin-a").get(), get, &got).ok());
  EXPECT_THAT(got.offices(), ElementsAre("offices/A"));

  // B's outage answers A's admin as a missing one does.
  get.set_name("outages/storm-b");
  const grpc::Status read_foreign =
      outages_->GetOutage(server_.Context("admin-a").get(), get, &got);
  get.set_name("outages/storm-free");
  const grpc::Status read_free = outages_->GetOutage(server_.Context("admin-a").get(), get, &got);
  EXPECT_EQ(read_foreign.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(read_free.error_code(), read_foreign.error_code());

  // Principals of all offices still choose ids, and a taken one is ALREADY_EXISTS for them.
  v1::Outage again;
  EXPECT_EQ(Declare("admin", "A", "storm-b", &again).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

}  // namespace
}  // namespace rebook::testing
