// A page of offers or of an outage's appointments on PostgreSQL touches about a page of rows,
// however many other outages the database holds (migration 7; before it a page of one outage's
// offers either sorted all of them or walked the primary key past every earlier outage's
// offers). Runs EXPLAIN ANALYZE of the store's own listing SQL (listing_sql.h), first page and
// a later one, on a real server with fresh statistics over a database of twenty earlier
// outages, and counts the rows the plan's scans read.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "pqxx/pqxx"
#include "storage/postgres/internal/listing_sql.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/scratch_database.h"

namespace rebook::storage::postgres_internal {
namespace {

constexpr int kPage = 500;

// 100 offices; 45,000 appointments and offers of twenty earlier outages (accepted, expired or
// declined) interleaved in key order with 15,000 of the current outage `out-1` (offers open or
// accepted), as in a database that has served many outages. Large enough that reading a page
// by sorting the matching rows, or by walking the primary key past the other outages' rows,
// reads several pages' worth of rows. Start times are a permutation of the ids, as an import
// does not arrive in start order.
constexpr const char* kFill = R"sql(
INSERT INTO offices SELECT 'o' || i, 'Office ' || i, 'open', 'Europe/Berlin', '', 86400
  FROM generate_series(0, 99) i;
INSERT INTO services VALUES ('s1', 'Service', 'c', 15);
INSERT INTO appointments (office_id, id, service_id, original_start, priority, cases,
    allowed_offices, unavailable, kind, contact_name, contact_phone, contact_email,
    contact_postal_address, contact_language, contact_channel, status, outage_id, status_reason,
    create_time, update_time)
  SELECT 'o' || (i % 100), 'a' || i, 's1', to_timestamp(1760000000 + (i * 7919 % 60000) * 60), 1, 1, '{}', '[]',
    'citizen', '', '', '', '', 'de', 'email',
    CASE WHEN i % 4 = 0 THEN 'cancelled' ELSE 'confirmed' END,
    CASE WHEN i % 4 = 0 THEN 'out-1' ELSE 'old-' || (i % 20) END, '', now(), now()
  FROM generate_series(1, 60000) i;
INSERT INTO offers SELECT 'a' || i, 'o' || (i % 100), 1,
    CASE WHEN i % 4 = 0 THEN 'out-1' ELSE 'old-' || (i % 20) END, 'p1',
    CASE WHEN i % 4 = 0 THEN (CASE WHEN i % 12 = 0 THEN 'accepted' ELSE 'open' END)
         ELSE (ARRAY['accepted', 'expired', 'declined'])[1 + i % 3] END,
    'o1', 'c1', to_timestamp(1760000000), to_timestamp(1760000900), 1.0, '[]', 't' || i, now(),
    now() + interval '1 day', NULL, NULL, '', -1, ''
  FROM generate_series(1, 60000) i;
ANALYZE;
)sql";

class ListingPlanTest : public ::testing::Test {
 protected:
  // One database for the suite: the tests only read it.
  static void SetUpTestSuite() {
    if (pg_testing::ServerUrl().empty()) return;
    database_ = new pg_testing::ScratchDatabase();
    ASSERT_TRUE(PgStore::Open({.url = database_->url()}).ok());
    connection_ = new pqxx::connection(database_->url());
    pqxx::work tx(*connection_);
    tx.exec(kFill);
    tx.commit();
  }
  static void TearDownTestSuite() {
    delete connection_;
    delete database_;
    connection_ = nullptr;
    database_ = nullptr;
  }
  void SetUp() override {
    if (pg_testing::ServerUrl().empty()) GTEST_SKIP() << pg_testing::SkipReason();
  }

  // For the first page of `listing` under `make_filter()` and for the page after `key`: the rows
  // its scans read (rows returned by each scan node plus those its filter removed), and the plan.
  template <typename MakeFilter>
  std::vector<std::pair<std::int64_t, std::string>> RowsRead(const PagedQuery& listing,
                                                             MakeFilter make_filter,
                                                             const PageKey& key) {
    std::vector<std::pair<std::int64_t, std::string>> pages;
    PageRequest request{kPage, ""};
    for (int page = 0; page < 2; ++page) {
      Filter where = make_filter();
      std::uint64_t digest = 0;
      absl::StatusOr<std::string> sql = PlanPage(listing, where, request, &digest);
      EXPECT_TRUE(sql.ok()) << sql.status();
      if (!sql.ok()) return pages;
      pqxx::work tx(*connection_);
      const pqxx::result r =
          where.params.Exec(tx, absl::StrCat("EXPLAIN (ANALYZE, FORMAT JSON) ", *sql));
      const nlohmann::json plan = nlohmann::json::parse(r[0][0].c_str())[0]["Plan"];
      pages.emplace_back(ScannedRows(plan), plan.dump(1));
      request.page_token = NextPageToken(digest, key);
    }
    return pages;
  }

  static std::int64_t ScannedRows(const nlohmann::json& node) {
    std::int64_t rows = 0;
    const std::string type = node.value("Node Type", "");
    if (type.find("Scan") != std::string::npos) {
      rows += node.value("Actual Rows", std::int64_t{0}) +
              node.value("Rows Removed by Filter", std::int64_t{0}) +
              node.value("Rows Removed by Index Recheck", std::int64_t{0});
    }
    if (node.contains("Plans")) {
      for (const nlohmann::json& child : node["Plans"]) rows += ScannedRows(child);
    }
    return rows;
  }

  void ExpectAboutAPage(const std::vector<std::pair<std::int64_t, std::string>>& pages) {
    ASSERT_EQ(pages.size(), 2u);
    for (const auto& [rows, plan] : pages) {
      EXPECT_LE(rows, 3 * (kPage + 1)) << plan;
      EXPECT_EQ(plan.find("\"Sort\""), std::string::npos) << plan;
    }
  }

  auto Offers(const OfferFilter& filter) {
    return RowsRead(
        OfferListing(), [&] { return OfferFilterSql(filter); }, PageKey{"a30000", "o0", "1"});
  }
  auto Appointments(const AppointmentFilter& filter) {
    return RowsRead(
        AppointmentListing(filter.FiltersSlots()), [&] { return AppointmentFilterSql(filter); },
        PageKey{absl::StrCat(1760000000 + 30000 * 60), "a30000", "o0"});
  }

  static pg_testing::ScratchDatabase* database_;
  static pqxx::connection* connection_;
};

pg_testing::ScratchDatabase* ListingPlanTest::database_ = nullptr;
pqxx::connection* ListingPlanTest::connection_ = nullptr;

TEST_F(ListingPlanTest, OffersInOneStateAreReadInKeyOrder) {
  ExpectAboutAPage(Offers(OfferFilter{.states = {domain::OfferState::kOpen}}));
}

TEST_F(ListingPlanTest, AnOutagesOffersAreReadInKeyOrderInEveryStateAndInOne) {
  ExpectAboutAPage(Offers(OfferFilter{.outage_id = "out-1"}));
  ExpectAboutAPage(
      Offers(OfferFilter{.outage_id = "out-1", .states = {domain::OfferState::kOpen}}));
}

TEST_F(ListingPlanTest, EveryOfferIsReadInKeyOrder) { ExpectAboutAPage(Offers(OfferFilter{})); }

TEST_F(ListingPlanTest, AnOutagesAppointmentsAreReadInKeyOrder) {
  ExpectAboutAPage(Appointments(AppointmentFilter{.outage_id = "out-1"}));
  ExpectAboutAPage(Appointments(AppointmentFilter{
      .statuses = {domain::AppointmentStatus::kCancelled}, .outage_id = "out-1"}));
}

}  // namespace
}  // namespace rebook::storage::postgres_internal
