// A page of offers is read from an index in key order, whatever the listing's filter by state,
// outage or office list: its cost must not grow with the number of offers that match (before
// migration 11 every page of the open offers sorted all of them; see offer_listing.h).
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "gtest/gtest.h"
#include "storage/sqlite/internal/offer_listing.h"
#include "storage/sqlite/migrations.h"

namespace rebook::storage::sqlite_internal {
namespace {

class OfferListingPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sqlite::ApplyMigrations(db_, sqlite::SchemaMigrations()).ok());
  }

  // The detail lines of EXPLAIN QUERY PLAN for the first page of `filter` and for a page after
  // a key, as ListOffers runs them.
  std::vector<std::vector<std::string>> Plans(const OfferFilter& filter) {
    std::vector<std::vector<std::string>> plans;
    PageRequest request{1000, ""};
    for (int page = 0; page < 2; ++page) {
      SqlFilter where = OfferSqlFilter(filter);
      absl::StatusOr<PagePlan> plan = PlanPage(OfferListing(), where, request);
      EXPECT_TRUE(plan.ok()) << plan.status();
      if (!plan.ok()) return plans;
      SQLite::Statement q(db_, "EXPLAIN QUERY PLAN " + plan->sql);
      q.bind(where.Bind(q), plan->limit + 1);
      std::vector<std::string> details;
      while (q.executeStep()) details.push_back(q.getColumn(3).getString());
      plans.push_back(details);
      request.page_token =
          NextPageToken(*plan, PageKey{std::string("a-500"), std::string("o2"), std::int64_t{1}});
    }
    return plans;
  }

  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE};
};

bool Mentions(const std::vector<std::string>& plan, const std::string& what) {
  for (const std::string& line : plan) {
    if (line.find(what) != std::string::npos) return true;
  }
  return false;
}

void ExpectIndexInKeyOrder(const std::vector<std::vector<std::string>>& plans) {
  ASSERT_EQ(plans.size(), 2u);
  for (const std::vector<std::string>& plan : plans) {
    EXPECT_FALSE(Mentions(plan, "TEMP B-TREE")) << ::testing::PrintToString(plan);
  }
}

TEST_F(OfferListingPlanTest, OffersInOneStateAreReadInKeyOrder) {
  ExpectIndexInKeyOrder(Plans({.states = {domain::OfferState::kOpen}}));
}

TEST_F(OfferListingPlanTest, AnOutagesOffersAreReadInKeyOrderInEveryStateAndInOne) {
  ExpectIndexInKeyOrder(Plans({.outage_id = "out-1"}));
  ExpectIndexInKeyOrder(Plans({.outage_id = "out-1", .states = {domain::OfferState::kOpen}}));
}

TEST_F(OfferListingPlanTest, AnOfficeListWithAStateIsReadInKeyOrder) {
  ExpectIndexInKeyOrder(Plans({.office_ids = std::vector<std::string>{"o1", "o2", "o3"},
                               .states = {domain::OfferState::kAccepted}}));
}

TEST_F(OfferListingPlanTest, EveryOfferIsReadInKeyOrder) { ExpectIndexInKeyOrder(Plans({})); }

}  // namespace
}  // namespace rebook::storage::sqlite_internal
