// PutOffices, PutServices and PutClerks: many records in one call, in order, all or none.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;

// More records than a backend's chunk of rows (SQLite writes 64 per savepoint), so a failure
// in a later chunk is covered too.
constexpr int kManyRecords = 150;

std::vector<domain::Clerk> ManyClerks() {
  std::vector<domain::Clerk> clerks;
  for (int i = 0; i < kManyRecords; ++i) {
    std::vector<std::string> skills;
    if (i % 3 != 0) skills.push_back("s2");
    if (i % 2 == 0) skills.push_back("s1");
    clerks.push_back(MakeClerk(absl::StrCat("k", i), i % 4 ? "o1" : "", skills));
  }
  return clerks;
}

// `records` as the store lists them: the last record of each id, in id order.
template <typename T>
std::vector<T> ListedById(const std::vector<T>& records) {
  std::map<std::string, T> by_id;
  for (const T& r : records) by_id.insert_or_assign(r.id, r);
  std::vector<T> out;
  for (auto& [id, r] : by_id) out.push_back(r);
  return out;
}

std::vector<domain::Clerk> AllClerks(Store& store) {
  return WalkPages<domain::Clerk>(store, 1000, [](Transaction& tx, const PageRequest& page) {
    return tx.ListClerks({}, page);
  });
}

TEST_P(StoreConformanceTest, PutOfficesAndServicesWriteEveryRecordAndALaterOneReplaces) {
  std::vector<domain::Office> offices;
  std::vector<domain::Service> services;
  for (int i = 0; i < kManyRecords; ++i) {
    offices.push_back(MakeOffice(absl::StrCat("o", i)));
    services.push_back(MakeService(absl::StrCat("s", i)));
  }
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutOffices({}));
    REBOOK_RETURN_IF_ERROR(tx.PutServices({}));
    REBOOK_RETURN_IF_ERROR(tx.PutOffices(offices));
    return tx.PutServices(services);
  }));
  for (domain::Office& o : offices) o.name += " (neu)";
  offices.push_back(offices[7]);  // an id twice in one call: the later record wins
  offices.back().offer_ttl = std::chrono::hours(2);
  offices.back().time_zone = "Europe/Vienna";
  services.push_back(services[140]);
  services.back().duration_min = 55;
  services.back().category = domain::ServiceCategory::kImmigration;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutOffices(offices));
    return tx.PutServices(services);
  }));
  EXPECT_EQ(WalkPages<domain::Office>(
                store(), 1000,
                [](Transaction& tx, const PageRequest& page) { return tx.ListOffices(page); }),
            ListedById(offices));
  EXPECT_EQ(WalkPages<domain::Service>(
                store(), 1000,
                [](Transaction& tx, const PageRequest& page) { return tx.ListServices(page); }),
            ListedById(services));
}

TEST_P(StoreConformanceTest, PutClerksWritesEveryClerkWithItsSkillsAndALaterOneReplaces) {
  SeedWorld();  // c1 and c2
  std::vector<domain::Clerk> clerks = ManyClerks();
  clerks.push_back(MakeClerk("c1", "o3", {"s2", "s1"}));  // replaces a stored clerk's skills
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutClerks(clerks); }));
  clerks.push_back(MakeClerk("c2", "o2", {"s2"}));
  EXPECT_EQ(AllClerks(store()), ListedById(clerks));
  for (domain::Clerk& c : clerks) c.skills = {"s1"};
  clerks.push_back(clerks[5]);
  clerks.back().skills = {};
  clerks.back().name = "Ana";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutClerks(clerks); }));
  EXPECT_EQ(AllClerks(store()), ListedById(clerks));
}

TEST_P(StoreConformanceTest, PutClerksWithAnUnknownSkillWritesNone) {
  SeedWorld();
  const std::vector<domain::Clerk> before = AllClerks(store());
  const auto kFailedPrecondition = StatusIs(StatusCode::kFailedPrecondition);
  for (int bad : {3, kManyRecords - 10}) {  // in the first chunk of rows, and in a later one
    std::vector<domain::Clerk> clerks = ManyClerks();
    clerks.push_back(MakeClerk("c1", "o3", {}));
    clerks[bad].skills.push_back("no-such-service");
    EXPECT_THAT(Write([&](Transaction& tx) { return tx.PutClerks(clerks); }), kFailedPrecondition);
    // Ignoring the error and committing writes none of them either (a backend may refuse the
    // commit instead).
    (void)Write([&](Transaction& tx) {
      EXPECT_THAT(tx.PutClerks(clerks), kFailedPrecondition);
      return absl::OkStatus();
    });
  }
  EXPECT_EQ(AllClerks(store()), before);
  // A failure in the first chunk leaves the transaction usable: it goes on and commits.
  std::vector<domain::Clerk> clerks = ManyClerks();
  clerks[3].skills = {"no-such-service"};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    EXPECT_THAT(tx.PutClerks(clerks), kFailedPrecondition);
    return tx.PutClerks({&clerks[0], 1});
  }));
  EXPECT_EQ(AllClerks(store()).size(), before.size() + 1);
}

}  // namespace
}  // namespace rebook::storage::conformance
