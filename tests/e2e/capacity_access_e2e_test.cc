// Capacity side doors of issue 18: ImportCapacity must not take over another office's clerk nor
// do what CreateOffice and UpdateServiceType keep for admins (door 2); DeleteOffice checks the
// admin's offices and says what still refers to an office, in words, not SQLite's (door 3).
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class CapacityAccessTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.SeedCapacity(); }

  grpc::Status Import(const std::string& token, const v1::ImportCapacityRequest& req) {
    v1::ImportCapacityResponse resp;
    auto ctx = server_.Context(token);
    auto w = stub_->ImportCapacity(ctx.get(), &resp);
    w->Write(req);
    w->WritesDone();
    return w->Finish();
  }

  v1::Clerk Clerk(const std::string& name) {
    v1::GetClerkRequest req;
    req.set_name(name);
    v1::Clerk c;
    EXPECT_TRUE(stub_->GetClerk(server_.Context("admin").get(), req, &c).ok());
    return c;
  }

  TestServer server_;
  std::unique_ptr<v1::CapacityService::Stub> stub_ =
      v1::CapacityService::NewStub(server_.channel());
};

TEST_F(CapacityAccessTest, ImportDoesNotReHomeAnotherOfficesClerk) {
  v1::ImportCapacityRequest req;
  v1::Clerk* kb = req.add_clerks();
  kb->set_name("clerks/kb");
  kb->set_display_name("K. B");
  kb->add_skills("serviceTypes/kfz");
  kb->set_home_office("offices/A");
  grpc::Status s = Import("admin-a", req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), ElementsAre("clerks[0].name"));
  EXPECT_EQ(Clerk("clerks/kb").home_office(), "offices/B");

  // UpdateClerk refuses the same change.
  v1::UpdateClerkRequest update;
  *update.mutable_clerk() = *kb;
  update.mutable_update_mask()->add_paths("home_office");
  v1::Clerk out;
  EXPECT_FALSE(stub_->UpdateClerk(server_.Context("admin-a").get(), update, &out).ok());

  // Its own clerk it may still import.
  req.mutable_clerks(0)->set_name("clerks/ka");
  req.mutable_clerks(0)->set_display_name("K. A (neu)");
  s = Import("admin-a", req);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Clerk("clerks/ka").display_name(), "K. A (neu)");
}

TEST_F(CapacityAccessTest, ImportDoesNotCreateOfficesOrChangeServiceTypesForAPlanner) {
  v1::ImportCapacityRequest req;
  v1::Office* c = req.add_offices();
  c->set_name("offices/C");
  c->set_display_name("Bürgerbüro C");
  c->set_state("DE-ST");
  c->set_time_zone("Europe/Berlin");
  grpc::Status s = Import("planner", req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), ElementsAre("offices[0].name"));
  v1::GetOfficeRequest get;
  get.set_name("offices/C");
  v1::Office office;
  EXPECT_EQ(stub_->GetOffice(server_.Context("admin").get(), get, &office).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Import("admin", req).ok());  // as CreateOffice

  v1::ImportCapacityRequest services;
  v1::ServiceType* kfz = services.add_service_types();
  kfz->set_name("serviceTypes/kfz");
  kfz->set_display_name("Kfz-Zulassung");
  kfz->set_category(v1::VEHICLE_REGISTRATION);
  kfz->set_duration_minutes(45);
  s = Import("planner", services);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), ElementsAre("service_types[0]"));
  v1::GetServiceTypeRequest get_kfz;
  get_kfz.set_name("serviceTypes/kfz");
  v1::ServiceType stored;
  ASSERT_TRUE(stub_->GetServiceType(server_.Context("admin").get(), get_kfz, &stored).ok());
  EXPECT_EQ(stored.duration_minutes(), 15);
}

TEST_F(CapacityAccessTest, DeleteOfficeNamesWhatStillRefersToIt) {
  v1::DeleteOfficeRequest req;
  req.set_name("offices/B");
  google::protobuf::Empty empty;
  grpc::Status s = stub_->DeleteOffice(server_.Context("admin").get(), req, &empty);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("shifts"));
  EXPECT_THAT(s.error_message(), HasSubstr("clerks"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr("FOREIGN KEY")));
  EXPECT_THAT(s.error_message(), Not(HasSubstr("sqlite")));

  v1::CreateOfficeRequest create;
  create.set_office_id("C");
  create.mutable_office()->set_display_name("Bürgerbüro C");
  create.mutable_office()->set_state("DE-ST");
  create.mutable_office()->set_time_zone("Europe/Berlin");
  v1::Office office;
  ASSERT_TRUE(stub_->CreateOffice(server_.Context("admin").get(), create, &office).ok());
  req.set_name("offices/C");
  EXPECT_TRUE(stub_->DeleteOffice(server_.Context("admin").get(), req, &empty).ok());
  EXPECT_EQ(stub_->DeleteOffice(server_.Context("admin").get(), req, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// An admin whose token names only office A, on a second server over the same store (the
// TestServer's principals have no admin scoped to one office).
TEST_F(CapacityAccessTest, DeleteOfficeRespectsAnAdminsOffices) {
  v1::CreateOfficeRequest create;
  create.set_office_id("C");
  create.mutable_office()->set_display_name("Bürgerbüro C");
  create.mutable_office()->set_state("DE-ST");
  create.mutable_office()->set_time_zone("Europe/Berlin");
  v1::Office office;
  ASSERT_TRUE(stub_->CreateOffice(server_.Context("admin").get(), create, &office).ok());

  auto tokens = api::TokenRegistry::Parse(
      absl::StrCat("admin-of-a admin A sha256:", api::TokenDigest("admin-of-a"), "\n"), "test");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  SequentialIdGenerator ids;
  api::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.audit_log = &server_.audit_log();
  auto scoped =
      api::RebookServer::Start(options, &server_.store(), &server_.clock(), &ids, &*tokens);
  ASSERT_TRUE(scoped.ok()) << scoped.status();
  auto stub = v1::CapacityService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*scoped)->port()), grpc::InsecureChannelCredentials()));

  v1::DeleteOfficeRequest req;
  req.set_name("offices/C");
  google::protobuf::Empty empty;
  EXPECT_EQ(stub->DeleteOffice(server_.Context("admin-of-a").get(), req, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetOfficeRequest get;
  get.set_name("offices/C");
  EXPECT_TRUE(stub_->GetOffice(server_.Context("admin").get(), get, &office).ok());
}

}  // namespace
}  // namespace rebook::testing
