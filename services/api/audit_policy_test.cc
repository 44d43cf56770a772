// Every RPC of every proto file in proto/rebook/v1 has an audit classification, and what the
// audit log takes from messages is identifiers, never personal data.
#include "services/api/audit_policy.h"

#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "rebook/v1/appointments.pb.h"
#include "rebook/v1/offers.pb.h"
#include "services/api/server.h"

namespace rebook::api {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string SourceDir() {
  const char* env = std::getenv("REBOOK_SOURCE_DIR");
  return env != nullptr ? env : REBOOK_TEST_SOURCE_DIR;
}

TEST(AuditPolicyTest, EveryRpcInTheDescriptorsIsClassified) {
  // Linking the server links every service it registers, and so their descriptors.
  auto* volatile start = &RebookServer::Start;
  ASSERT_NE(start, nullptr);
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int files = 0;
  int methods = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/proto/rebook/v1")) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name = "rebook/v1/" + entry.path().filename().string();
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    ASSERT_NE(file, nullptr) << name << " is not compiled into the server";
    ++files;
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const std::string method = service->full_name() + "/" + service->method(m)->name();
        EXPECT_TRUE(ClassifiedCategory(method).has_value())
            << method << " has no audit classification: add it to audit_policy.cc";
        ++methods;
      }
    }
  }
  EXPECT_GE(files, 9);
  EXPECT_GE(methods, 65);
}

TEST(AuditPolicyTest, CategoriesOfKeyMethods) {
  EXPECT_EQ(AuditCategoryOf("/rebook.v1.AppointmentService/GetAppointment"),
            audit::Category::kPersonalDataRead);
  EXPECT_EQ(AuditCategoryOf("rebook.v1.PlanService/CommitPlan"), audit::Category::kPrivileged);
  EXPECT_EQ(AuditCategoryOf("/rebook.v1.OutageService/GetOutage"), audit::Category::kNone);
  // Unknown methods of the API are audited as privileged; others (health) are not.
  EXPECT_EQ(AuditCategoryOf("/rebook.v1.NewService/DoSomething"), audit::Category::kPrivileged);
  EXPECT_EQ(AuditCategoryOf("/grpc.health.v1.Health/Check"), audit::Category::kNone);
  EXPECT_TRUE(HasRawRequests("/rebook.v1.CapacityService/ImportCapacity"));
  EXPECT_FALSE(HasRawRequests("/rebook.v1.AppointmentService/GetAppointment"));
  auto request = NewRequestMessage("/rebook.v1.AppointmentService/ImportAppointments");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->GetDescriptor()->name(), "ImportAppointmentsRequest");
  EXPECT_EQ(NewRequestMessage("/rebook.v1.NoService/Nothing"), nullptr);
  EXPECT_TRUE(IsPublicTokenMethod("/rebook.v1.OfferService/GetPublicOffer"));
  EXPECT_FALSE(IsPublicTokenMethod("/rebook.v1.OfferService/GetOffer"));
}

TEST(AuditPolicyTest, TakesNamesNotPersonalData) {
  v1::ListAppointmentsResponse list;
  for (const char* id : {"a-1", "a-2"}) {
    v1::Appointment* a = list.add_appointments();
    a->set_name(std::string("offices/HAL/appointments/") + id);
    a->mutable_contact()->set_name("offices/Erika");  // looks like a name, is not known
    a->mutable_contact()->set_email("erika@example.org");
    a->set_status_reason("Erika Mustermann called");
  }
  std::vector<std::string> resources;
  CollectResourceNames(list, resources);
  EXPECT_THAT(resources,
              ElementsAre("offices/HAL/appointments/a-1", "offices/HAL/appointments/a-2"));
  EXPECT_EQ(RecordCount(list), 2);

  v1::Appointment single = list.appointments(0);
  single.mutable_contact()->set_name("Erika Mustermann");
  resources.clear();
  CollectResourceNames(single, resources);
  EXPECT_THAT(resources, ElementsAre("offices/HAL/appointments/a-1"));
  EXPECT_EQ(RecordCount(single), 1);
  EXPECT_EQ(ListedRecords(single), 0);

  v1::UpdateAppointmentRequest update;
  *update.mutable_appointment() = single;
  resources.clear();
  CollectResourceNames(update, resources);
  EXPECT_THAT(resources, ElementsAre("offices/HAL/appointments/a-1"));
}

TEST(AuditPolicyTest, BundleImportsCountTheirAppointments) {
  v1::ImportBundleRequest bundle;
  for (const char* id : {"b-1", "b-2", "b-3"}) {
    bundle.mutable_appointments()->add_appointments()->set_name(
        std::string("offices/HAL/appointments/") + id);
  }
  EXPECT_EQ(ListedRecords(bundle), 3);
  std::vector<std::string> resources;
  CollectResourceNames(bundle, resources);
  EXPECT_EQ(resources.size(), 3u);
}

TEST(AuditPolicyTest, RecordsCountedOffTheWireAsWhenParsed) {
  v1::ImportBundleRequest bundle;
  bundle.set_request_id("r-1");
  for (const char* id : {"b-1", "b-2", "b-3"}) {
    bundle.mutable_appointments()->add_appointments()->set_name(
        std::string("offices/HAL/appointments/") + id);
  }
  bundle.mutable_capacity()->add_offices()->set_name("offices/HAL");
  bundle.mutable_capacity()->add_shifts();
  const auto count = [](const google::protobuf::Message& m) {
    return ListedRecordsOfSerialized(*m.GetDescriptor(), m.SerializeAsString());
  };
  EXPECT_EQ(ListedRecords(bundle), 5);
  EXPECT_EQ(count(bundle), 5);
  // A bundle's parts may arrive in several encoded pieces; they merge as when parsed.
  v1::ImportBundleRequest more;
  more.mutable_appointments()->add_appointments();
  const std::string joined = bundle.SerializeAsString() + more.SerializeAsString();
  v1::ImportBundleRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(joined));
  EXPECT_EQ(ListedRecordsOfSerialized(*bundle.GetDescriptor(), joined), ListedRecords(parsed));
  EXPECT_EQ(count(v1::ImportBundleRequest()), 0);
  EXPECT_EQ(count(bundle.appointments().appointments(0)), 0);  // a resource, not a list
  EXPECT_EQ(ListedRecordsOfSerialized(*bundle.GetDescriptor(), "\x0a\xff\x01"), std::nullopt);
}

TEST(AuditPolicyTest, RequestIdAndToken) {
  v1::CloseAppointmentRequest close;
  close.set_name("offices/HAL/appointments/a-1");
  close.set_request_id("r-17");
  EXPECT_EQ(RequestIdOf(close), "r-17");
  v1::GetPublicOfferRequest offer;
  EXPECT_EQ(TokenResource(offer), "");
  offer.set_token("secret-token-value");
  const std::string resource = TokenResource(offer);
  EXPECT_EQ(resource.rfind("offer-tokens/", 0), 0u);
  EXPECT_EQ(resource.size(), std::string("offer-tokens/").size() + 16);
  EXPECT_EQ(resource.find("secret"), std::string::npos);
  EXPECT_EQ(RequestIdOf(offer), "");
  std::vector<std::string> resources;
  CollectResourceNames(offer, resources);
  EXPECT_THAT(resources, IsEmpty());
}

}  // namespace
}  // namespace rebook::api
