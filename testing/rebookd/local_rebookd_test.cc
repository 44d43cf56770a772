#include "testing/rebookd/local_rebookd.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "rebook/v1/outages.grpc.pb.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;

const Instant kStart{std::chrono::seconds(1769511000)};

absl::Status SeedOutage(storage::Store& store) {
  return store.Write({}, [](storage::Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.PutOffice({.id = "A", .name = "Bürgerbüro A", .state = "DE-ST"});
        !s.ok()) {
      return s;
    }
    return tx.PutOutage({.id = "out-1",
                         .office_ids = {"A"},
                         .window = {kStart, kStart + std::chrono::hours(5)},
                         .cause = "power failure",
                         .declare_time = kStart});
  });
}

TEST(LocalRebookdTest, ServesTheSeededStoreToItsPrincipalsOnly) {
  FakeClock clock{kStart};
  SequentialIdGenerator ids;
  std::filesystem::path dir;
  {
    auto rebookd = LocalRebookd::Start({.principals = {{"admin", "admin", "*"}},
                                        .clock = &clock,
                                        .ids = &ids,
                                        .seed = SeedOutage,
                                        .folder_prefix = "rebook-local"});
    ASSERT_TRUE(rebookd.ok()) << rebookd.status();
    dir = (*rebookd)->dir();
    EXPECT_TRUE((*rebookd)->postgres() || std::filesystem::exists(dir / "rebook.db"));
    EXPECT_EQ((*rebookd)->address(), "127.0.0.1:" + std::to_string((*rebookd)->port()));
    auto stub = v1::OutageService::NewStub((*rebookd)->channel());
    v1::ListOutagesResponse list;
    grpc::Status s = stub->ListOutages((*rebookd)->Context("admin").get(), {}, &list);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(list.outages_size(), 1);
    EXPECT_EQ(list.outages(0).name(), "outages/out-1");
    EXPECT_EQ(stub->ListOutages((*rebookd)->Context("stranger").get(), {}, &list).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(LocalRebookdTest, NeedsAClockAndIdsAndReportsAFailingSeed) {
  FakeClock clock{kStart};
  SequentialIdGenerator ids;
  EXPECT_EQ(LocalRebookd::Start({.clock = &clock}).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto failed = LocalRebookd::Start({.clock = &clock, .ids = &ids, .seed = [](storage::Store&) {
                                       return absl::FailedPreconditionError("no seed today");
                                     }});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace rebook::testing
