// Office scoping: principals of office B go through every RPC with office A's identifiers.
// Nothing of A may come back, and nothing of A may change.
#include <functional>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using google::protobuf::Message;

class AccessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_.SeedCapacity();
    v1::Appointment b = MakeAppointment("B", "b1", 10);
    b.mutable_contact()->set_name("Bernd Beispiel");
    b.mutable_contact()->set_email("bernd@example.net");
    ImportAsAdmin({MakeAppointment("A", "a1", 10), MakeAppointment("A", "a2", 20), b});
    v1::DeclareOutageRequest declare;
    declare.set_outage_id("outage-a");
    declare.mutable_outage()->add_offices("offices/A");
    declare.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(
        kOutageStart.time_since_epoch().count());
    declare.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(
        kOutageStart.time_since_epoch().count() + 3600);
    v1::Outage o;
    ASSERT_TRUE(outages_->DeclareOutage(server_.Context("admin").get(), declare, &o).ok());
    v1::CreateClosureRequest closure;
    closure.set_parent("offices/A");
    closure.mutable_closure()->mutable_date()->set_year(2026);
    closure.mutable_closure()->mutable_date()->set_month(2);
    closure.mutable_closure()->mutable_date()->set_day(3);
    v1::Closure c;
    ASSERT_TRUE(capacity_->CreateClosure(server_.Context("admin").get(), closure, &c).ok());
    snapshot_ = SnapshotOfA();
  }

  void ImportAsAdmin(const std::vector<v1::Appointment>& appts) {
    v1::ImportAppointmentsRequest req;
    for (const auto& a : appts) *req.add_appointments() = a;
    v1::ImportAppointmentsResponse resp;
    auto ctx = server_.Context("admin");
    auto w = appointments_->ImportAppointments(ctx.get(), &resp);
    w->Write(req);
    w->WritesDone();
    ASSERT_TRUE(w->Finish().ok());
  }

  // Everything an admin sees of office A, as text.
  std::string SnapshotOfA() {
    std::string out, text;
    v1::ListAppointmentsRequest la;
    la.set_parent("offices/A");
    v1::ListAppointmentsResponse appts;
    EXPECT_TRUE(appointments_->ListAppointments(server_.Context("admin").get(), la, &appts).ok());
    for (auto& a : *appts.mutable_appointments()) a.clear_update_time();
    google::protobuf::TextFormat::PrintToString(appts, &text);
    out += text;
    v1::GetOutageRequest go;
    go.set_name("outages/outage-a");
    v1::Outage o;
    EXPECT_TRUE(outages_->GetOutage(server_.Context("admin").get(), go, &o).ok());
    google::protobuf::TextFormat::PrintToString(o, &text);
    out += text;
    for (const char* what : {"shifts", "closures", "clerk"}) {
      if (std::string(what) == "shifts") {
        v1::ListShiftsRequest r;
        r.set_parent("offices/A");
        v1::ListShiftsResponse s;
        EXPECT_TRUE(capacity_->ListShifts(server_.Context("admin").get(), r, &s).ok());
        google::protobuf::TextFormat::PrintToString(s, &text);
      } else if (std::string(what) == "closures") {
        v1::ListClosuresRequest r;
        r.set_parent("offices/A");
        v1::ListClosuresResponse s;
        EXPECT_TRUE(capacity_->ListClosures(server_.Context("admin").get(), r, &s).ok());
        google::protobuf::TextFormat::PrintToString(s, &text);
      } else {
        v1::GetClerkRequest r;
        r.set_name("clerks/ka");
        v1::Clerk s;
        EXPECT_TRUE(capacity_->GetClerk(server_.Context("admin").get(), r, &s).ok());
        google::protobuf::TextFormat::PrintToString(s, &text);
      }
      out += text;
    }
    v1::GetOfficeRequest gof;
    gof.set_name("offices/A");
    v1::Office office;
    EXPECT_TRUE(capacity_->GetOffice(server_.Context("admin").get(), gof, &office).ok());
    google::protobuf::TextFormat::PrintToString(office, &text);
    return out + text;
  }

  // The call must fail with one of the denial codes, or succeed without any trace of A.
  void ExpectNoLeak(const std::string& rpc, const grpc::Status& s, const Message& resp) {
    SCOPED_TRACE(rpc);
    std::string text;
    google::protobuf::TextFormat::PrintToString(resp, &text);
    if (s.ok()) {
      for (const char* secret : {"offices/A", "Erika", "erika@", "clerks/ka", "outage-a"}) {
        EXPECT_EQ(text.find(secret), std::string::npos) << rpc << " leaked " << secret << ":\n"
                                                        << text;
      }
      return;
    }
    EXPECT_THAT(s.error_code(),
                ::testing::AnyOf(grpc::StatusCode::NOT_FOUND, grpc::StatusCode::PERMISSION_DENIED,
                                 grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_EQ(s.error_message().find("Erika"), std::string::npos);
    ++denied_;
  }

  template <typename Req, typename Resp, typename Stub, typename Rpc>
  void Call(const std::string& name, Stub& stub, Rpc rpc, const Req& req) {
    Resp resp;
    grpc::Status s = (stub.*rpc)(server_.Context(GetParam()).get(), req, &resp);
    ExpectNoLeak(name, s, resp);
  }

  TestServer server_;
  std::unique_ptr<v1::OutageService::Stub> outages_ = v1::OutageService::NewStub(server_.channel());
  std::unique_ptr<v1::AppointmentService::Stub> appointments_ =
      v1::AppointmentService::NewStub(server_.channel());
  std::unique_ptr<v1::CapacityService::Stub> capacity_ =
      v1::CapacityService::NewStub(server_.channel());
  std::string snapshot_;
  int denied_ = 0;
};

TEST_P(AccessTest, EveryRpcWithForeignIdentifiersLeaksAndChangesNothing) {
  using OS = v1::OutageService::Stub;
  using AS = v1::AppointmentService::Stub;
  using CS = v1::CapacityService::Stub;
  const std::string appt = "offices/A/appointments/a1";

  // Outages.
  {
    v1::DeclareOutageRequest r;
    r.mutable_outage()->add_offices("offices/A");
    r.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(
        kOutageStart.time_since_epoch().count() + 7200);
    r.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(
        kOutageStart.time_since_epoch().count() + 9000);
    Call<v1::DeclareOutageRequest, v1::Outage>("DeclareOutage", *outages_, &OS::DeclareOutage, r);
  }
  {
    v1::GetOutageRequest r;
    r.set_name("outages/outage-a");
    Call<v1::GetOutageRequest, v1::Outage>("GetOutage", *outages_, &OS::GetOutage, r);
    v1::GetOutageImpactRequest i;
    i.set_name("outages/outage-a");
    Call<v1::GetOutageImpactRequest, v1::OutageImpact>("GetOutageImpact", *outages_,
                                                       &OS::GetOutageImpact, i);
    v1::CloseOutageRequest c;
    c.set_name("outages/outage-a");
    c.set_force(true);
    c.set_reason("x");
    Call<v1::CloseOutageRequest, v1::Outage>("CloseOutage", *outages_, &OS::CloseOutage, c);
    v1::ListOutagesRequest l;
    Call<v1::ListOutagesRequest, v1::ListOutagesResponse>("ListOutages(all)", *outages_,
                                                          &OS::ListOutages, l);
    l.set_office("offices/A");
    Call<v1::ListOutagesRequest, v1::ListOutagesResponse>("ListOutages(A)", *outages_,
                                                          &OS::ListOutages, l);
  }
  // Appointments.
  {
    v1::GetAppointmentRequest g;
    g.set_name(appt);
    Call<v1::GetAppointmentRequest, v1::Appointment>("GetAppointment", *appointments_,
                                                     &AS::GetAppointment, g);
    v1::ListAppointmentsRequest l;
    l.set_parent("offices/-");
    Call<v1::ListAppointmentsRequest, v1::ListAppointmentsResponse>(
        "ListAppointments(-)", *appointments_, &AS::ListAppointments, l);
    l.set_outage("outages/outage-a");
    Call<v1::ListAppointmentsRequest, v1::ListAppointmentsResponse>(
        "ListAppointments(outage)", *appointments_, &AS::ListAppointments, l);
    l.set_parent("offices/A");
    Call<v1::ListAppointmentsRequest, v1::ListAppointmentsResponse>(
        "ListAppointments(A)", *appointments_, &AS::ListAppointments, l);
    v1::CreateAppointmentRequest c;
    c.set_parent("offices/A");
    c.set_appointment_id("intruder");
    *c.mutable_appointment() = MakeAppointment("A", "intruder", 5);
    Call<v1::CreateAppointmentRequest, v1::Appointment>("CreateAppointment", *appointments_,
                                                        &AS::CreateAppointment, c);
    v1::UpdateAppointmentRequest u;
    u.mutable_appointment()->set_name(appt);
    u.mutable_appointment()->set_priority(9);
    u.mutable_update_mask()->add_paths("priority");
    Call<v1::UpdateAppointmentRequest, v1::Appointment>("UpdateAppointment", *appointments_,
                                                        &AS::UpdateAppointment, u);
    v1::MarkSelfRebookedRequest m;
    m.set_name(appt);
    Call<v1::MarkSelfRebookedRequest, v1::Appointment>("MarkSelfRebooked", *appointments_,
                                                       &AS::MarkSelfRebooked, m);
    v1::BatchMarkSelfRebookedRequest bm;
    *bm.add_requests() = m;
    Call<v1::BatchMarkSelfRebookedRequest, v1::BatchMarkSelfRebookedResponse>(
        "BatchMarkSelfRebooked", *appointments_, &AS::BatchMarkSelfRebooked, bm);
    v1::CloseAppointmentRequest cl;
    cl.set_name(appt);
    cl.set_reason("x");
    Call<v1::CloseAppointmentRequest, v1::Appointment>("CloseAppointment", *appointments_,
                                                       &AS::CloseAppointment, cl);
    v1::DeleteAppointmentRequest d;
    d.set_name(appt);
    Call<v1::DeleteAppointmentRequest, google::protobuf::Empty>("DeleteAppointment", *appointments_,
                                                                &AS::DeleteAppointment, d);
    // Streaming import with an appointment of A.
    v1::ImportAppointmentsResponse resp;
    auto ctx = server_.Context(GetParam());
    auto w = appointments_->ImportAppointments(ctx.get(), &resp);
    v1::ImportAppointmentsRequest req;
    *req.add_appointments() = MakeAppointment("A", "smuggled", 15);
    w->Write(req);
    w->WritesDone();
    ExpectNoLeak("ImportAppointments", w->Finish(), resp);
  }
  // Capacity.
  {
    v1::GetOfficeRequest go;
    go.set_name("offices/A");
    Call<v1::GetOfficeRequest, v1::Office>("GetOffice", *capacity_, &CS::GetOffice, go);
    Call<v1::ListOfficesRequest, v1::ListOfficesResponse>("ListOffices", *capacity_,
                                                          &CS::ListOffices, {});
    v1::UpdateOfficeRequest uo;
    uo.mutable_office()->set_name("offices/A");
    uo.mutable_office()->set_display_name("taken over");
    uo.mutable_update_mask()->add_paths("display_name");
    Call<v1::UpdateOfficeRequest, v1::Office>("UpdateOffice", *capacity_, &CS::UpdateOffice, uo);
    v1::DeleteOfficeRequest dof;
    dof.set_name("offices/A");
    Call<v1::DeleteOfficeRequest, google::protobuf::Empty>("DeleteOffice", *capacity_,
                                                           &CS::DeleteOffice, dof);
    v1::CreateOfficeRequest co;
    co.set_office_id("A2");
    Call<v1::CreateOfficeRequest, v1::Office>("CreateOffice", *capacity_, &CS::CreateOffice, co);

    v1::GetClerkRequest gc;
    gc.set_name("clerks/ka");
    Call<v1::GetClerkRequest, v1::Clerk>("GetClerk", *capacity_, &CS::GetClerk, gc);
    Call<v1::ListClerksRequest, v1::ListClerksResponse>("ListClerks(all)", *capacity_,
                                                        &CS::ListClerks, {});
    v1::ListClerksRequest lc;
    lc.set_office("offices/A");
    Call<v1::ListClerksRequest, v1::ListClerksResponse>("ListClerks(A)", *capacity_,
                                                        &CS::ListClerks, lc);
    v1::UpdateClerkRequest uc;
    uc.mutable_clerk()->set_name("clerks/ka");
    uc.mutable_clerk()->set_display_name("x");
    uc.mutable_update_mask()->add_paths("display_name");
    Call<v1::UpdateClerkRequest, v1::Clerk>("UpdateClerk", *capacity_, &CS::UpdateClerk, uc);
    v1::DeleteClerkRequest dc;
    dc.set_name("clerks/ka");
    Call<v1::DeleteClerkRequest, google::protobuf::Empty>("DeleteClerk", *capacity_,
                                                          &CS::DeleteClerk, dc);
    v1::CreateClerkRequest cc;
    cc.set_clerk_id("kx");
    cc.mutable_clerk()->set_display_name("x");
    cc.mutable_clerk()->set_home_office("offices/A");
    Call<v1::CreateClerkRequest, v1::Clerk>("CreateClerk", *capacity_, &CS::CreateClerk, cc);

    v1::CreateShiftRequest cs;
    cs.set_parent("offices/A");
    cs.mutable_shift()->set_clerk("clerks/kb");
    *cs.mutable_shift()->mutable_interval() = [] {
      v1::TimeInterval t;
      t.mutable_start_time()->set_seconds(kOutageStart.time_since_epoch().count() + 3 * 86400);
      t.mutable_end_time()->set_seconds(kOutageStart.time_since_epoch().count() + 3 * 86400 + 3600);
      return t;
    }();
    Call<v1::CreateShiftRequest, v1::Shift>("CreateShift", *capacity_, &CS::CreateShift, cs);
    v1::GetShiftRequest gs;
    gs.set_name("offices/A/shifts/s1");
    Call<v1::GetShiftRequest, v1::Shift>("GetShift", *capacity_, &CS::GetShift, gs);
    v1::ListShiftsRequest ls;
    ls.set_parent("offices/-");
    Call<v1::ListShiftsRequest, v1::ListShiftsResponse>("ListShifts(-)", *capacity_,
                                                        &CS::ListShifts, ls);
    ls.set_parent("offices/A");
    Call<v1::ListShiftsRequest, v1::ListShiftsResponse>("ListShifts(A)", *capacity_,
                                                        &CS::ListShifts, ls);
    v1::DeleteShiftRequest ds;
    ds.set_name("offices/A/shifts/s1");
    Call<v1::DeleteShiftRequest, google::protobuf::Empty>("DeleteShift", *capacity_,
                                                          &CS::DeleteShift, ds);

    v1::CreateClosureRequest ccl;
    ccl.set_parent("offices/A");
    ccl.mutable_closure()->mutable_date()->set_year(2026);
    ccl.mutable_closure()->mutable_date()->set_month(2);
    ccl.mutable_closure()->mutable_date()->set_day(4);
    Call<v1::CreateClosureRequest, v1::Closure>("CreateClosure", *capacity_, &CS::CreateClosure,
                                                ccl);
    v1::ListClosuresRequest lcl;
    lcl.set_parent("offices/A");
    Call<v1::ListClosuresRequest, v1::ListClosuresResponse>("ListClosures(A)", *capacity_,
                                                            &CS::ListClosures, lcl);
    lcl.set_parent("offices/-");
    Call<v1::ListClosuresRequest, v1::ListClosuresResponse>("ListClosures(-)", *capacity_,
                                                            &CS::ListClosures, lcl);
    v1::DeleteClosureRequest dcl;
    dcl.set_name("offices/A/closures/2026-02-03");
    Call<v1::DeleteClosureRequest, google::protobuf::Empty>("DeleteClosure", *capacity_,
                                                            &CS::DeleteClosure, dcl);

    v1::CreateStandingBookingRequest csb;
    csb.set_parent("offices/A");
    csb.set_standing_booking_id("sb");
    csb.mutable_standing_booking()->set_clerk("clerks/kb");
    *csb.mutable_standing_booking()->mutable_interval() = cs.shift().interval();
    Call<v1::CreateStandingBookingRequest, v1::StandingBooking>("CreateStandingBooking", *capacity_,
                                                                &CS::CreateStandingBooking, csb);
    v1::ListStandingBookingsRequest lsb;
    lsb.set_parent("offices/A");
    Call<v1::ListStandingBookingsRequest, v1::ListStandingBookingsResponse>(
        "ListStandingBookings", *capacity_, &CS::ListStandingBookings, lsb);
    v1::DeleteStandingBookingRequest dsb;
    dsb.set_name("offices/A/standingBookings/none");
    Call<v1::DeleteStandingBookingRequest, google::protobuf::Empty>(
        "DeleteStandingBooking", *capacity_, &CS::DeleteStandingBooking, dsb);

    v1::ReportClerkAbsenceRequest ra;
    ra.set_clerk("clerks/ka");
    *ra.mutable_interval() = cs.shift().interval();
    Call<v1::ReportClerkAbsenceRequest, v1::ReportClerkAbsenceResponse>(
        "ReportClerkAbsence", *capacity_, &CS::ReportClerkAbsence, ra);

    v1::ImportCapacityResponse resp;
    auto ctx = server_.Context(GetParam());
    auto w = capacity_->ImportCapacity(ctx.get(), &resp);
    v1::ImportCapacityRequest req;
    v1::Shift* s = req.add_shifts();
    s->set_name("offices/A/shifts/smuggled");
    s->set_clerk("clerks/kb");
    *s->mutable_interval() = cs.shift().interval();
    w->Write(req);
    w->WritesDone();
    ExpectNoLeak("ImportCapacity", w->Finish(), resp);
  }

  EXPECT_GE(denied_, 30);
  EXPECT_EQ(SnapshotOfA(), snapshot_) << "office A changed";
}

TEST_P(AccessTest, OwnOfficeStillWorks) {
  v1::GetAppointmentRequest g;
  g.set_name("offices/B/appointments/b1");
  v1::Appointment a;
  ASSERT_TRUE(appointments_->GetAppointment(server_.Context(GetParam()).get(), g, &a).ok());
  EXPECT_EQ(a.contact().name(), "Bernd Beispiel");
}

INSTANTIATE_TEST_SUITE_P(OfficeBPrincipals, AccessTest, ::testing::Values("clerk-b", "admin-b"));

// Issue 18: an outage over offices A and B shows each office only its own cancellations.
TEST(OutageCountTest, CancelledAppointmentsAreCountedOnlyWhereTheCallerMaySee) {
  TestServer server;
  server.SeedCapacity();
  auto appointments = v1::AppointmentService::NewStub(server.channel());
  v1::ImportAppointmentsRequest req;
  for (const char* id : {"a1", "a2", "a3"}) *req.add_appointments() = MakeAppointment("A", id, 10);
  *req.add_appointments() = MakeAppointment("B", "b1", 10);
  v1::ImportAppointmentsResponse imported;
  auto ctx = server.Context("admin");
  auto w = appointments->ImportAppointments(ctx.get(), &imported);
  w->Write(req);
  w->WritesDone();
  ASSERT_TRUE(w->Finish().ok());

  auto outages = v1::OutageService::NewStub(server.channel());
  v1::DeclareOutageRequest declare;
  declare.set_outage_id("both");
  declare.mutable_outage()->add_offices("offices/A");
  declare.mutable_outage()->add_offices("offices/B");
  declare.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(
      kOutageStart.time_since_epoch().count());
  declare.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(
      kOutageStart.time_since_epoch().count() + 3600);
  v1::Outage o;
  ASSERT_TRUE(outages->DeclareOutage(server.Context("admin").get(), declare, &o).ok());
  EXPECT_EQ(o.cancelled_appointment_count(), 4);

  v1::GetOutageRequest get;
  get.set_name("outages/both");
  ASSERT_TRUE(outages->GetOutage(server.Context("clerk-b").get(), get, &o).ok());
  EXPECT_EQ(o.cancelled_appointment_count(), 1);
  ASSERT_TRUE(outages->GetOutage(server.Context("admin-a").get(), get, &o).ok());
  EXPECT_EQ(o.cancelled_appointment_count(), 3);
  v1::ListOutagesResponse list;
  ASSERT_TRUE(outages->ListOutages(server.Context("clerk-b").get(), {}, &list).ok());
  ASSERT_EQ(list.outages_size(), 1);
  EXPECT_EQ(list.outages(0).cancelled_appointment_count(), 1);
}

TEST(AuthenticationTest, MissingOrUnknownTokensAreUnauthenticated) {
  TestServer server;
  auto stub = v1::OutageService::NewStub(server.channel());
  v1::ListOutagesResponse resp;
  EXPECT_EQ(stub->ListOutages(server.Context("").get(), {}, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub->ListOutages(server.Context("forged").get(), {}, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(stub->ListOutages(server.Context("clerk-a").get(), {}, &resp).ok());
}

TEST(AuthorizationTest, RolesLimitWhatPrincipalsMayDo) {
  TestServer server;
  server.SeedCapacity();
  auto outages = v1::OutageService::NewStub(server.channel());
  v1::DeclareOutageRequest r;
  r.mutable_outage()->add_offices("offices/A");
  r.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(
      kOutageStart.time_since_epoch().count());
  r.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(
      kOutageStart.time_since_epoch().count() + 60);
  v1::Outage o;
  EXPECT_EQ(outages->DeclareOutage(server.Context("clerk-a").get(), r, &o).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(outages->DeclareOutage(server.Context("notifier").get(), r, &o).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(outages->DeclareOutage(server.Context("admin-a").get(), r, &o).ok());
}

}  // namespace
}  // namespace rebook::testing
