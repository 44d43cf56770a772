// A page of offers or of an outage's appointments is read from an index in key order: its cost
// must not grow with the number of rows that match (before migration 11 every page of the open
// offers, or of an outage's appointments, sorted all of them; see listing_sql.h).
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "gtest/gtest.h"
#include "storage/sqlite/internal/listing_sql.h"
#include "storage/sqlite/migrations.h"

namespace rebook::storage::sqlite_internal {
namespace {

class ListingPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sqlite::ApplyMigrations(db_, sqlite::SchemaMigrations()).ok());
  }

  // The detail lines of EXPLAIN QUERY PLAN for the first page of `filter` and for a page after
  // `key`, as ListOffers and ListAppointments run them.
  std::vector<std::vector<std::string>> Plans(const OfferFilter& filter) {
    return Plans(
        OfferListing(), [&] { return OfferSqlFilter(filter); },
        PageKey{std::string("a-500"), std::string("o2"), std::int64_t{1}});
  }
  std::vector<std::vector<std::string>> Plans(const AppointmentFilter& filter) {
    return Plans(
        AppointmentListing(filter.FiltersSlots()), [&] { return AppointmentSqlFilter(filter); },
        PageKey{std::int64_t{1769511000}, std::string("a-500"), std::string("o2")});
  }
  template <typename MakeFilter>
  std::vector<std::vector<std::string>> Plans(const PagedQuery& listing, MakeFilter make_filter,
                                              const PageKey& key) {
    std::vector<std::vector<std::string>> plans;
    PageRequest request{1000, ""};
    for (int page = 0; page < 2; ++page) {
      SqlFilter where = make_filter();
      absl::StatusOr<PagePlan> plan = PlanPage(listing, where, request);
      EXPECT_TRUE(plan.ok()) << plan.status();
      if (!plan.ok()) return plans;
      SQLite::Statement q(db_, "EXPLAIN QUERY PLAN " + plan->sql);
      q.bind(where.Bind(q), plan->limit + 1);
      std::vector<std::string> details;
      while (q.executeStep()) details.push_back(q.getColumn(3).getString());
      plans.push_back(details);
      request.page_token = NextPageToken(*plan, key);
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

TEST_F(ListingPlanTest, OffersInOneStateAreReadInKeyOrder) {
  ExpectIndexInKeyOrder(Plans(OfferFilter{.states = {domain::OfferState::kOpen}}));
}

TEST_F(ListingPlanTest, AnOutagesOffersAreReadInKeyOrderInEveryStateAndInOne) {
  ExpectIndexInKeyOrder(Plans(OfferFilter{.outage_id = "out-1"}));
  ExpectIndexInKeyOrder(
      Plans(OfferFilter{.outage_id = "out-1", .states = {domain::OfferState::kOpen}}));
}

TEST_F(ListingPlanTest, AnOfficeListWithAStateIsReadInKeyOrder) {
  ExpectIndexInKeyOrder(Plans(OfferFilter{.office_ids = std::vector<std::string>{"o1", "o2", "o3"},
                                          .states = {domain::OfferState::kAccepted}}));
}

TEST_F(ListingPlanTest, EveryOfferIsReadInKeyOrder) { ExpectIndexInKeyOrder(Plans(OfferFilter{})); }

TEST_F(ListingPlanTest, AnOutagesAppointmentsAreReadInKeyOrder) {
  ExpectIndexInKeyOrder(Plans(AppointmentFilter{.outage_id = "out-1"}));
  ExpectIndexInKeyOrder(Plans(AppointmentFilter{.statuses = {domain::AppointmentStatus::kConfirmed},
                                                .outage_id = "out-1"}));
}

}  // namespace
}  // namespace rebook::storage::sqlite_internal
