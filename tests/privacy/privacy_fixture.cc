#include "tests/privacy/privacy_fixture.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "sqlite3.h"
#include "testing/child_process.h"

namespace rebook::testing {
namespace {

constexpr std::int64_t kDay = 86400;
const std::int64_t kStart = kOutageStart.time_since_epoch().count();

api::ServerOptions Options() {
  api::ServerOptions o;
  o.notifications.public_base_url = "https://termine.example.de";
  return o;
}

}  // namespace

PrivacyTest::PrivacyTest() : server_(Options(), /*simulated_time=*/true) {}

void PrivacyTest::SetUp() {
  server_.SeedCapacity();
  appointments_ = v1::AppointmentService::NewStub(server_.channel());
  outages_ = v1::OutageService::NewStub(server_.channel());
  plans_ = v1::PlanService::NewStub(server_.channel());
  notifications_ = v1::NotificationService::NewStub(server_.channel());
  privacy_ = v1::PrivacyService::NewStub(server_.channel());
  simulation_ = v1::SimulationService::NewStub(server_.channel());
}

void PrivacyTest::CreateCitizen(const std::string& id, const v1::Contact& contact) {
  v1::CreateAppointmentRequest req;
  req.set_parent("offices/A");
  req.set_appointment_id(id);
  *req.mutable_appointment() = MakeAppointment("A", id, 30);
  *req.mutable_appointment()->mutable_contact() = contact;
  req.set_request_id("create-" + id);
  v1::Appointment out;
  grpc::Status s = appointments_->CreateAppointment(server_.Context("admin-a").get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

void PrivacyTest::DeclarePlanCommitAndFailOnce(const std::string& rejected_address) {
  v1::DeclareOutageRequest declare;
  declare.set_outage_id("o1");
  declare.mutable_outage()->add_offices("offices/A");
  declare.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(kStart);
  declare.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(kStart + 5 * 3600);
  declare.mutable_outage()->set_cause("Stromausfall");
  v1::Outage o;
  grpc::Status s = outages_->DeclareOutage(server_.Context("admin").get(), declare, &o);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::CreatePlanRequest req;
  req.set_parent("outages/o1");
  req.set_request_id("plan-1");
  v1::PlanParameters* p = req.mutable_parameters();
  p->mutable_horizon()->mutable_start_time()->set_seconds(kStart + kDay / 2);
  p->mutable_horizon()->mutable_end_time()->set_seconds(kStart + 7 * kDay);
  p->mutable_time_limit()->set_seconds(5);
  v1::Plan plan;
  {
    auto ctx = server_.Context("planner");
    auto reader = plans_->CreatePlan(ctx.get(), req);
    v1::CreatePlanResponse msg;
    while (reader->Read(&msg)) {
      if (msg.has_plan()) plan = msg.plan();
    }
    s = reader->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::CommitPlanRequest commit;
  commit.set_name(plan.name());
  commit.set_request_id("commit-1");
  v1::Plan committed;
  s = plans_->CommitPlan(server_.Context("planner").get(), commit, &committed);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::LeaseMessagesRequest lease;
  lease.add_channels("email");
  lease.set_max_messages(10);
  v1::LeaseMessagesResponse leased;
  s = notifications_->LeaseMessages(server_.Context("notifier").get(), lease, &leased);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_GE(leased.messages_size(), 1);
  for (const v1::LeasedMessage& m : leased.messages()) {
    v1::ReportDeliveryRequest report;
    report.set_name(m.message().name());
    report.set_lease_token(m.lease_token());
    report.set_outcome(v1::ReportDeliveryRequest::TEMPORARY_FAILURE);
    report.set_reason(absl::StrCat("452 4.2.2 <", rejected_address, ">: mailbox full"));
    v1::Message out;
    s = notifications_->ReportDelivery(server_.Context("notifier").get(), report, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
}

void PrivacyTest::CloseOutage() {
  v1::CloseOutageRequest req;
  req.set_name("outages/o1");
  req.set_force(true);
  req.set_reason("power is back");
  req.set_request_id("close-1");
  v1::Outage o;
  grpc::Status s = outages_->CloseOutage(server_.Context("admin").get(), req, &o);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

void PrivacyTest::AdvanceDays(int days) {
  v1::AdvanceSimulatedTimeRequest req;
  req.mutable_by()->set_seconds(days * kDay);
  v1::SimulatedTime now;
  grpc::Status s = simulation_->AdvanceSimulatedTime(server_.Context("admin").get(), req, &now);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

grpc::Status PrivacyTest::Purge(const std::string& token, v1::PurgeExpiredDataResponse* out,
                                const std::string& parent) {
  v1::PurgeExpiredDataRequest req;
  req.set_parent(parent);
  return privacy_->PurgeExpiredData(server_.Context(token).get(), req, out);
}

grpc::Status PrivacyTest::Export(const std::string& token, const std::string& citizen,
                                 v1::CitizenData* out, const std::string& parent) {
  v1::ExportCitizenDataRequest req;
  req.set_parent(parent);
  req.set_citizen(citizen);
  return privacy_->ExportCitizenData(server_.Context(token).get(), req, out);
}

grpc::Status PrivacyTest::Erase(const std::string& token, const std::string& citizen,
                                v1::EraseCitizenDataResponse* out, const std::string& parent) {
  v1::EraseCitizenDataRequest req;
  req.set_parent(parent);
  req.set_citizen(citizen);
  req.set_request_id("erase-" + citizen);
  return privacy_->EraseCitizenData(server_.Context(token).get(), req, out);
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string DumpRows(const std::string& url) {
  absl::StatusOr<std::string> dump = RunCommand({"/usr/bin/pg_dump", "--data-only", url});
  return dump.ok() ? *dump : dump.status().ToString();
}

std::string BackupDatabase(const std::string& from, const std::string& to) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  std::string error;
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
      sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
          SQLITE_OK) {
    error = "cannot open the databases";
  } else if (sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main"); b == nullptr) {
    error = sqlite3_errmsg(dst);
  } else {
    const int step = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) error = absl::StrCat("backup step: ", sqlite3_errstr(step));
  }
  sqlite3_close(src);
  sqlite3_close(dst);
  return error;
}

}  // namespace rebook::testing
