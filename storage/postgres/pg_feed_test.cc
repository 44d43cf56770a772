// The PostgreSQL change feed's statement triggers (schema step 4,
// internal/schema_feed_statements.h): statements of many rows number their events gap-free in
// (original_start, id, office_id) order, with the payload the row triggers wrote, and a
// database of step 3 with events in it keeps numbering where it stood.
//
// Needs REBOOK_TEST_POSTGRES_URL (testing/scratch_database.h); skipped without it.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"
#include "storage/postgres/migrations.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/scratch_database.h"

namespace rebook::storage {
namespace {

using conformance::At;
using conformance::MakeAppointment;
using conformance::MakeOffer;
using conformance::MakeOffice;
using conformance::MakeService;
using domain::ChangeEvent;
using domain::ChangeKind;
using pg_testing::ScratchDatabase;
using pg_testing::ServerUrl;
using pg_testing::SkipReason;
using ::testing::ElementsAre;

class PgFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ServerUrl().empty()) GTEST_SKIP() << SkipReason();
    database_ = std::make_unique<ScratchDatabase>();
  }

  void Open() {
    absl::StatusOr<std::unique_ptr<PgStore>> store =
        PgStore::Open({.url = database_->url(), .connections = 2});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // Every event after `after`, all pages.
  std::vector<ChangeEvent> EventsAfter(std::int64_t after) {
    std::vector<ChangeEvent> all;
    for (;;) {
      ChangeFeedPage page;
      REBOOK_EXPECT_OK(store_->Read({}, [&](Transaction& tx) -> absl::Status {
        REBOOK_ASSIGN_OR_RETURN(page, tx.ListChangeEvents({.after_cursor = after, .limit = 500}));
        return absl::OkStatus();
      }));
      if (page.events.empty()) return all;
      after = page.next_cursor;
      for (ChangeEvent& e : page.events) all.push_back(std::move(e));
    }
  }

  std::unique_ptr<ScratchDatabase> database_;
  std::unique_ptr<PgStore> store_;
};

void SortByListing(std::vector<domain::Appointment>& appointments) {
  std::sort(appointments.begin(), appointments.end(), [](const auto& a, const auto& b) {
    return std::tie(a.original_start, a.id, a.office_id) <
           std::tie(b.original_start, b.id, b.office_id);
  });
}

// `events` are cursors first, first + 1, ... of `expected` in order.
void ExpectNumberedInOrder(const std::vector<ChangeEvent>& events, std::int64_t first,
                           const std::vector<domain::Appointment>& expected) {
  ASSERT_EQ(events.size(), expected.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].cursor, first + static_cast<std::int64_t>(i));
    ASSERT_EQ(events[i].appointment,
              (domain::AppointmentKey{expected[i].office_id, expected[i].id}))
        << "cursor " << events[i].cursor;
  }
}

// An import, a bulk update spanning several UPDATE statements (1,000 rows each) and a status
// change of one office: each numbered gap-free after the one before, in listing order, whatever
// order the rows were given in; slot events carry the newest offer.
TEST_F(PgFeedTest, MultiRowStatementsNumberEventsInListingOrder) {
  Open();
  constexpr int kCount = 2500;
  std::vector<domain::Appointment> given;
  for (int i = 0; i < kCount; ++i) {
    const int k = (i * 7919) % kCount;  // a permutation: the ids come scrambled
    given.push_back(
        MakeAppointment(absl::StrCat("a", k), k % 2 == 0 ? "o1" : "o2", "s1", At(2, 8 + k % 7)));
  }
  REBOOK_ASSERT_OK(store_->Write({}, [&](Transaction& tx) -> absl::Status {
    for (const char* id : {"o1", "o2"}) REBOOK_RETURN_IF_ERROR(tx.PutOffice(MakeOffice(id)));
    REBOOK_RETURN_IF_ERROR(tx.PutService(MakeService("s1")));
    return tx.InsertAppointments(given);
  }));
  std::vector<domain::Appointment> listed = given;
  SortByListing(listed);
  ASSERT_NO_FATAL_FAILURE(ExpectNumberedInOrder(EventsAfter(0), 1, listed));

  // Every third appointment gets an offer and its held slot; the others a new case count.
  std::vector<domain::Offer> offers;
  std::vector<domain::Appointment> updated(given.rbegin(), given.rend());
  for (std::size_t i = 0; i < updated.size(); ++i) {
    domain::Appointment& a = updated[i];
    a.update_time = At(3, 9);
    if (i % 3 == 0) {
      offers.push_back(MakeOffer(a.id, 1, a.office_id));
      offers.back().state = domain::OfferState::kOpen;
      a.status = domain::AppointmentStatus::kOffered;
      a.held_slot =
          domain::ScheduledSlot{.office_id = "o2", .clerk_id = "c1", .time = {At(4, 9), At(4, 10)}};
    } else {
      a.cases = a.cases + 5;
    }
  }
  REBOOK_ASSERT_OK(store_->Write({}, [&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutOffers(offers));
    return tx.UpdateAppointments(updated);
  }));
  std::vector<ChangeEvent> events = EventsAfter(kCount);
  std::vector<domain::Appointment> expected = updated;
  SortByListing(expected);
  ASSERT_NO_FATAL_FAILURE(ExpectNumberedInOrder(events, kCount + 1, expected));
  for (std::size_t i = 0; i < events.size(); ++i) {
    const bool offered = expected[i].status == domain::AppointmentStatus::kOffered;
    EXPECT_EQ(events[i].kind, offered ? ChangeKind::kSlotHeld : ChangeKind::kAppointmentUpdated);
    EXPECT_EQ(events[i].offer_version, offered ? 1 : 0);
    EXPECT_EQ(events[i].held_slot.has_value(), offered);
    EXPECT_EQ(events[i].cases, expected[i].cases);
    EXPECT_EQ(events[i].change_time, At(3, 9));
  }

  AppointmentFilter at_o1;
  at_o1.office_ids = std::vector<std::string>{"o1"};
  REBOOK_ASSERT_OK(store_->Write({}, [&](Transaction& tx) -> absl::Status {
    return tx
        .SetAppointmentStatus(at_o1, domain::AppointmentStatus::kCancelled, "out-1", "outage",
                              At(3, 10))
        .status();
  }));
  events = EventsAfter(2 * kCount);
  std::erase_if(expected, [](const domain::Appointment& a) { return a.office_id != "o1"; });
  ASSERT_NO_FATAL_FAILURE(ExpectNumberedInOrder(events, 2 * kCount + 1, expected));
  for (std::size_t i = 0; i < events.size(); ++i) {
    const bool held = expected[i].held_slot.has_value();
    EXPECT_EQ(events[i].kind, held ? ChangeKind::kSlotReleased : ChangeKind::kStatusChanged);
    EXPECT_EQ(events[i].held_slot.has_value(), held) << "a released event names the slot freed";
    EXPECT_EQ(events[i].outage_id, "out-1");
  }
}

// A database left at step 3 by an older rebookd, with events written by its row triggers and
// a pruned prefix: step 4 keeps the events, and new ones continue after the largest cursor, or
// after the pruned floor once everything is pruned.
TEST_F(PgFeedTest, UpgradeFromRowTriggersContinuesTheCursors) {
  {
    pqxx::connection c(database_->url());
    ASSERT_EQ(postgres::ApplyMigrations(c, postgres::SchemaMigrations().first(3)).value(), 3);
    pqxx::work tx(c);
    tx.exec(
        "INSERT INTO offices VALUES ('o1', 'O1', 'DE-BE', 'Europe/Berlin', '', 3600);"
        "INSERT INTO services VALUES ('s1', 'S1', 'c', 30);"
        "INSERT INTO appointments (office_id, id, service_id, original_start, priority, cases,"
        "  allowed_offices, unavailable, kind, contact_name, contact_phone, contact_email,"
        "  contact_postal_address, contact_language, contact_channel, status, status_reason,"
        "  create_time, update_time)"
        "SELECT 'o1', 'old' || g, 's1', '2026-03-02 09:00+00', 0, 1, '{}', '[]', 'walk_in',"
        "  'n', '', '', '', 'de', 'email', 'booked', '', '2026-03-01 09:00+00',"
        "  '2026-03-01 09:00+00' FROM generate_series(1, 3) g;"
        "UPDATE appointments SET cases = 2, update_time = '2026-03-01 10:00+00' WHERE id = 'old2';"
        "DELETE FROM change_events WHERE cursor <= 2;"
        "UPDATE change_feed_state SET pruned_through = 2;");
    tx.commit();
  }
  Open();
  {
    pqxx::connection c(database_->url());
    pqxx::read_transaction tx(c);
    EXPECT_EQ(tx.exec("SELECT max(version) FROM schema_migrations")[0][0].as<int>(),
              static_cast<int>(postgres::SchemaMigrations().size()));
    EXPECT_EQ(
        tx.exec("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgtype & 1 = 1 "
                "AND tgrelid IN ('appointments'::regclass, 'privacy_erasures'::regclass)")[0][0]
            .as<int>(),
        0)
        << "no row trigger is left";
  }
  REBOOK_ASSERT_OK(store_->Write({}, [&](Transaction& tx) {
    return tx.InsertAppointments(
        std::vector<domain::Appointment>{MakeAppointment("new2", "o1", "s1", At(2, 9)),
                                         MakeAppointment("new1", "o1", "s1", At(2, 9))});
  }));
  std::vector<ChangeEvent> events = EventsAfter(0);
  std::vector<std::int64_t> cursors;
  std::vector<std::string> ids;
  for (const ChangeEvent& e : events) {
    cursors.push_back(e.cursor);
    ids.push_back(e.appointment.id);
  }
  EXPECT_THAT(cursors, ElementsAre(3, 4, 5, 6));
  EXPECT_THAT(ids, ElementsAre("old3", "old2", "new1", "new2"));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].kind, ChangeKind::kAppointmentUpdated);
  EXPECT_EQ(events[1].cases, 2);
  EXPECT_EQ(events[0].event_id.substr(0, 16), events[3].event_id.substr(0, 16)) << "same epoch";

  REBOOK_ASSERT_OK(store_->Write({}, [&](Transaction& tx) -> absl::Status {
    return tx.PruneChangeEvents(At(30, 0), 100).status();
  }));
  REBOOK_ASSERT_OK(store_->Write(
      {}, [&](Transaction& tx) -> absl::Status { return tx.DeleteAppointment("o1", "old1"); }));
  events = EventsAfter(0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].cursor, 7) << "after the pruned floor";
  EXPECT_EQ(events[0].kind, ChangeKind::kAppointmentErased);
}

}  // namespace
}  // namespace rebook::storage
