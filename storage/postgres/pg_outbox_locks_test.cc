// Outbox-scoped writes on PostgreSQL run side by side (READ COMMITTED with row locks, see
// pg_store.h and internal/pg_transaction.h); these tests hold the row locks to what they stand
// in for, with two PgStore on one database as two rebookd would be:
//  - two leases on two replicas do not wait for each other, and share no message;
//  - a report holds the message it settles: an expired lease is not taken again under it;
//  - a default-scope write that reads an appointment's messages sees a lease that committed
//    after its snapshot (it is run again): what SSI's conflict detection did for a decision
//    on those messages (WithdrawHeldOffer: has the offer gone out?) while leases ran at
//    SERIALIZABLE too;
//  - the lease statement reads the ready messages from their index in order, not all of them.
// Each runs with the write lock (the default) and without it.
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"
#include "storage/postgres/internal/lease_sql.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/two_replicas.h"

namespace rebook::storage {
namespace {

using conformance::At;
using conformance::MakeMessage;
using domain::MessageState;
using std::chrono::milliseconds;

const TransactionOptions kOutbox{.scope = WriteScope::kOutbox};

LeaseRequest Lease(const std::string& token, Instant now, int max = 2) {
  return {.channels = {"email"},
          .max_messages = max,
          .now = now,
          .lease_until = now + std::chrono::minutes(5),
          .lease_token = token,
          .worker = token};
}

void WaitFor(const std::atomic<bool>& flag) {
  while (!flag) std::this_thread::sleep_for(milliseconds(2));
}

class PgOutboxLocksTest : public pg_testing::TwoReplicasTest {
 protected:
  // `n` pending email messages m0 .. m<n-1> of appointment a1, due at 2:08, 2:09, ...
  void AddMessages(int n) {
    std::vector<domain::OutboxMessage> messages;
    for (int i = 0; i < n; ++i) {
      domain::OutboxMessage m = MakeMessage(absl::StrCat("m", i), "a1", "email", At(2, 8, i));
      m.idempotency_key = m.id;
      messages.push_back(m);
    }
    ASSERT_TRUE(a_->Write({}, [&](Transaction& tx) { return tx.InsertMessages(messages); }).ok());
  }

  domain::OutboxMessage Stored(const std::string& id) {
    domain::OutboxMessage m;
    EXPECT_TRUE(b_->Read({}, [&](Transaction& tx) -> absl::Status {
                    REBOOK_ASSIGN_OR_RETURN(m, tx.GetMessage(id));
                    return absl::OkStatus();
                  }).ok());
    return m;
  }
};

TEST_P(PgOutboxLocksTest, LeasesOnTwoReplicasDoNotWaitForEachOther) {
  AddMessages(4);
  std::atomic<bool> holding{false};
  std::atomic<bool> other_done{false};
  std::set<std::string> first;
  std::thread slow([&] {
    absl::Status s = a_->Write(kOutbox, [&](Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(std::vector<LeasedMessage> got,
                              tx.LeaseMessages(Lease("lease-a", At(3, 0))));
      first.clear();
      for (const LeasedMessage& l : got) first.insert(l.message.id);
      holding = true;
      // Held open until the other replica's lease committed (or 5 s).
      for (int i = 0; i < 500 && !other_done; ++i) std::this_thread::sleep_for(milliseconds(10));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
  });
  WaitFor(holding);
  std::vector<LeasedMessage> second;
  const auto start = std::chrono::steady_clock::now();
  absl::Status s = b_->Write(kOutbox, [&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(second, tx.LeaseMessages(Lease("lease-b", At(3, 0))));
    return absl::OkStatus();
  });
  const auto waited = std::chrono::steady_clock::now() - start;
  other_done = true;
  slow.join();
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_LT(waited, std::chrono::seconds(3)) << "the second lease waited for the first";
  EXPECT_EQ(first, (std::set<std::string>{"m0", "m1"}));
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].message.id, "m2");
  EXPECT_EQ(second[1].message.id, "m3");
}

TEST_P(PgOutboxLocksTest, AReportHoldsItsMessageAgainstASecondLease) {
  AddMessages(1);
  ASSERT_TRUE(a_->Write(kOutbox, [&](Transaction& tx) {
                  return tx.LeaseMessages(Lease("lease-1", At(3, 0), 1)).status();
                }).ok());
  // The report reads the message to check its lease, then writes it; meanwhile the lease has
  // expired (3:05) and another replica leases at 3:10.
  std::atomic<bool> checked{false};
  std::atomic<bool> leased{false};
  std::thread report([&] {
    absl::Status s = a_->Write(kOutbox, [&](Transaction& tx) -> absl::Status {
      const std::vector<std::string> ids = {"m0"};
      REBOOK_ASSIGN_OR_RETURN(std::vector<domain::OutboxMessage> got, tx.GetMessages(ids));
      if (got.size() != 1 || got[0].lease_token != "lease-1") {
        return absl::FailedPreconditionError("not held by lease-1");
      }
      checked = true;
      for (int i = 0; i < 100 && !leased; ++i) std::this_thread::sleep_for(milliseconds(10));
      domain::OutboxMessage m = got[0];
      m.state = MessageState::kSent;
      m.attempts = 1;
      m.lease_expire_time.reset();
      return tx.UpdateMessagesDelivery({&m, 1});
    });
    EXPECT_TRUE(s.ok()) << s;
  });
  WaitFor(checked);
  std::vector<LeasedMessage> again;
  absl::Status s = b_->Write(kOutbox, [&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(again, tx.LeaseMessages(Lease("lease-2", At(3, 10), 1)));
    return absl::OkStatus();
  });
  leased = true;
  report.join();
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_TRUE(again.empty()) << "leased again while its report held it";
  const domain::OutboxMessage m = Stored("m0");
  EXPECT_EQ(m.state, MessageState::kSent);
  EXPECT_EQ(m.lease_token, "lease-1");
}

TEST_P(PgOutboxLocksTest, ADefaultWriteReadingAnAppointmentsMessagesSeesALaterLease) {
  AddMessages(1);
  std::atomic<int> attempts{0};
  std::atomic<bool> snapshot_taken{false};
  std::atomic<bool> lease_committed{false};
  std::vector<MessageState> seen;
  std::thread withdraw([&] {
    // As WithdrawHeldOffer: has any message of the offer gone out?
    absl::Status s = a_->Write({}, [&](Transaction& tx) -> absl::Status {
      ++attempts;
      REBOOK_RETURN_IF_ERROR(tx.GetMessage("m0").status());  // the snapshot is taken
      snapshot_taken = true;
      WaitFor(lease_committed);
      MessageFilter filter;
      filter.appointment = domain::AppointmentKey{.office_id = "o1", .id = "a1"};
      filter.states = {MessageState::kSent, MessageState::kDelivered, MessageState::kLeased};
      seen.clear();
      return tx.ScanMessages(filter,
                             [&](const domain::OutboxMessage& m) { seen.push_back(m.state); });
    });
    EXPECT_TRUE(s.ok()) << s;
  });
  WaitFor(snapshot_taken);
  absl::Status s = b_->Write(kOutbox, [&](Transaction& tx) {
    return tx.LeaseMessages(Lease("lease-1", At(3, 0), 1)).status();
  });
  lease_committed = true;
  withdraw.join();
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(attempts.load(), 2) << "the write kept its snapshot from before the lease";
  EXPECT_EQ(seen, std::vector<MessageState>{MessageState::kLeased});
}

TEST_P(PgOutboxLocksTest, TheLeaseReadsReadyMessagesInIndexOrder) {
  pqxx::connection c(database_->url());
  {
    pqxx::work tx(c);
    // 20,000 ready messages in four channels, then fresh statistics.
    tx.exec(
        "INSERT INTO outbox_messages (id, idempotency_key, office_id, outage_id, appointment_id, "
        "offer_version, kind, channel, language, state, attempts, next_attempt_time, "
        "lease_token, leased_by, last_error, provider_message_id, fallback_from, explanation, "
        "create_time, update_time) SELECT 'm' || i, 'k' || i, 'o1', 'out-1', 'a' || i, 1, "
        "'offer', (ARRAY['email','sms','letter','phone'])[1 + i % 4], 'de-DE', "
        "CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'pending' END, 0, "
        "to_timestamp(1760000000 + i), '', '', '', '', '', '', to_timestamp(1760000000), "
        "to_timestamp(1760000000) FROM generate_series(1, 20000) i");
    tx.exec("ANALYZE outbox_messages");
    tx.commit();
  }
  pqxx::work tx(c);
  postgres_internal::Params p;
  LeaseRequest lease = Lease("l", At(3, 0), 500);
  lease.channels = {"email", "sms", "letter", "phone", "webhook", "file"};
  const std::string sql = postgres_internal::LeaseSql(p, lease);
  std::string plan;
  std::string ready;  // the lines of the plan of the CTE `ready`
  std::size_t ready_indent = std::string::npos;
  for (const pqxx::row& row : p.Exec(tx, absl::StrCat("EXPLAIN ", sql))) {
    const std::string line = row[0].c_str();
    absl::StrAppend(&plan, line, "\n");
    const std::size_t indent = line.find_first_not_of(' ');
    if (line.find("CTE ready") != std::string::npos) {
      ready_indent = indent;
    } else if (ready_indent != std::string::npos && indent <= ready_indent) {
      ready_indent = std::string::npos;
    } else if (ready_indent != std::string::npos) {
      absl::StrAppend(&ready, line, "\n");
    }
  }
  // The ready messages: the index in order, stopped at the LIMIT, no sort of all due rows; the
  // UPDATE finds the batch by primary key, not by reading the table.
  EXPECT_NE(ready.find("Index Scan using outbox_messages_ready"), std::string::npos) << plan;
  EXPECT_EQ(ready.find("Sort"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Seq Scan on outbox_messages"), std::string::npos) << plan;
}

INSTANTIATE_TEST_SUITE_P(WriteLock, PgOutboxLocksTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("Queued") : std::string("Concurrent");
                         });

}  // namespace
}  // namespace rebook::storage
