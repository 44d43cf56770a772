// LeaseMessages: which messages are due, in which order, and that a held lease is never
// handed out twice.
#include <atomic>
#include <latch>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::IsEmpty;
using IdList = std::vector<std::string>;
using MS = domain::MessageState;

// A message of `channel` in `state`, due at `next_attempt`.
domain::OutboxMessage Due(const std::string& id, MS state, Instant next_attempt,
                          const std::string& channel = "email") {
  domain::OutboxMessage m = MakeMessage(id, "a-" + id, channel, next_attempt);
  m.state = state;
  m.attempts = state == MS::kPending ? 0 : 2;
  return m;
}

domain::OutboxMessage Leased(const std::string& id, Instant next_attempt,
                             std::optional<Instant> lease_expiry) {
  domain::OutboxMessage m = Due(id, MS::kLeased, next_attempt);
  m.lease_expire_time = lease_expiry;
  m.lease_token = "old-lease";
  m.leased_by = "old-worker";
  return m;
}

LeaseRequest Request(Instant now, int max = 100, IdList channels = {"email"}) {
  return {.channels = std::move(channels),
          .max_messages = max,
          .now = now,
          .lease_until = now + std::chrono::minutes(5),
          .lease_token = "lease-1",
          .worker = "worker-1"};
}

class Leaser {
 public:
  explicit Leaser(Store& store) : store_(store) {}
  // Leases in a write transaction; the ids claimed, in order.
  IdList Lease(const LeaseRequest& request, std::vector<LeasedMessage>* out = nullptr) {
    std::vector<LeasedMessage> leased;
    EXPECT_TRUE(store_
                    .Write({},
                           [&](Transaction& tx) -> absl::Status {
                             REBOOK_ASSIGN_OR_RETURN(leased, tx.LeaseMessages(request));
                             return absl::OkStatus();
                           })
                    .ok());
    IdList ids;
    for (const LeasedMessage& l : leased) ids.push_back(l.message.id);
    if (out != nullptr) *out = std::move(leased);
    return ids;
  }

 private:
  Store& store_;
};

TEST_P(StoreConformanceTest, LeaseClaimsDueMessagesOldestFirstUpToMax) {
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.InsertMessages(
        std::vector{Due("m-c", MS::kPending, At(4, 9)), Due("m-a", MS::kFailed, At(4, 10)),
                    Due("m-b", MS::kPending, At(4, 9)), Due("m-d", MS::kPending, At(4, 8)),
                    Due("m-e", MS::kPending, At(4, 12))});  // not yet due at 11:00
  }));
  Leaser leaser(store());
  std::vector<LeasedMessage> leased;
  EXPECT_EQ(leaser.Lease(Request(At(4, 11), 2), &leased), (IdList{"m-d", "m-b"}));
  // The returned messages are as stored after leasing; only the lease fields changed.
  for (const LeasedMessage& l : leased) {
    EXPECT_EQ(l.previous_state, MS::kPending);
    domain::OutboxMessage expected = Due(l.message.id, MS::kPending, l.message.next_attempt_time);
    expected.state = MS::kLeased;
    expected.lease_expire_time = At(4, 11, 5);
    expected.lease_token = "lease-1";
    expected.leased_by = "worker-1";
    expected.update_time = At(4, 11);
    ExpectSameMessage(l.message, expected);
    REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage stored, tx.GetMessage(l.message.id));
      ExpectSameMessage(stored, expected);
      return absl::OkStatus();
    }));
  }
  EXPECT_EQ(leaser.Lease(Request(At(4, 11), 5), &leased), (IdList{"m-c", "m-a"}));
  EXPECT_EQ(leased.at(1).previous_state, MS::kFailed);
  EXPECT_EQ(leased.at(1).message.attempts, 2);  // attempts are the caller's business
  EXPECT_THAT(leaser.Lease(Request(At(4, 11))), IsEmpty());
  // At 12:00 m-e is due (exactly now counts) and the 11:00 leases ran out at 11:05.
  EXPECT_THAT(leaser.Lease(Request(At(4, 12), 0)), IsEmpty());
  EXPECT_EQ(leaser.Lease(Request(At(4, 12)), &leased), (IdList{"m-d", "m-b", "m-c", "m-a", "m-e"}));
  for (std::size_t i = 0; i < leased.size(); ++i) {
    EXPECT_EQ(leased[i].previous_state, i < 4 ? MS::kLeased : MS::kPending) << i;
  }
}

TEST_P(StoreConformanceTest, LeaseClaimsOnlyTheRequestedChannels) {
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.InsertMessages(std::vector{
        Due("m1", MS::kPending, At(4, 8), "email"), Due("m2", MS::kPending, At(4, 8), "sms"),
        Due("m3", MS::kPending, At(4, 8), "letter"), Due("m4", MS::kFailed, At(4, 8), "sms")});
  }));
  Leaser leaser(store());
  EXPECT_THAT(leaser.Lease(Request(At(4, 9), 10, {})), IsEmpty());
  EXPECT_THAT(leaser.Lease(Request(At(4, 9), 10, {"webhook"})), IsEmpty());
  EXPECT_EQ(leaser.Lease(Request(At(4, 9), 10, {"sms"})), (IdList{"m2", "m4"}));
  EXPECT_EQ(leaser.Lease(Request(At(4, 9), 10, {"letter", "email", "sms"})), (IdList{"m1", "m3"}));
}

// A backend may read each state and channel on its own (SQLite does, to use its index in
// order); the lease is still the oldest due messages of all of them, each once, up to the max.
TEST_P(StoreConformanceTest, LeaseMergesStatesAndChannelsOldestFirst) {
  std::vector<domain::OutboxMessage> messages;
  for (int i = 0; i < 12; ++i) {
    const char* channel = i % 3 == 0 ? "email" : i % 3 == 1 ? "sms" : "letter";
    const MS state = i % 2 == 0 ? MS::kPending : MS::kFailed;
    // Due times interleave across states and channels: m-11 is the oldest, m-00 the newest.
    messages.push_back(
        Due(absl::StrCat("m-", i / 10, i % 10), state, At(4, 8, 40 - 2 * i), channel));
  }
  domain::OutboxMessage expired_sms = Due("x-sms", MS::kLeased, At(4, 8, 15), "sms");
  expired_sms.lease_expire_time = At(4, 8, 50);
  expired_sms.lease_token = "old-lease";
  messages.push_back(expired_sms);
  messages.push_back(Leased("x-email", At(4, 8, 21), At(4, 8, 55)));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.InsertMessages(messages); }));
  Leaser leaser(store());
  // Due at 08:15 (x-sms), 08:20 (m-10), 08:21 (x-email), 08:22 (m-09), 08:26 (m-07) ...;
  // letter (m-02, m-05, m-08, m-11) is not asked for, and "sms" twice counts once.
  std::vector<LeasedMessage> leased;
  EXPECT_EQ(leaser.Lease(Request(At(4, 9), 4, {"sms", "email", "sms"}), &leased),
            (IdList{"x-sms", "m-10", "x-email", "m-09"}));
  EXPECT_EQ(leased[0].previous_state, MS::kLeased);
  EXPECT_EQ(leased[1].previous_state, MS::kPending);
  EXPECT_EQ(leased[3].previous_state, MS::kFailed);
  EXPECT_EQ(leaser.Lease(Request(At(4, 9), 100, {"email", "sms"})),
            (IdList{"m-07", "m-06", "m-04", "m-03", "m-01", "m-00"}));
}

TEST_P(StoreConformanceTest, LeaseSkipsHeldFinishedAndNotYetDueMessages) {
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.InsertMessages(
        std::vector{Due("failed-later", MS::kFailed, At(4, 10)),
                    Due("pending-later", MS::kPending, At(4, 10)), Due("sent", MS::kSent, At(4, 8)),
                    Due("delivered", MS::kDelivered, At(4, 8)), Due("dead", MS::kDead, At(4, 8)),
                    Leased("held", At(4, 7), At(4, 9, 30)),         // lease runs past 09:00
                    Leased("expired", At(4, 8), At(4, 8, 30)),      // lease ran out
                    Leased("expires-now", At(4, 8, 10), At(4, 9)),  // runs out exactly at 09:00
                    Leased("no-expiry", At(4, 8, 20), std::nullopt)});
  }));
  Leaser leaser(store());
  std::vector<LeasedMessage> leased;
  EXPECT_EQ(leaser.Lease(Request(At(4, 9)), &leased),
            (IdList{"expired", "expires-now", "no-expiry"}));
  for (const LeasedMessage& l : leased) {
    EXPECT_EQ(l.previous_state, MS::kLeased);
    EXPECT_EQ(l.message.lease_token, "lease-1");
    EXPECT_EQ(l.message.leased_by, "worker-1");
    EXPECT_EQ(l.message.lease_expire_time, At(4, 9, 5));
  }
  // The new leases hold: a second worker gets nothing until they run out.
  LeaseRequest second = Request(At(4, 9, 4));
  second.lease_token = "lease-2";
  second.lease_until = At(4, 12);
  EXPECT_THAT(leaser.Lease(second), IsEmpty());
  second.now = At(4, 9, 30);
  EXPECT_EQ(leaser.Lease(second), (IdList{"held", "expired", "expires-now", "no-expiry"}));
  second.now = At(4, 10);
  EXPECT_EQ(leaser.Lease(second), (IdList{"failed-later", "pending-later"}));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    for (const char* id : {"sent", "delivered", "dead"}) {
      REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage m, tx.GetMessage(id));
      EXPECT_NE(m.state, MS::kLeased) << id;
      EXPECT_EQ(m.lease_token, "") << id;
    }
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, LeaseIsAWriteAndAFailedWriteReleasesNothing) {
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.InsertMessages(std::vector{Due("m1", MS::kPending, At(4, 8))});
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.LeaseMessages(Request(At(4, 9))), StatusIs(StatusCode::kFailedPrecondition));
    return absl::OkStatus();
  }));
  EXPECT_THAT(Write([&](Transaction& tx) -> absl::Status {
                REBOOK_ASSIGN_OR_RETURN(std::vector<LeasedMessage> leased,
                                        tx.LeaseMessages(Request(At(4, 9))));
                EXPECT_EQ(leased.size(), 1u);
                return absl::AbortedError("worker crashed");
              }),
              StatusIs(StatusCode::kAborted));
  Leaser leaser(store());
  std::vector<LeasedMessage> leased;
  EXPECT_EQ(leaser.Lease(Request(At(4, 9)), &leased), IdList{"m1"});
  EXPECT_EQ(leased.at(0).previous_state, MS::kPending);
}

TEST_P(StoreConformanceTest, ConcurrentLeasersNeverShareAMessage) {
  constexpr int kMessages = 60;
  constexpr int kWorkers = 4;
  std::vector<domain::OutboxMessage> all;
  for (int i = 0; i < kMessages; ++i) {
    all.push_back(Due("m" + std::to_string(i), MS::kPending, At(4, 8, i % 50)));
  }
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.InsertMessages(all); }));
  std::vector<IdList> claimed(kWorkers);
  std::latch start(kWorkers);
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      start.arrive_and_wait();
      LeaseRequest request = Request(At(4, 9), 3);
      request.lease_until = At(5, 0);  // outlives the test: nothing may be claimed twice
      request.worker = "worker-" + std::to_string(w);
      for (int round = 0; round < kMessages; ++round) {
        IdList got = Leaser(store()).Lease(request);
        if (got.empty()) break;
        claimed[w].insert(claimed[w].end(), got.begin(), got.end());
      }
    });
  }
  for (std::thread& t : workers) t.join();
  std::map<std::string, int> times;
  for (const IdList& ids : claimed) {
    for (const std::string& id : ids) ++times[id];
  }
  EXPECT_EQ(times.size(), static_cast<std::size_t>(kMessages));
  for (const auto& [id, n] : times) EXPECT_EQ(n, 1) << id;
}

}  // namespace
}  // namespace rebook::storage::conformance
