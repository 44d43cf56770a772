// Several replicas on one PostgreSQL database, as several rebookd would be: each test opens two
// PgStore instances on one scratch database and races them from real threads. Every test runs
// with the write lock (the default) and without it (SERIALIZABLE alone), so both the queue and
// the conflict detection underneath it are held to the same outcome:
//  - read-check-write transactions (a plan commit, the offer expiry batch) have one effect;
//  - unique keys (appointment ids, outbox idempotency keys) have one effect;
//  - the change feed's cursors are gap-free and in commit order, and a reader polling while
//    others write never sees a cursor before every smaller one;
//  - outbox-scoped writes (leases) do not wait for the write lock.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/two_replicas.h"

namespace rebook::storage {
namespace {

using conformance::At;
using conformance::MakeAppointment;
using conformance::MakeMessage;
using conformance::MakeOffer;
using conformance::MakeOffice;
using conformance::MakePlan;
using conformance::MakeService;
using domain::AppointmentStatus;
using domain::OfferState;
using domain::PlanState;

class PgReplicasTest : public pg_testing::TwoReplicasTest {
 protected:
  void SetUp() override {
    TwoReplicasTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(a_->Write({}, [](Transaction& tx) -> absl::Status {
                    REBOOK_RETURN_IF_ERROR(tx.PutOffice(MakeOffice("o1")));
                    return tx.PutService(MakeService("s1"));
                  }).ok());
  }
  PgStore* replica(int i) { return i % 2 == 0 ? a_.get() : b_.get(); }

  // Every event of the feed, read from replica b.
  std::vector<domain::ChangeEvent> Feed() {
    std::vector<domain::ChangeEvent> events;
    EXPECT_TRUE(b_->Read({}, [&](Transaction& tx) -> absl::Status {
                    std::int64_t after = 0;
                    for (int page = 0; page < 1000; ++page) {
                      REBOOK_ASSIGN_OR_RETURN(
                          ChangeFeedPage p,
                          tx.ListChangeEvents({.after_cursor = after, .limit = 500}));
                      for (domain::ChangeEvent& e : p.events) events.push_back(std::move(e));
                      if (p.next_cursor == after) break;
                      after = p.next_cursor;
                    }
                    return absl::OkStatus();
                  }).ok());
    return events;
  }
};

// Six writers on two replicas insert (and sometimes roll back) while a reader polls: cursors
// come out 1..N with no gap and no reuse, and the reader never sees a hole it must later fill.
TEST_P(PgReplicasTest, ChangeFeedCursorsAreGapFreeAcrossReplicas) {
  constexpr int kWriters = 6;
  constexpr int kPerWriter = 25;
  std::atomic<bool> writing{true};
  std::atomic<int> committed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const bool roll_back = i % 5 == 4;
        const std::vector<domain::Appointment> rows = {
            MakeAppointment(absl::StrCat("w", w, "-", i), "o1", "s1", At(2, 9))};
        absl::Status s = replica(w)->Write({}, [&](Transaction& tx) -> absl::Status {
          REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(rows));
          if (roll_back) return absl::CancelledError("rolled back on purpose");
          return absl::OkStatus();
        });
        if (roll_back) {
          EXPECT_EQ(s.code(), absl::StatusCode::kCancelled) << s;
        } else {
          EXPECT_TRUE(s.ok()) << s;
          ++committed;
        }
      }
    });
  }
  // The reader: whatever it sees continues exactly where its last read ended.
  std::int64_t seen = 0;
  std::thread reader([&] {
    for (int poll = 0; poll < 100000 && (writing || poll == 0); ++poll) {
      absl::Status s = a_->Read({}, [&](Transaction& tx) -> absl::Status {
        REBOOK_ASSIGN_OR_RETURN(ChangeFeedPage p, tx.ListChangeEvents({.after_cursor = seen}));
        for (const domain::ChangeEvent& e : p.events) {
          EXPECT_EQ(e.cursor, seen + 1) << "a cursor was visible before a smaller one";
          seen = e.cursor;
        }
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
    }
  });
  for (std::thread& t : writers) t.join();
  writing = false;
  reader.join();

  const std::vector<domain::ChangeEvent> feed = Feed();
  ASSERT_EQ(feed.size(), static_cast<std::size_t>(committed.load()));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < feed.size(); ++i) {
    EXPECT_EQ(feed[i].cursor, static_cast<std::int64_t>(i) + 1);
    EXPECT_TRUE(ids.insert(feed[i].appointment.id).second) << feed[i].appointment.id;
    EXPECT_THAT(feed[i].event_id, ::testing::EndsWith(absl::StrCat("-", feed[i].cursor)));
  }
  EXPECT_LE(seen, static_cast<std::int64_t>(feed.size()));
}

// Two replicas commit two plans of one outage at once, each checking in its transaction that no
// plan of the outage is committed yet (as rebooking::CommitPlan does): one wins, the other sees
// the winner's commit and, its plan READY when its request began, answers ABORTED (a lost race,
// not a stale request), every time.
TEST_P(PgReplicasTest, ConcurrentPlanCommitsHaveOneWinner) {
  for (int round = 0; round < 10; ++round) {
    const std::string outage = absl::StrCat("out-", round);
    ASSERT_TRUE(a_->Write({}, [&](Transaction& tx) -> absl::Status {
                    for (const char* id : {"p0", "p1"}) {
                      domain::PlanRecord plan = MakePlan(outage, id, At(1, 9));
                      plan.state = PlanState::kReady;
                      REBOOK_RETURN_IF_ERROR(tx.PutPlan(plan));
                    }
                    return absl::OkStatus();
                  }).ok());
    std::atomic<int> winners{0};
    std::atomic<int> refused{0};
    // Each request reads its plan before its write (rebooking::PlanStateAtStart): both READY.
    PlanState at_start[2];
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(replica(i)
                      ->Read({},
                             [&](Transaction& tx) -> absl::Status {
                               REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord p,
                                                       tx.GetPlan(outage, absl::StrCat("p", i)));
                               at_start[i] = p.state;
                               return absl::OkStatus();
                             })
                      .ok());
    }
    auto commit = [&](int i) {
      absl::Status s = replica(i)->Write({}, [&](Transaction& tx) -> absl::Status {
        REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord mine, tx.GetPlan(outage, absl::StrCat("p", i)));
        REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord other,
                                tx.GetPlan(outage, absl::StrCat("p", 1 - i)));
        if (mine.state != PlanState::kReady || other.state == PlanState::kCommitted) {
          return at_start[i] == PlanState::kReady
                     ? absl::AbortedError("another commit of the outage won")
                     : absl::FailedPreconditionError("superseded");
        }
        mine.state = PlanState::kCommitted;
        other.state = PlanState::kSuperseded;
        REBOOK_RETURN_IF_ERROR(tx.PutPlan(mine));
        return tx.PutPlan(other);
      });
      if (s.ok()) {
        ++winners;
      } else {
        EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
        ++refused;
      }
    };
    std::thread t0(commit, 0);
    std::thread t1(commit, 1);
    t0.join();
    t1.join();
    EXPECT_EQ(winners.load(), 1) << "round " << round;
    EXPECT_EQ(refused.load(), 1) << "round " << round;
  }
}

// The same appointment and the same outbox idempotency key from two replicas at once: one
// insert succeeds, the other fails with ALREADY_EXISTS and leaves nothing behind.
TEST_P(PgReplicasTest, UniqueKeysHaveOneEffectAcrossReplicas) {
  for (int round = 0; round < 10; ++round) {
    std::atomic<int> inserted{0};
    std::atomic<int> existed{0};
    auto insert = [&](int i) {
      const std::vector<domain::Appointment> rows = {
          MakeAppointment(absl::StrCat("a", round), "o1", "s1", At(2, 9))};
      domain::OutboxMessage m = MakeMessage(absl::StrCat("m", round, "-", i),
                                            absl::StrCat("a", round), "email", At(1, 9));
      m.idempotency_key = absl::StrCat("offer/a", round);
      const std::vector<domain::OutboxMessage> messages = {m};
      for (absl::Status s :
           {replica(i)->Write({}, [&](Transaction& tx) { return tx.InsertAppointments(rows); }),
            replica(i)->Write({}, [&](Transaction& tx) { return tx.InsertMessages(messages); })}) {
        if (s.ok()) {
          ++inserted;
        } else {
          EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
          ++existed;
        }
      }
    };
    std::thread t0(insert, 0);
    std::thread t1(insert, 1);
    t0.join();
    t1.join();
    EXPECT_EQ(inserted.load(), 2);
    EXPECT_EQ(existed.load(), 2);
  }
  MessageFilter all;
  std::int64_t messages = 0;
  ASSERT_TRUE(a_->Read({}, [&](Transaction& tx) {
                  return tx.ScanMessages(all, [&](const domain::OutboxMessage&) { ++messages; });
                }).ok());
  EXPECT_EQ(messages, 10);
}

// The expiry batch (rebooking::ProcessExpiries' shape: scan open offers past expiry, expire
// each, give its appointment's slot back) from four threads on two replicas at once: every
// offer expires once, and the feed holds one slot_released per appointment.
TEST_P(PgReplicasTest, ExpiryBatchesFromSeveralReplicasExpireEachOfferOnce) {
  constexpr int kOffers = 40;
  ASSERT_TRUE(
      a_->Write({}, [&](Transaction& tx) -> absl::Status {
          for (int i = 0; i < kOffers; ++i) {
            const std::string id = absl::StrCat("a", i);
            domain::Offer o = MakeOffer(id, 1, "o1");
            o.state = OfferState::kOpen;
            o.expire_time = At(3, 9);
            REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
            domain::Appointment a = MakeAppointment(id, "o1", "s1", At(2, 9));
            a.status = AppointmentStatus::kOffered;
            a.outage_id = "out-1";
            a.held_slot = domain::ScheduledSlot{o.slot.office_id, o.slot.clerk_id, o.slot.time};
            const std::vector<domain::Appointment> rows = {a};
            REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(rows));
          }
          return absl::OkStatus();
        }).ok());
  std::atomic<int> expired{0};
  auto batch = [&](int worker) {
    for (int pass = 0; pass < 20; ++pass) {
      int mine = 0;
      absl::Status s = replica(worker)->Write({}, [&](Transaction& tx) -> absl::Status {
        mine = 0;
        std::vector<domain::Offer> due;
        OfferFilter f;
        f.states = {OfferState::kOpen};
        f.expire_before = At(4, 0);
        REBOOK_RETURN_IF_ERROR(tx.ScanOffers(f, [&](const domain::Offer& o) {
          if (due.size() < 7) due.push_back(o);
        }));
        for (domain::Offer& o : due) {
          o.state = OfferState::kExpired;
          REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
          REBOOK_ASSIGN_OR_RETURN(domain::Appointment a,
                                  tx.GetAppointment(o.office_id, o.appointment_id));
          a.status = AppointmentStatus::kCancelled;
          a.held_slot.reset();
          a.update_time = At(4, 0);
          REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
          ++mine;
        }
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
      expired += mine;
      if (mine == 0) return;
    }
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) workers.emplace_back(batch, w);
  for (std::thread& t : workers) t.join();
  EXPECT_EQ(expired.load(), kOffers);
  std::map<std::string, int> released;
  for (const domain::ChangeEvent& e : Feed()) {
    if (e.kind == domain::ChangeKind::kSlotReleased) ++released[e.appointment.id];
  }
  EXPECT_EQ(released.size(), static_cast<std::size_t>(kOffers));
  for (const auto& [id, n] : released) EXPECT_EQ(n, 1) << id;
}

// A lease (WriteScope::kOutbox) on one replica does not queue behind a long write of the
// default scope on the other (a plan commit, an import): it takes the outbox lock, not the
// write lock. Then a default-scope write that read the outbox while a lease changed it is
// aborted once by SSI and run again, and both take effect.
TEST_P(PgReplicasTest, OutboxWritesDoNotQueueBehindOtherWrites) {
  domain::OutboxMessage due = MakeMessage("m1", "a1", "email", At(2, 8));
  ASSERT_TRUE(a_->Write({}, [&](Transaction& tx) { return tx.InsertMessages({&due, 1}); }).ok());
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  std::thread slow([&] {
    absl::Status s = a_->Write({}, [&](Transaction& tx) -> absl::Status {
      const std::vector<domain::Appointment> rows = {MakeAppointment("slow", "o1", "s1", At(2, 9))};
      REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(rows));
      started = true;
      std::this_thread::sleep_for(std::chrono::seconds(2));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    finished = true;
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<LeasedMessage> leased;
  absl::Status s = b_->Write({.scope = WriteScope::kOutbox}, [&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(leased, tx.LeaseMessages({.channels = {"email"},
                                                      .max_messages = 10,
                                                      .now = At(3, 0),
                                                      .lease_until = At(3, 5),
                                                      .lease_token = "lease-1",
                                                      .worker = "w"}));
    return absl::OkStatus();
  });
  EXPECT_FALSE(finished) << "the lease waited for the other write";
  slow.join();
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(leased.size(), 1u);

  // A read-outbox-then-insert write beside a lease that changes what it read.
  std::atomic<int> attempts{0};
  std::atomic<bool> read_done{false};
  std::atomic<bool> lease_done{false};
  std::thread reader([&] {
    absl::Status w = a_->Write({}, [&](Transaction& tx) -> absl::Status {
      ++attempts;
      REBOOK_RETURN_IF_ERROR(tx.ScanMessages({}, [](const domain::OutboxMessage&) {}));
      read_done = true;
      while (attempts == 1 && !lease_done)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      domain::OutboxMessage m = MakeMessage("m2", "a2", "email", At(2, 8));
      return tx.InsertMessages({&m, 1});
    });
    EXPECT_TRUE(w.ok()) << w;
  });
  while (!read_done) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  domain::OutboxMessage fresh = MakeMessage("m3", "a3", "email", At(2, 8));
  s = b_->Write({.scope = WriteScope::kOutbox}, [&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(leased, tx.LeaseMessages({.channels = {"email"},
                                                      .max_messages = 10,
                                                      .now = At(4, 0),
                                                      .lease_until = At(4, 5),
                                                      .lease_token = "lease-2",
                                                      .worker = "w"}));
    return tx.InsertMessages({&fresh, 1});
  });
  lease_done = true;
  reader.join();
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(leased.size(), 1u);  // m1 again: its first lease ran out at 3:05
  EXPECT_GE(attempts.load(), 1);
  ASSERT_TRUE(b_->Read({}, [&](Transaction& tx) -> absl::Status {
                  for (const char* id : {"m1", "m2", "m3"}) {
                    REBOOK_RETURN_IF_ERROR(tx.GetMessage(id).status());
                  }
                  return absl::OkStatus();
                }).ok());
}

INSTANTIATE_TEST_SUITE_P(WriteLock, PgReplicasTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("Queued") : std::string("Concurrent");
                         });

}  // namespace
}  // namespace rebook::storage
