// Issue 19, point 4 over gRPC: one import (ImportCapacity or ImportBundle) that names the same
// office and date twice among its closures is refused as a whole, naming both records, even when
// the two are in different messages of the stream; nothing is stored and the request id stays
// usable. (closures.csv refuses a repeated line in the CSV layer, before anything is sent.)
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Closure MakeClosure(const std::string& office, int day, const std::string& reason) {
  v1::Closure c;
  c.set_name(absl::StrCat("offices/", office, "/closures/2026-02-0", day));
  c.mutable_date()->set_year(2026);
  c.mutable_date()->set_month(2);
  c.mutable_date()->set_day(day);
  c.set_reason(reason);
  return c;
}

// "field: description" of every violation a failed call carries.
std::vector<std::string> Violations(const grpc::Status& status) {
  std::vector<std::string> out;
  google::rpc::Status rich;
  if (!rich.ParseFromString(status.error_details())) return out;
  for (const auto& d : rich.details()) {
    google::rpc::BadRequest br;
    if (!d.UnpackTo(&br)) continue;
    for (const auto& v : br.field_violations()) {
      out.push_back(absl::StrCat(v.field(), ": ", v.description()));
    }
  }
  return out;
}

class ClosureImportTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.SeedCapacity(); }

  // Two messages: closures A/2, B/2 and A/3, then `second`.
  std::vector<v1::ImportCapacityRequest> Messages(const v1::Closure& second) {
    std::vector<v1::ImportCapacityRequest> msgs(2);
    msgs[0].set_request_id("closures");
    *msgs[0].add_closures() = MakeClosure("A", 2, "Umzug");
    *msgs[0].add_closures() = MakeClosure("B", 2, "Umzug");
    *msgs[0].add_closures() = MakeClosure("A", 3, "Personalversammlung");
    *msgs[1].add_closures() = second;
    return msgs;
  }

  grpc::Status ImportCapacity(const std::vector<v1::ImportCapacityRequest>& msgs) {
    auto stub = v1::CapacityService::NewStub(server_.channel());
    v1::ImportCapacityResponse resp;
    auto ctx = server_.Context("admin");
    auto w = stub->ImportCapacity(ctx.get(), &resp);
    for (const auto& m : msgs) w->Write(m);
    w->WritesDone();
    return w->Finish();
  }

  grpc::Status ImportBundle(const std::vector<v1::ImportCapacityRequest>& msgs) {
    auto stub = v1::AppointmentService::NewStub(server_.channel());
    v1::ImportBundleResponse resp;
    auto ctx = server_.Context("admin");
    auto w = stub->ImportBundle(ctx.get(), &resp);
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      v1::ImportBundleRequest m;
      if (i == 0) m.set_request_id(msgs[i].request_id());
      *m.mutable_capacity() = msgs[i];
      m.mutable_capacity()->clear_request_id();
      w->Write(m);
    }
    w->WritesDone();
    return w->Finish();
  }

  int StoredClosures() {
    auto stub = v1::CapacityService::NewStub(server_.channel());
    v1::ListClosuresRequest list;
    list.set_parent("offices/-");
    list.set_page_size(100);
    v1::ListClosuresResponse closures;
    EXPECT_TRUE(stub->ListClosures(server_.Context("admin").get(), list, &closures).ok());
    return closures.closures_size();
  }

  TestServer server_;
};

TEST_F(ClosureImportTest, ImportCapacityRefusesARepeatedClosureNamingBoth) {
  grpc::Status s = ImportCapacity(Messages(MakeClosure("A", 2, "noch einmal")));
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(Violations(s), ElementsAre(HasSubstr(
                                 "closures[3].date: duplicate closure \"A 2026-02-02\"; the first "
                                 "is closures[0]")));
  EXPECT_EQ(StoredClosures(), 0);

  // The same request id without the repeat: the request id was not used up.
  grpc::Status retry = ImportCapacity(Messages(MakeClosure("B", 3, "Personalversammlung")));
  EXPECT_TRUE(retry.ok()) << retry.error_message();
  EXPECT_EQ(StoredClosures(), 4);
}

TEST_F(ClosureImportTest, AnIdenticalRepeatIsRefusedToo) {
  grpc::Status s = ImportCapacity(Messages(MakeClosure("A", 3, "Personalversammlung")));
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(Violations(s), ElementsAre(HasSubstr(
                                 "closures[3].date: duplicate closure \"A 2026-02-03\"; the first "
                                 "is closures[2]")));
  EXPECT_EQ(StoredClosures(), 0);
}

TEST_F(ClosureImportTest, ImportBundleRefusesARepeatedClosureNamingBoth) {
  grpc::Status s = ImportBundle(Messages(MakeClosure("B", 2, "doppelt")));
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(Violations(s), ElementsAre(HasSubstr(
                                 "closures[3].date: duplicate closure \"B 2026-02-02\"; the first "
                                 "is closures[1]")));
  EXPECT_EQ(StoredClosures(), 0);
}

}  // namespace
}  // namespace rebook::testing
