// Art. 15 and 17 over the API: export and erase one citizen, office-scoped, office admins and
// admins only; and purpose limitation towards the notifier.
#include "google/protobuf/util/json_util.h"
#include "tests/privacy/privacy_fixture.h"

namespace rebook::testing {
namespace {

v1::Contact Erika() {
  v1::Contact c;
  c.set_name("Erika Mustermann");
  c.set_phone("0345 1234567");
  c.set_email("erika@example.org");
  c.set_postal_address("Ringstr. 1\n06108 Halle (Saale)");
  c.set_channel("email");
  return c;
}

v1::Contact Max() {
  v1::Contact c;
  c.set_name("Max Mustermann");
  c.set_email("max@example.org");
  return c;
}

using CitizenTest = PrivacyTest;

TEST_F(CitizenTest, ExportsEverythingAboutOneCitizenToTheirOfficesAdminsOnly) {
  CreateCitizen("c1", Erika());
  CreateCitizen("c2", Erika());
  CreateCitizen("m1", Max());
  DeclarePlanCommitAndFailOnce("erika@example.org");

  v1::CitizenData data;
  grpc::Status s = Export("admin-a", "Erika@Example.org", &data);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(data.appointments_size(), 2);
  EXPECT_EQ(data.appointments(0).name(), "offices/A/appointments/c1");
  EXPECT_EQ(data.appointments(1).name(), "offices/A/appointments/c2");
  EXPECT_EQ(data.appointments(0).contact().phone(), "0345 1234567");
  EXPECT_EQ(data.offers_size(), 2);
  ASSERT_GE(data.messages_size(), 2);
  EXPECT_GE(data.messages(0).history_size(), 2);  // queued, leased, failed
  EXPECT_EQ(data.erasures_size(), 0);
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(data, &json).ok());
  EXPECT_NE(json.find("erika@example.org"), std::string::npos);
  EXPECT_EQ(json.find("max@example.org"), std::string::npos);

  v1::CitizenData by_phone;
  s = Export("admin", "+49 345 1234567", &by_phone);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(by_phone.appointments_size(), 2);

  // Another office's admin sees nothing; other roles may not ask at all.
  v1::CitizenData none;
  EXPECT_EQ(Export("admin-b", "erika@example.org", &none).error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(Export("admin-b", "offices/A/appointments/c1", &none).error_code(), grpc::NOT_FOUND);
  for (const char* token : {"clerk-a", "planner", "notifier"}) {
    EXPECT_EQ(Export(token, "erika@example.org", &none).error_code(), grpc::PERMISSION_DENIED)
        << token;
  }
  // A name alone identifies nobody.
  s = Export("admin-a", "Erika Mustermann", &none);
  EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(ViolationFields(s), std::vector<std::string>{"citizen"});
}

TEST_F(CitizenTest, ErasesOneCitizenAndNobodyElse) {
  CreateCitizen("c1", Erika());
  CreateCitizen("m1", Max());
  DeclarePlanCommitAndFailOnce("erika@example.org");

  v1::EraseCitizenDataResponse erased;
  EXPECT_EQ(Erase("admin-b", "erika@example.org", &erased).error_code(), grpc::NOT_FOUND);
  grpc::Status s = Erase("admin-a", "erika@example.org", &erased);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(erased.appointments_size(), 1);
  EXPECT_EQ(erased.erased_appointment_count(), 1);
  EXPECT_EQ(erased.appointments(0).status(), v1::CLOSED);
  EXPECT_EQ(erased.appointments(0).contact().email(), "");
  EXPECT_EQ(erased.deleted_stored_response_count(), 1);

  // The same request again answers the same (the address is gone, but the id is known).
  v1::EraseCitizenDataResponse again;
  s = Erase("admin-a", "erika@example.org", &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.erased_appointment_count(), 1);

  v1::CitizenData data;
  EXPECT_EQ(Export("admin-a", "erika@example.org", &data).error_code(), grpc::NOT_FOUND);
  s = Export("admin-a", "offices/A/appointments/c1", &data);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(data.erasures_size(), 1);
  EXPECT_EQ(data.erasures(0).reason(), "request");
  EXPECT_EQ(data.appointments(0).contact().name(), "");
  for (const v1::Message& m : data.messages()) {
    EXPECT_EQ(m.last_error().find("erika"), std::string::npos) << m.last_error();
    for (const v1::MessageEvent& e : m.history()) {
      EXPECT_EQ(e.reason().find("erika"), std::string::npos) << e.reason();
    }
  }
  for (const v1::Offer& o : data.offers()) EXPECT_EQ(o.state(), v1::Offer::WITHDRAWN);

  // Max is untouched.
  s = Export("admin-a", "max@example.org", &data);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(data.appointments(0).contact().name(), "Max Mustermann");
}

TEST_F(CitizenTest, TheNotifierGetsOnlyWhatSendingNeeds) {
  CreateCitizen("c1", Erika());
  DeclarePlanCommitAndFailOnce("erika@example.org");

  // Failure texts repeat the address: staff read them, notification workers do not.
  v1::ListMessagesRequest list;
  list.set_parent("offices/A");
  v1::ListMessagesResponse listed;
  grpc::Status s = notifications_->ListMessages(server_.Context("notifier").get(), list, &listed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(listed.messages_size(), 1);
  EXPECT_EQ(listed.messages(0).last_error(), "");
  v1::GetMessageRequest get;
  get.set_name(listed.messages(0).name());
  v1::Message staff, worker;
  s = notifications_->GetMessage(server_.Context("admin-a").get(), get, &staff);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(staff.last_error().find("erika@example.org"), std::string::npos);
  s = notifications_->GetMessage(server_.Context("notifier").get(), get, &worker);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(worker.state(), staff.state());
  EXPECT_EQ(worker.history_size(), staff.history_size());
  EXPECT_EQ(worker.last_error(), "");
  for (const v1::MessageEvent& e : worker.history()) EXPECT_EQ(e.reason(), "");

  server_.clock().Set(server_.clock().Now() + std::chrono::hours(1));  // past the retry delay
  v1::LeaseMessagesRequest lease;
  lease.add_channels("email");
  lease.set_max_messages(10);
  v1::LeaseMessagesResponse leased;
  s = notifications_->LeaseMessages(server_.Context("notifier").get(), lease, &leased);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(leased.messages_size(), 1);
  const v1::Contact& r = leased.messages(0).content().recipient();
  EXPECT_EQ(r.email(), "erika@example.org");
  EXPECT_EQ(r.name(), "Erika Mustermann");
  EXPECT_EQ(r.phone(), "");
  EXPECT_EQ(r.postal_address(), "");
}

TEST_F(CitizenTest, RetentionSettingsAreOfficeScoped) {
  v1::UpdatePrivacySettingsRequest req;
  req.mutable_settings()->set_name("offices/A/privacySettings");
  req.mutable_settings()->set_retention_days(7);
  req.set_request_id("ret-1");
  v1::PrivacySettings out;
  grpc::Status s = privacy_->UpdatePrivacySettings(server_.Context("admin-a").get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.retention_days(), 7);
  EXPECT_FALSE(out.retention_is_default());
  EXPECT_EQ(
      privacy_->UpdatePrivacySettings(server_.Context("admin-b").get(), req, &out).error_code(),
      grpc::NOT_FOUND);
  req.mutable_settings()->set_retention_days(0);
  req.set_request_id("ret-2");
  s = privacy_->UpdatePrivacySettings(server_.Context("admin-a").get(), req, &out);
  EXPECT_EQ(ViolationFields(s), std::vector<std::string>{"settings.retention_days"});

  v1::GetPrivacySettingsRequest get;
  get.set_name("offices/B/privacySettings");
  s = privacy_->GetPrivacySettings(server_.Context("admin").get(), get, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.retention_days(), 30);
  EXPECT_TRUE(out.retention_is_default());
}

TEST_F(CitizenTest, ImmigrationDeadlinesAreShownOnlyToTheOfficeHoldingTheCase) {
  const std::int64_t deadline = kOutageStart.time_since_epoch().count() + 20 * 86400;
  for (const char* service : {"aufenthalt", "kfz"}) {
    v1::CreateAppointmentRequest req;
    req.set_parent("offices/A");
    req.set_appointment_id(service);
    *req.mutable_appointment() = MakeAppointment("A", service, 600, service);
    req.mutable_appointment()->mutable_deadline_time()->set_seconds(deadline);
    v1::Appointment out;
    grpc::Status s = appointments_->CreateAppointment(server_.Context("admin-a").get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  auto get = [&](const std::string& token, const std::string& id) {
    v1::GetAppointmentRequest req;
    req.set_name("offices/A/appointments/" + id);
    v1::Appointment a;
    grpc::Status s = appointments_->GetAppointment(server_.Context(token).get(), req, &a);
    EXPECT_TRUE(s.ok()) << token << ": " << s.error_message();
    return a;
  };
  // The office's own staff and admins see the deadline of the immigration case.
  EXPECT_EQ(get("clerk-a", "aufenthalt").deadline_time().seconds(), deadline);
  EXPECT_EQ(get("admin-a", "aufenthalt").deadline_time().seconds(), deadline);
  EXPECT_EQ(get("admin", "aufenthalt").deadline_time().seconds(), deadline);
  // A city-wide planner sees the appointment, but not that.
  const v1::Appointment planned = get("planner", "aufenthalt");
  EXPECT_EQ(planned.name(), "offices/A/appointments/aufenthalt");
  EXPECT_FALSE(planned.has_deadline_time());
  EXPECT_EQ(get("planner", "kfz").deadline_time().seconds(), deadline);

  v1::ListAppointmentsRequest list;
  list.set_parent("offices/-");
  v1::ListAppointmentsResponse page;
  grpc::Status s = appointments_->ListAppointments(server_.Context("planner").get(), list, &page);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(page.appointments_size(), 2);
  for (const v1::Appointment& a : page.appointments()) {
    EXPECT_EQ(a.has_deadline_time(), a.service_type() == "serviceTypes/kfz") << a.name();
  }
}

}  // namespace
}  // namespace rebook::testing
