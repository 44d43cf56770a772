// QueueMessages writes a commit's messages in the order workers lease them, on a real SQLite
// store whose file the test reads directly: the order is physical (rowids), not visible through
// the Store interface.
#include <algorithm>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking::testing {
namespace {

using domain::MessageState;
using ::testing::ElementsAreArray;
using ::testing::SizeIs;

// Ids that fall as they are made ("m-9999", "m-9998", ...): without sorting, rows would be
// written against the lease order.
class FallingIds final : public IdGenerator {
 public:
  std::string NewId(const std::string& prefix) override {
    return absl::StrCat(prefix, "-", 10000 - ++made_);
  }

 private:
  int made_ = 0;
};

TEST_F(OutboxTest, QueuedMessagesAreStoredInLeaseOrderWithTheirOwnEvents) {
  std::vector<std::pair<domain::Appointment, domain::Offer>> seeded;
  for (int i = 1; i <= 6; ++i) seeded.push_back(Seed(absl::StrCat("a", i), Email()));
  std::vector<OfferMessage> queue;
  for (const auto& [a, o] : seeded) queue.push_back({&a, &o, nullptr});
  FallingIds ids;
  ASSERT_TRUE(Write([&](storage::Transaction& tx) {
                return QueueMessages(tx, policy_, queue, domain::MessageKind::kOffer, clock_.Now(),
                                     ids);
              }).ok());

  std::vector<std::string> stored;
  {
    SQLite::Database db(dir_->File("rebook.db"), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT id FROM outbox_messages ORDER BY rowid");
    while (q.executeStep()) stored.push_back(q.getColumn(0).getString());
  }
  ASSERT_THAT(stored, SizeIs(6));
  EXPECT_TRUE(std::is_sorted(stored.begin(), stored.end())) << ::testing::PrintToString(stored);

  // The lease hands them out in the same order, each with its own appointment and history.
  auto leased = Lease({"email"}, 10);
  ASSERT_TRUE(leased.ok()) << leased.status();
  std::vector<std::string> lease_order;
  for (const OutboxLease& l : *leased) {
    lease_order.push_back(l.message.id);
    const std::vector<domain::MessageEvent> history = History(l.message.id);
    ASSERT_THAT(history, SizeIs(2)) << l.message.id;  // created, leased
    EXPECT_EQ(history[0].to, MessageState::kPending);
    EXPECT_EQ(history[0].message_id, l.message.id);
  }
  EXPECT_THAT(lease_order, ElementsAreArray(stored));
  // Made in seed order with falling ids: a1's message has the largest id, so it is last.
  EXPECT_EQ(leased->back().message.appointment_id, "a1");
  EXPECT_EQ(leased->front().message.appointment_id, "a6");
}

}  // namespace
}  // namespace rebook::rebooking::testing
