// Appointments over gRPC: all-or-nothing import, idempotency, filters, paging, lifecycle.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class AppointmentsTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.SeedCapacity(); }

  // Streams `appts` in messages of `batch`, the first carrying `request_id`.
  grpc::Status Import(const std::vector<v1::Appointment>& appts, const std::string& request_id,
                      v1::ImportAppointmentsResponse* resp, std::size_t batch = 2,
                      const std::string& token = "admin") {
    auto ctx = server_.Context(token);
    auto writer = stub_->ImportAppointments(ctx.get(), resp);
    for (std::size_t i = 0; i == 0 || i < appts.size(); i += batch) {
      v1::ImportAppointmentsRequest req;
      if (i == 0) req.set_request_id(request_id);
      for (std::size_t j = i; j < std::min(appts.size(), i + batch); ++j) {
        *req.add_appointments() = appts[j];
      }
      if (!writer->Write(req)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  std::int64_t Count(const std::string& parent = "offices/-") {
    v1::ListAppointmentsRequest req;
    req.set_parent(parent);
    req.set_page_size(1);
    v1::ListAppointmentsResponse resp;
    EXPECT_TRUE(stub_->ListAppointments(server_.Context("admin").get(), req, &resp).ok());
    return resp.total_size();
  }

  TestServer server_;
  std::unique_ptr<v1::AppointmentService::Stub> stub_ =
      v1::AppointmentService::NewStub(server_.channel());
};

TEST_F(AppointmentsTest, ImportIsAllOrNothingWithEveryViolationNamed) {
  std::vector<v1::Appointment> appts;
  for (int i = 0; i < 5; ++i) appts.push_back(MakeAppointment("A", "ok-" + std::to_string(i), i));
  appts[2].set_priority(11);
  appts[3].set_service_type("serviceTypes/unknown");
  appts[4].mutable_contact()->set_email("not-an-address");
  v1::ImportAppointmentsResponse resp;
  grpc::Status s = Import(appts, "r1", &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s),
              ElementsAre("appointments[2].priority", "appointments[3].service_type",
                          "appointments[4].contact.email"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(AppointmentsTest, PreferredChannelsAreTheSpecsNamesAndTheOldOnesAreAliases) {
  const std::vector<std::pair<std::string, std::string>> sent_and_stored = {
      {"email", "email"}, {"sms", "sms"},          {"letter", "letter"},
      {"phone", "phone"}, {"phone_list", "phone"}, {"smtp", "email"}};
  std::vector<v1::Appointment> appts;
  for (std::size_t i = 0; i < sent_and_stored.size(); ++i) {
    appts.push_back(MakeAppointment("A", "ch-" + std::to_string(i), 5));
    appts.back().mutable_contact()->set_phone("0345 1234567");
    appts.back().mutable_contact()->set_postal_address("Marktplatz 1\n06108 Halle");
    appts.back().mutable_contact()->set_channel(sent_and_stored[i].first);
  }
  v1::ImportAppointmentsResponse resp;
  grpc::Status s = Import(appts, "", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (std::size_t i = 0; i < sent_and_stored.size(); ++i) {
    v1::GetAppointmentRequest get;
    get.set_name(appts[i].name());
    v1::Appointment stored;
    ASSERT_TRUE(stub_->GetAppointment(server_.Context("admin").get(), get, &stored).ok());
    EXPECT_EQ(stored.contact().channel(), sent_and_stored[i].second) << sent_and_stored[i].first;
  }
  v1::Appointment pigeon = MakeAppointment("A", "pigeon", 5);
  pigeon.mutable_contact()->set_channel("pigeon");
  s = Import({pigeon}, "", &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("appointments[0].contact.channel"));
}

TEST_F(AppointmentsTest, RetriedImportHasOneEffect) {
  std::vector<v1::Appointment> appts = {MakeAppointment("A", "x1", 5),
                                        MakeAppointment("B", "x2", 5),
                                        MakeAppointment("A", "x3", 600)};
  v1::ImportAppointmentsResponse first, again, fresh_key;
  ASSERT_TRUE(Import(appts, "import-1", &first).ok());
  EXPECT_EQ(first.created_count(), 3);
  ASSERT_TRUE(Import(appts, "import-1", &again).ok());
  EXPECT_EQ(again.created_count(), 3);  // the stored answer of the first call
  // A new request id with the same rows: recognised by appointment id, nothing created.
  ASSERT_TRUE(Import(appts, "import-2", &fresh_key).ok());
  EXPECT_EQ(fresh_key.created_count(), 0);
  EXPECT_EQ(fresh_key.unchanged_count(), 3);
  EXPECT_EQ(Count(), 3);
  // The same request id with different rows is refused.
  appts.pop_back();
  EXPECT_EQ(Import(appts, "import-1", &again).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(AppointmentsTest, SameIdWithDifferentDataIsAlreadyExistsAndStoresNothing) {
  v1::ImportAppointmentsResponse resp;
  ASSERT_TRUE(Import({MakeAppointment("A", "dup", 5)}, "", &resp).ok());
  v1::Appointment changed = MakeAppointment("A", "dup", 5);
  changed.set_priority(9);
  grpc::Status s = Import({MakeAppointment("A", "new-one", 5), changed}, "", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("\"dup\""));
  EXPECT_EQ(Count(), 1);
}

TEST_F(AppointmentsTest, ValidateOnlyStoresNothing) {
  auto ctx = server_.Context("admin");
  v1::ImportAppointmentsResponse resp;
  auto writer = stub_->ImportAppointments(ctx.get(), &resp);
  v1::ImportAppointmentsRequest req;
  req.set_validate_only(true);
  *req.add_appointments() = MakeAppointment("A", "v1", 5);
  writer->Write(req);
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(resp.created_count(), 1);
  EXPECT_EQ(Count(), 0);
}

TEST_F(AppointmentsTest, ListFiltersAndPagesEveryRowOnce) {
  std::vector<v1::Appointment> appts;
  for (int i = 0; i < 23; ++i) {
    appts.push_back(MakeAppointment(i % 2 ? "A" : "B", "p" + std::to_string(i), i,
                                    i % 3 ? "kfz" : "aufenthalt"));
  }
  appts[4].set_kind(v1::WALK_IN);
  v1::ImportAppointmentsResponse resp;
  ASSERT_TRUE(Import(appts, "", &resp, 7).ok());
  EXPECT_EQ(Count(), 23);
  EXPECT_EQ(Count("offices/A"), 11);

  std::set<std::string> seen;
  v1::ListAppointmentsRequest req;
  req.set_parent("offices/-");
  req.set_page_size(4);
  for (int pages = 0; pages < 20; ++pages) {
    v1::ListAppointmentsResponse page;
    ASSERT_TRUE(stub_->ListAppointments(server_.Context("admin").get(), req, &page).ok());
    for (const auto& a : page.appointments()) EXPECT_TRUE(seen.insert(a.name()).second);
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(seen.size(), 23u);

  v1::ListAppointmentsRequest filtered;
  filtered.set_parent("offices/B");
  filtered.set_service_type("serviceTypes/aufenthalt");
  v1::ListAppointmentsResponse out;
  ASSERT_TRUE(stub_->ListAppointments(server_.Context("admin").get(), filtered, &out).ok());
  for (const auto& a : out.appointments()) {
    EXPECT_THAT(a.name(), HasSubstr("offices/B/"));
    EXPECT_EQ(a.service_type(), "serviceTypes/aufenthalt");
  }
  EXPECT_EQ(out.total_size(), 4);

  v1::ListAppointmentsRequest walk_ins;
  walk_ins.set_parent("offices/-");
  walk_ins.set_kind(v1::WALK_IN);
  ASSERT_TRUE(stub_->ListAppointments(server_.Context("admin").get(), walk_ins, &out).ok());
  ASSERT_EQ(out.appointments_size(), 1);
  EXPECT_EQ(out.appointments(0).status(), v1::CANCELLED);  // turned away: waits for a slot
}

TEST_F(AppointmentsTest, WalkInCreateIsIdempotent) {
  v1::CreateAppointmentRequest req;
  req.set_parent("offices/A");
  req.set_appointment_id("ticket-0815");
  *req.mutable_appointment() = MakeAppointment("A", "ignored", 30);
  req.mutable_appointment()->set_kind(v1::WALK_IN);
  req.set_request_id("walk-in-1");
  v1::Appointment a, b;
  ASSERT_TRUE(stub_->CreateAppointment(server_.Context("clerk-a").get(), req, &a).ok());
  EXPECT_EQ(a.name(), "offices/A/appointments/ticket-0815");
  EXPECT_EQ(a.kind(), v1::WALK_IN);
  req.set_request_id("walk-in-1-retry-without-key-match");
  ASSERT_TRUE(stub_->CreateAppointment(server_.Context("clerk-a").get(), req, &b).ok());
  EXPECT_EQ(b.create_time().seconds(), a.create_time().seconds());
  EXPECT_EQ(Count(), 1);
}

TEST_F(AppointmentsTest, LifecycleChanges) {
  v1::ImportAppointmentsResponse resp;
  ASSERT_TRUE(
      Import({MakeAppointment("A", "c1", 5), MakeAppointment("A", "c2", 6)}, "", &resp).ok());
  v1::MarkSelfRebookedRequest self;
  self.set_name("offices/A/appointments/c1");
  v1::Appointment a;
  ASSERT_TRUE(stub_->MarkSelfRebooked(server_.Context("clerk-a").get(), self, &a).ok());
  EXPECT_EQ(a.status(), v1::SELF_REBOOKED);
  ASSERT_TRUE(stub_->MarkSelfRebooked(server_.Context("clerk-a").get(), self, &a).ok());

  v1::CloseAppointmentRequest close;
  close.set_name("offices/A/appointments/c2");
  EXPECT_EQ(stub_->CloseAppointment(server_.Context("clerk-a").get(), close, &a).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  close.set_reason("Antrag zurückgezogen");
  ASSERT_TRUE(stub_->CloseAppointment(server_.Context("clerk-a").get(), close, &a).ok());
  EXPECT_EQ(a.status(), v1::CLOSED);
  EXPECT_EQ(a.status_reason(), "Antrag zurückgezogen");
  EXPECT_EQ(stub_
                ->MarkSelfRebooked(
                    server_.Context("clerk-a").get(),
                    [] {
                      v1::MarkSelfRebookedRequest r;
                      r.set_name("offices/A/appointments/c2");
                      return r;
                    }(),
                    &a)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AppointmentsTest, UpdateWithFieldMaskChangesOnlyThoseFields) {
  v1::ImportAppointmentsResponse resp;
  ASSERT_TRUE(Import({MakeAppointment("A", "u1", 5)}, "", &resp).ok());
  v1::UpdateAppointmentRequest req;
  req.mutable_appointment()->set_name("offices/A/appointments/u1");
  req.mutable_appointment()->mutable_contact()->set_phone("+49 345 1234567");
  req.mutable_appointment()->set_priority(7);  // not in the mask: ignored
  req.mutable_update_mask()->add_paths("contact.phone");
  v1::Appointment a;
  ASSERT_TRUE(stub_->UpdateAppointment(server_.Context("clerk-a").get(), req, &a).ok());
  EXPECT_EQ(a.contact().phone(), "+49 345 1234567");
  EXPECT_EQ(a.contact().email(), "erika@example.org");
  EXPECT_EQ(a.priority(), 2);
  req.mutable_update_mask()->add_paths("status");
  grpc::Status s = stub_->UpdateAppointment(server_.Context("clerk-a").get(), req, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), Contains("update_mask.paths[1]"));
}

// Issue 18, side door 4: `kind` is not an updatable field, neither named in the mask nor with
// an empty mask (all updatable fields).
TEST_F(AppointmentsTest, UpdateCannotTurnABookedAppointmentIntoAWalkIn) {
  v1::ImportAppointmentsResponse resp;
  ASSERT_TRUE(Import({MakeAppointment("A", "k1", 5)}, "", &resp).ok());
  v1::UpdateAppointmentRequest req;
  req.mutable_appointment()->set_name("offices/A/appointments/k1");
  req.mutable_appointment()->set_kind(v1::WALK_IN);
  req.mutable_update_mask()->add_paths("kind");
  v1::Appointment a;
  grpc::Status s = stub_->UpdateAppointment(server_.Context("clerk-a").get(), req, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("update_mask.paths[0]"));

  v1::GetAppointmentRequest get;
  get.set_name("offices/A/appointments/k1");
  ASSERT_TRUE(stub_->GetAppointment(server_.Context("admin").get(), get, &a).ok());
  EXPECT_EQ(a.kind(), v1::BOOKED_APPOINTMENT);

  req = v1::UpdateAppointmentRequest();
  *req.mutable_appointment() = a;
  req.mutable_appointment()->set_kind(v1::WALK_IN);
  ASSERT_TRUE(stub_->UpdateAppointment(server_.Context("clerk-a").get(), req, &a).ok());
  EXPECT_EQ(a.kind(), v1::BOOKED_APPOINTMENT);
}

// Issue 18: malformed requests are refused with a BadRequest naming the field, not coerced.
TEST_F(AppointmentsTest, MalformedRequestsAreRefusedWithBadRequest) {
  v1::ImportAppointmentsResponse resp;
  ASSERT_TRUE(Import({MakeAppointment("A", "m1", 5)}, "", &resp).ok());
  v1::ListAppointmentsResponse list;
  auto list_with = [&](auto change) {
    v1::ListAppointmentsRequest req;
    req.set_parent("offices/A");
    change(req);
    return stub_->ListAppointments(server_.Context("admin").get(), req, &list);
  };
  grpc::Status s = list_with([](auto& r) { r.set_kind(static_cast<v1::AppointmentKind>(7)); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("kind"));
  s = list_with([](auto& r) { r.set_page_size(-1); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_size"));
  s = list_with([](auto& r) { r.set_page_token("not-a-token"); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));

  v1::MarkSelfRebookedRequest self;
  self.set_name("offices/A/appointments/m1");
  self.mutable_new_start_time()->set_seconds(kOutageStart.time_since_epoch().count());
  self.mutable_new_start_time()->set_nanos(-5);
  v1::Appointment a;
  s = stub_->MarkSelfRebooked(server_.Context("clerk-a").get(), self, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("new_start_time.nanos"));

  // An import with an unknown kind names the record.
  v1::Appointment odd = MakeAppointment("A", "m2", 6);
  odd.set_kind(static_cast<v1::AppointmentKind>(5));
  s = Import({odd}, "", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), Contains("appointments[0].kind"));
}

TEST_F(AppointmentsTest, UnknownIdsAreNotFound) {
  v1::GetAppointmentRequest req;
  req.set_name("offices/A/appointments/missing");
  v1::Appointment a;
  EXPECT_EQ(stub_->GetAppointment(server_.Context("admin").get(), req, &a).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.set_name("offices/A/appointments/");
  grpc::Status s = stub_->GetAppointment(server_.Context("admin").get(), req, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("name"));
}

}  // namespace
}  // namespace rebook::testing
