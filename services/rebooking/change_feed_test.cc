// The change feed's use cases on a real store: the cursor checks of a read and pruning by age.
#include "services/rebooking/change_feed.h"

#include <chrono>

#include "gtest/gtest.h"
#include "services/common/status_macros.h"
#include "testing/store/temp_store.h"

namespace rebook::rebooking {
namespace {

const Instant kT0{std::chrono::seconds(1769511000)};  // 2026-01-27T10:50:00Z
constexpr auto kDay = std::chrono::hours(24);

class ChangeFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.status().ok()) << db_.status();
    ASSERT_TRUE(
        db_.store()
            .Write({},
                   [](storage::Transaction& tx) -> absl::Status {
                     REBOOK_RETURN_IF_ERROR(tx.PutOffice(
                         {.id = "A", .name = "A", .state = "DE-ST", .time_zone = "Europe/Berlin"}));
                     return tx.PutService({.id = "kfz", .name = "Kfz"});
                   })
            .ok());
  }

  // One appointment imported at `when`: one event.
  void Import(const std::string& id, Instant when) {
    domain::Appointment a;
    a.id = id;
    a.office_id = "A";
    a.service_id = "kfz";
    a.original_start = kT0;
    a.create_time = a.update_time = when;
    ASSERT_TRUE(db_.store()
                    .Write({},
                           [&](storage::Transaction& tx) {
                             return tx.InsertAppointments({&a, 1});
                           })
                    .ok());
  }

  absl::StatusOr<storage::ChangeFeedPage> Read(std::int64_t after) {
    return ReadChangeFeed(db_.store(), {.after_cursor = after, .limit = 10}, {});
  }

  testing::TempStore db_{"rebook-change-feed"};
};

TEST_F(ChangeFeedTest, ReadsAfterACursorAndRefusesCursorsOutsideTheFeed) {
  for (int i = 0; i < 3; ++i) Import("a" + std::to_string(i), kT0);
  absl::StatusOr<storage::ChangeFeedPage> page = Read(1);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->events.size(), 2u);
  EXPECT_EQ(page->events[0].cursor, 2);
  EXPECT_EQ(page->next_cursor, 3);
  EXPECT_TRUE(Read(3).ok()) << "the newest cursor is a valid place to wait";
  EXPECT_EQ(Read(4).status().code(), absl::StatusCode::kOutOfRange) << "ahead of the feed";
  EXPECT_EQ(Read(-1).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ChangeFeedTest, PrunesByAgeInBatchesAndThenRefusesPrunedCursors) {
  for (int i = 0; i < 7; ++i) Import("old" + std::to_string(i), kT0);
  Import("new", kT0 + 40 * kDay);
  absl::StatusOr<std::int64_t> pruned =
      PruneChangeFeed(db_.store(), kT0 + 45 * kDay, {.days = 30, .batch = 3});
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 7);
  absl::StatusOr<storage::ChangeFeedPage> page = Read(0);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].cursor, 8);
  EXPECT_EQ(page->oldest_cursor, 8);
  EXPECT_TRUE(Read(7).ok()) << "the consumer that processed 7 misses nothing";
  absl::Status gone = Read(6).status();
  EXPECT_EQ(gone.code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(std::string(gone.message()).find("oldest retained cursor is 8"), std::string::npos)
      << gone;
  pruned = PruneChangeFeed(db_.store(), kT0 + 45 * kDay, {.days = 0});
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 0) << "0 days keeps the feed for ever";
}

}  // namespace
}  // namespace rebook::rebooking
