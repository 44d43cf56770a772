#include "tools/rebook_sync/pending_changes.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace rebook::sync_worker {
namespace {

std::vector<domain::ChangeEvent> Events(std::initializer_list<std::int64_t> cursors) {
  std::vector<domain::ChangeEvent> out;
  for (std::int64_t c : cursors) {
    domain::ChangeEvent e;
    e.cursor = c;
    e.event_id = absl::StrCat("ev-", c);
    out.push_back(e);
  }
  return out;
}

TEST(PendingChangesTest, BatchesEndAtTheLastEventOrTheFeedsCursor) {
  PendingChanges pending(10);
  EXPECT_EQ(pending.Add(Events({11, 12, 13}), 13), 0u);
  EXPECT_EQ(pending.Add(Events({15, 16}), 18), 0u);  // 14, 17, 18: other offices'
  EXPECT_EQ(pending.size(), 5u);
  PendingChanges::Batch first = pending.Take(2);
  ASSERT_EQ(first.events.size(), 2u);
  EXPECT_EQ(first.events[1].cursor, 12);
  EXPECT_EQ(first.cursor_after, 12);  // 13 is still pending
  PendingChanges::Batch rest = pending.Take(100);
  ASSERT_EQ(rest.events.size(), 3u);
  EXPECT_EQ(rest.cursor_after, 18);  // past the invisible 17 and 18
  EXPECT_TRUE(pending.empty());
  // Only invisible events: nothing to write, but the cursor moves on.
  EXPECT_EQ(pending.Add({}, 25), 0u);
  PendingChanges::Batch none = pending.Take(10);
  EXPECT_TRUE(none.events.empty());
  EXPECT_EQ(none.cursor_after, 25);
}

TEST(PendingChangesTest, DropsRepeatsAndNeverMovesBack) {
  PendingChanges pending(10);
  EXPECT_EQ(pending.Add(Events({9, 10, 11}), 11), 2u);
  EXPECT_EQ(pending.Add(Events({11, 12}), 12), 1u);
  EXPECT_EQ(pending.Add({}, 5), 0u);  // an old heartbeat
  EXPECT_EQ(pending.end_cursor(), 12);
  PendingChanges::Batch batch = pending.Take(10);
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[0].cursor, 11);
  EXPECT_EQ(batch.cursor_after, 12);
}

}  // namespace
}  // namespace rebook::sync_worker
