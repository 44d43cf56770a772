// Outages over gRPC: declaring cancels exactly once, idempotency, impact, closing.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class OutagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.SeedCapacity();
    // Four appointments at A (two inside the window), one walk-in, one at B inside the window.
    Import({MakeAppointment("A", "a-before", -30), MakeAppointment("A", "a-in-1", 10),
            MakeAppointment("A", "a-in-2", 200), MakeAppointment("A", "a-after", 400),
            MakeAppointment("B", "b-in", 20)});
  }

  grpc::Status Import(std::vector<v1::Appointment> appts, const std::string& request_id = "") {
    v1::ImportAppointmentsRequest req;
    req.set_request_id(request_id);
    for (auto& a : appts) *req.add_appointments() = a;
    v1::ImportAppointmentsResponse resp;
    auto ctx = server_.Context("admin");
    auto writer = appointments_->ImportAppointments(ctx.get(), &resp);
    writer->Write(req);
    writer->WritesDone();
    return writer->Finish();
  }

  v1::DeclareOutageRequest Declaration(const std::string& request_id) {
    v1::DeclareOutageRequest req;
    req.set_request_id(request_id);
    req.mutable_outage()->add_offices("offices/A");
    req.mutable_outage()->set_cause("Strom- und IT-Ausfall");
    auto* w = req.mutable_outage()->mutable_window();
    w->mutable_start_time()->set_seconds(kOutageStart.time_since_epoch().count());
    w->mutable_end_time()->set_seconds(kOutageStart.time_since_epoch().count() + 280 * 60);
    return req;
  }

  std::vector<std::string> Cancelled(const std::string& outage) {
    v1::ListAppointmentsRequest req;
    req.set_parent("offices/-");
    req.set_outage(outage);
    v1::ListAppointmentsResponse resp;
    auto ctx = server_.Context("admin");
    EXPECT_TRUE(appointments_->ListAppointments(ctx.get(), req, &resp).ok());
    std::vector<std::string> names;
    for (const auto& a : resp.appointments()) names.push_back(a.name());
    return names;
  }

  TestServer server_;
  std::unique_ptr<v1::OutageService::Stub> outages_ = v1::OutageService::NewStub(server_.channel());
  std::unique_ptr<v1::AppointmentService::Stub> appointments_ =
      v1::AppointmentService::NewStub(server_.channel());
};

TEST_F(OutagesTest, DeclareCancelsTheWindowExactlyOnce) {
  v1::Outage first, second;
  ASSERT_TRUE(
      outages_->DeclareOutage(server_.Context("admin").get(), Declaration("r1"), &first).ok());
  EXPECT_EQ(first.cancelled_appointment_count(), 2);
  EXPECT_EQ(first.state(), v1::Outage::ACTIVE);
  EXPECT_EQ(first.time_zone(), "Europe/Berlin");
  EXPECT_THAT(Cancelled(first.name()),
              ElementsAre("offices/A/appointments/a-in-1", "offices/A/appointments/a-in-2"));

  // The same request again: same outage, nothing cancelled twice.
  ASSERT_TRUE(
      outages_->DeclareOutage(server_.Context("admin").get(), Declaration("r1"), &second).ok());
  EXPECT_EQ(second.name(), first.name());
  EXPECT_EQ(second.cancelled_appointment_count(), 2);

  // An overlapping second outage does not take appointments the first one cancelled.
  v1::Outage other;
  ASSERT_TRUE(
      outages_->DeclareOutage(server_.Context("admin").get(), Declaration("r2"), &other).ok());
  EXPECT_NE(other.name(), first.name());
  EXPECT_EQ(other.cancelled_appointment_count(), 0);
}

TEST_F(OutagesTest, SameRequestIdWithOtherContentIsRejected) {
  v1::Outage o;
  ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), Declaration("r1"), &o).ok());
  v1::DeclareOutageRequest changed = Declaration("r1");
  changed.mutable_outage()->set_cause("Wasserschaden");
  grpc::Status s = outages_->DeclareOutage(server_.Context("admin").get(), changed, &o);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(OutagesTest, ExplicitIdIsIdempotentAndGuardsContent) {
  v1::DeclareOutageRequest req = Declaration("");
  req.set_outage_id("halle-2026-01-27");
  v1::Outage a, b;
  ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), req, &a).ok());
  ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), req, &b).ok());
  EXPECT_EQ(a.name(), "outages/halle-2026-01-27");
  EXPECT_EQ(b.cancelled_appointment_count(), 2);
  req.mutable_outage()->add_offices("offices/B");
  EXPECT_EQ(outages_->DeclareOutage(server_.Context("admin").get(), req, &b).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(OutagesTest, AppointmentsImportedLaterIntoTheWindowAreCancelledOnArrival) {
  v1::Outage o;
  ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), Declaration("r1"), &o).ok());
  v1::Appointment walk_in = MakeAppointment("A", "walk-in-7", 60);
  walk_in.set_kind(v1::WALK_IN);
  ASSERT_TRUE(Import({MakeAppointment("A", "late", 30), walk_in}).ok());
  EXPECT_THAT(
      Cancelled(o.name()),
      UnorderedElementsAre("offices/A/appointments/a-in-1", "offices/A/appointments/late",
                           "offices/A/appointments/walk-in-7", "offices/A/appointments/a-in-2"));
  v1::GetOutageRequest get;
  get.set_name(o.name());
  ASSERT_TRUE(outages_->GetOutage(server_.Context("admin").get(), get, &o).ok());
  EXPECT_EQ(o.cancelled_appointment_count(), 4);
}

TEST_F(OutagesTest, WalkInsBeforeTheDeclarationAreLinkedToIt) {
  v1::Appointment walk_in = MakeAppointment("A", "walk-in-1", 45);
  walk_in.set_kind(v1::WALK_IN);
  ASSERT_TRUE(Import({walk_in}).ok());
  v1::Outage o;
  ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), Declaration("r1"), &o).ok());
  EXPECT_EQ(o.cancelled_appointment_count(), 3);
  EXPECT_EQ(Cancelled(o.name()).size(), 3u);
}

TEST_F(OutagesTest, ImpactCountsPerOfficeServiceAndDay) {
  v1::Outage o;
  ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), Declaration("r1"), &o).ok());
  v1::GetOutageImpactRequest req;
  req.set_name(o.name());
  v1::OutageImpact impact;
  ASSERT_TRUE(outages_->GetOutageImpact(server_.Context("admin").get(), req, &impact).ok());
  ASSERT_EQ(impact.rows_size(), 1);
  EXPECT_EQ(impact.rows(0).office(), "offices/A");
  EXPECT_EQ(impact.rows(0).service_type(), "serviceTypes/kfz");
  EXPECT_EQ(impact.rows(0).original_date().day(), 27);
  EXPECT_EQ(impact.rows(0).appointment_count(), 2);
  EXPECT_EQ(impact.rows(0).work_minutes(), 30);
  EXPECT_EQ(impact.total_appointments(), 2);
  ASSERT_EQ(impact.office_statuses_size(), 1);
  EXPECT_EQ(impact.office_statuses(0).status_counts().at("CANCELLED"), 2);
}

TEST_F(OutagesTest, CloseRefusesWhileCitizensAreOpenUnlessForced) {
  v1::Outage o;
  ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), Declaration("r1"), &o).ok());
  v1::CloseOutageRequest close;
  close.set_name(o.name());
  grpc::Status s = outages_->CloseOutage(server_.Context("admin").get(), close, &o);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("2 citizens"));

  close.set_force(true);
  s = outages_->CloseOutage(server_.Context("admin").get(), close, &o);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("reason"));

  close.set_reason("Bürger telefonisch informiert");
  ASSERT_TRUE(outages_->CloseOutage(server_.Context("admin").get(), close, &o).ok());
  EXPECT_EQ(o.state(), v1::Outage::CLOSED);
  EXPECT_EQ(o.close_reason(), "Bürger telefonisch informiert");
}

TEST_F(OutagesTest, InvalidDeclarationNamesEveryBadField) {
  v1::DeclareOutageRequest req = Declaration("r9");
  req.mutable_outage()->add_offices("offices/NOPE");
  req.mutable_outage()->add_offices("bad name");
  req.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(
      kOutageStart.time_since_epoch().count() - 60);
  v1::Outage o;
  grpc::Status s = outages_->DeclareOutage(server_.Context("admin").get(), req, &o);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ::testing::Contains("outage.offices[2]"));
  // Nothing was declared.
  v1::ListOutagesResponse list;
  ASSERT_TRUE(outages_->ListOutages(server_.Context("admin").get(), {}, &list).ok());
  EXPECT_EQ(list.outages_size(), 0);
}

}  // namespace
}  // namespace rebook::testing
