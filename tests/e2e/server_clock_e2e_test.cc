// Issue 14.1 with a real rebookd on the real clock (no --simulated_time): an outage that ended
// more than four days ago is refused with FAILED_PRECONDITION naming the field, one of today is
// declared, a plan horizon in the past is refused, and a plan offers no slot before
// now + the minimum notice (--min_notice_h).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "services/api/convert.h"
#include "services/domain/local_time.h"
#include "testing/child_process.h"
#include "testing/files.h"
#include "testing/rebookd/local_rebookd.h"
#include "testing/rebookd/test_database.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::rebook::v1;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int kNoticeHours = 6;
constexpr int kAppointments = 8;

void SetInterval(Instant start, Instant end, v1::TimeInterval* out) {
  api::ToIntervalProto({start, end}, out);
}

Instant FromProto(const google::protobuf::Timestamp& t) { return Instant(seconds(t.seconds())); }

class ServerClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // SQLite, or PostgreSQL with REBOOK_TEST_BACKEND=postgres (testing/rebookd/test_database.h).
    ASSERT_TRUE(db_.status().ok()) << db_.status();
    db_.Close();
    const fs::path dir = db_.dir();
    std::ofstream(dir / "tokens") << TokenFileText({{"admin", "admin", "*"}});
    auto process = ChildProcess::Start(
        {BinaryPath("rebookd"), "--listen=127.0.0.1:0", "--db=" + db_.db(),
         "--tokens=" + (dir / "tokens").string(), "--port_file=" + (dir / "port").string(),
         absl::StrCat("--min_notice_h=", kNoticeHours)},
        LogFile((dir / "rebookd.log").string()));
    ASSERT_TRUE(process.ok()) << process.status();
    rebookd_ = std::move(*process);
    absl::StatusOr<int> port =
        WaitForPortFile((dir / "port").string(), *rebookd_, std::chrono::milliseconds(60'000));
    ASSERT_TRUE(port.ok()) << port.status() << ReadFileOrEmpty((dir / "rebookd.log").string());
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", *port), grpc::InsecureChannelCredentials());
    outages_ = v1::OutageService::NewStub(channel);
    plans_ = v1::PlanService::NewStub(channel);
    appointments_ = v1::AppointmentService::NewStub(channel);
    ImportRelativeToNow();
  }

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer admin");
    ctx->set_deadline(std::chrono::system_clock::now() + seconds(60));
    return ctx;
  }

  // Offices A and B with clerk ka working at A around the clock for the next four days, and
  // appointments at A starting within the next two hours.
  void ImportRelativeToNow() {
    v1::ImportBundleRequest req;
    *req.mutable_capacity() = SeedCapacityRequest();
    req.mutable_capacity()->clear_shifts();
    const Instant hour = std::chrono::floor<hours>(now_);
    for (int i = 0; i < 12; ++i) {
      v1::Shift* s = req.mutable_capacity()->add_shifts();
      s->set_name(absl::StrCat("offices/A/shifts/s", i));
      s->set_clerk("clerks/ka");
      s->set_kind(v1::REGULAR);
      SetInterval(hour + hours(8 * i), hour + hours(8 * i + 8), s->mutable_interval());
    }
    for (int i = 0; i < kAppointments; ++i) {
      v1::Appointment a = MakeAppointment("A", absl::StrCat("t", i), 0);
      a.mutable_original_start_time()->set_seconds(
          (now_ + minutes(10 + 10 * i)).time_since_epoch().count());
      *req.mutable_appointments()->add_appointments() = a;
    }
    v1::ImportBundleResponse resp;
    auto ctx = Context();
    auto w = appointments_->ImportBundle(ctx.get(), &resp);
    ASSERT_TRUE(w->Write(req));
    w->WritesDone();
    grpc::Status s = w->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status Declare(const std::string& id, Instant start, Instant end, v1::Outage* out) {
    v1::DeclareOutageRequest req;
    req.set_outage_id(id);
    req.mutable_outage()->add_offices("offices/A");
    SetInterval(start, end, req.mutable_outage()->mutable_window());
    return outages_->DeclareOutage(Context().get(), req, out);
  }

  grpc::Status Plan(Instant start, Instant end, v1::Plan* plan) {
    v1::CreatePlanRequest req;
    req.set_parent("outages/today");
    req.set_plan_id(absl::StrCat("p", start.time_since_epoch().count()));
    SetInterval(start, end, req.mutable_parameters()->mutable_horizon());
    req.mutable_parameters()->mutable_time_limit()->set_seconds(3);
    auto ctx = Context();
    auto reader = plans_->CreatePlan(ctx.get(), req);
    v1::CreatePlanResponse msg;
    while (reader->Read(&msg)) {
      if (msg.has_plan()) *plan = msg.plan();
    }
    return reader->Finish();
  }

  const Instant now_ = SystemClock::Instance().Now();
  TestDatabase db_{"rebook-server-clock"};
  std::unique_ptr<ChildProcess> rebookd_;
  std::unique_ptr<v1::OutageService::Stub> outages_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::AppointmentService::Stub> appointments_;
};

TEST_F(ServerClockTest, PastOutagesAndHorizonsAreRefusedAndNoSlotIsTooSoon) {
  v1::Outage outage;
  // Ten months ago.
  grpc::Status past = Declare("old", now_ - hours(24 * 300), now_ - hours(24 * 300 - 4), &outage);
  EXPECT_EQ(past.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << past.error_message();
  EXPECT_NE(past.error_message().find("outage.window.end_time"), std::string::npos)
      << past.error_message();
  EXPECT_NE(past.error_message().find("lies in the past"), std::string::npos);
  // Ended five days ago: too late to declare.
  grpc::Status late = Declare("late", now_ - hours(24 * 5 + 4), now_ - hours(24 * 5), &outage);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(late.error_message().find("outage.window.end_time"), std::string::npos)
      << late.error_message();
  const Instant midnight =
      domain::StartOfLocalDay("Europe/Berlin", domain::LocalDateOf("Europe/Berlin", now_));

  // Today: from its local midnight (as an outage that began earlier today) to two hours on.
  grpc::Status today = Declare("today", midnight, now_ + hours(2) + minutes(10), &outage);
  ASSERT_TRUE(today.ok()) << today.error_message();
  EXPECT_EQ(outage.cancelled_appointment_count(), kAppointments);

  v1::Plan plan;
  grpc::Status stale = Plan(now_ - hours(1), now_ + hours(72), &plan);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(stale.error_message().find("parameters.horizon.start_time"), std::string::npos)
      << stale.error_message();

  grpc::Status made = Plan(now_ + minutes(1), now_ + hours(72), &plan);
  ASSERT_TRUE(made.ok()) << made.error_message();
  const Instant earliest = now_ + hours(kNoticeHours);
  EXPECT_GE(FromProto(plan.parameters().horizon().start_time()), earliest);
  EXPECT_EQ(plan.summary().assigned_count(), kAppointments);
  v1::ListPlanAssignmentsRequest list;
  list.set_parent(plan.name());
  list.set_page_size(100);
  v1::ListPlanAssignmentsResponse rows;
  ASSERT_TRUE(plans_->ListPlanAssignments(Context().get(), list, &rows).ok());
  ASSERT_EQ(rows.assignments_size(), kAppointments);
  for (const v1::PlanAssignment& a : rows.assignments()) {
    ASSERT_TRUE(a.assigned()) << a.appointment();
    EXPECT_GE(FromProto(a.interval().start_time()), earliest) << a.appointment();
  }
  v1::CommitPlanRequest commit;
  commit.set_name(plan.name());
  v1::Plan committed;
  grpc::Status c = plans_->CommitPlan(Context().get(), commit, &committed);
  ASSERT_TRUE(c.ok()) << c.error_message();
  EXPECT_EQ(committed.state(), v1::Plan::COMMITTED);
}

}  // namespace
}  // namespace rebook::testing
