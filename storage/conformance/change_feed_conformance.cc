// The change-feed facet (storage/change_feed_store.h): the backend records an event for every
// state change, numbered gap-free in commit order, scoped reads move past other offices' events,
// and pruning removes only a prefix without ever reusing a cursor.
#include <algorithm>
#include <set>
#include <tuple>

#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using domain::ChangeEvent;
using domain::ChangeKind;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

ChangeFeedPage ListOrDie(Store& store, const ChangeFeedQuery& query) {
  ChangeFeedPage page;
  absl::Status s = store.Read({}, [&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(page, tx.ListChangeEvents(query));
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return page;
}

std::vector<ChangeKind> Kinds(const std::vector<ChangeEvent>& events) {
  std::vector<ChangeKind> kinds;
  for (const ChangeEvent& e : events) kinds.push_back(e.kind);
  return kinds;
}

std::vector<std::int64_t> Cursors(const std::vector<ChangeEvent>& events) {
  std::vector<std::int64_t> cursors;
  for (const ChangeEvent& e : events) cursors.push_back(e.cursor);
  return cursors;
}

TEST_P(StoreConformanceTest, ChangeFeedRecordsEveryChangeInCommitOrder) {
  SeedWorld();
  InsertOrDie(
      {MakeAppointment("a1", "o1", "s1", At(2, 9)), MakeAppointment("a2", "o2", "s1", At(2, 10))});
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, tx.GetAppointment("o1", "a1"));
    a.status_reason = "only the reason changes";  // no event
    a.update_time = At(3, 8);
    REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
    a.cases = 3;
    a.update_time = At(3, 9);
    REBOOK_RETURN_IF_ERROR(tx.UpdateAppointment(a));
    AppointmentFilter booked;
    booked.office_ids = std::vector<std::string>{"o2"};
    return tx
        .SetAppointmentStatus(booked, domain::AppointmentStatus::kCancelled, "out-1", "outage",
                              At(3, 10))
        .status();
  }));
  const ChangeFeedPage page = ListOrDie(store(), {});
  EXPECT_THAT(Kinds(page.events),
              ElementsAre(ChangeKind::kAppointmentCreated, ChangeKind::kAppointmentCreated,
                          ChangeKind::kAppointmentUpdated, ChangeKind::kStatusChanged));
  EXPECT_THAT(Cursors(page.events), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(page.next_cursor, 4);
  EXPECT_EQ(page.last_cursor, 4);
  EXPECT_EQ(page.oldest_cursor, 1);
  ASSERT_EQ(page.events.size(), 4u);
  const ChangeEvent& updated = page.events[2];
  EXPECT_EQ(updated.appointment, (domain::AppointmentKey{"o1", "a1"}));
  EXPECT_EQ(updated.cases, 3);
  EXPECT_EQ(updated.change_time, At(3, 9));
  EXPECT_EQ(updated.service_id, "s1");
  EXPECT_EQ(updated.original_start, At(2, 9));
  EXPECT_FALSE(updated.held_slot.has_value());
  EXPECT_FALSE(updated.rebooked_slot.has_value());
  const ChangeEvent& cancelled = page.events[3];
  EXPECT_EQ(cancelled.status, domain::AppointmentStatus::kCancelled);
  EXPECT_EQ(cancelled.outage_id, "out-1");
  EXPECT_EQ(cancelled.change_time, At(3, 10));
  EXPECT_EQ(cancelled.offer_version, 0);
  std::set<std::string> ids;
  for (const ChangeEvent& e : page.events) {
    EXPECT_FALSE(e.event_id.empty());
    ids.insert(e.event_id);
  }
  EXPECT_EQ(ids.size(), page.events.size()) << "event ids are unique";
}

TEST_P(StoreConformanceTest, ChangeFeedHasNoGapAfterARolledBackWrite) {
  SeedWorld();
  InsertOrDie({MakeAppointment("a1", "o1", "s1", At(2, 9))});
  const std::vector<domain::Appointment> rolled_back = {
      MakeAppointment("a2", "o1", "s1", At(2, 9))};
  EXPECT_THAT(Write([&](Transaction& tx) -> absl::Status {
                REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(rolled_back));
                return absl::AbortedError("changed my mind");
              }),
              StatusIs(absl::StatusCode::kAborted));
  InsertOrDie({MakeAppointment("a3", "o1", "s1", At(2, 9))});
  const ChangeFeedPage page = ListOrDie(store(), {});
  EXPECT_THAT(Cursors(page.events), ElementsAre(1, 2));
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[1].appointment.id, "a3");
}

TEST_P(StoreConformanceTest, ChangeFeedFollowsTheSlotOfAnOffer) {
  SeedWorld();
  domain::Appointment a = MakeAppointment("a1", "o1", "s1", At(2, 9));
  a.status = domain::AppointmentStatus::kCancelled;
  a.outage_id = "out-1";
  InsertOrDie({a});
  const domain::ScheduledSlot slot{
      .office_id = "o2", .clerk_id = "c1", .time = {At(4, 9), At(4, 10)}};
  domain::Offer offer = MakeOffer("a1", 1, "o1");
  offer.state = domain::OfferState::kOpen;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer));
    a.status = domain::AppointmentStatus::kOffered;
    a.held_slot = slot;
    a.update_time = At(3, 9);
    return tx.UpdateAppointment(a);
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    offer.state = domain::OfferState::kAccepted;
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer));
    a.status = domain::AppointmentStatus::kConfirmed;
    a.held_slot.reset();
    a.rebooked_slot = domain::RebookedSlot{.slot = slot,
                                           .confirmed_via = domain::ConfirmationChannel::kPhone,
                                           .confirm_time = At(3, 10)};
    a.update_time = At(3, 10);
    return tx.UpdateAppointment(a);
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    offer.state = domain::OfferState::kWithdrawn;
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer));
    a.status = domain::AppointmentStatus::kCancelled;
    a.rebooked_slot.reset();
    a.update_time = At(3, 11);
    return tx.UpdateAppointment(a);
  }));
  const ChangeFeedPage page = ListOrDie(store(), {.after_cursor = 1});
  EXPECT_THAT(Kinds(page.events), ElementsAre(ChangeKind::kSlotHeld, ChangeKind::kSlotConfirmed,
                                              ChangeKind::kSlotReleased));
  ASSERT_EQ(page.events.size(), 3u);
  const ChangeEvent& held = page.events[0];
  EXPECT_EQ(held.held_slot, slot);
  EXPECT_FALSE(held.rebooked_slot.has_value());
  EXPECT_EQ(held.offer_version, 1);
  EXPECT_EQ(held.offer_state, domain::OfferState::kOpen);
  EXPECT_EQ(held.slot_time_zone, "Europe/Berlin");
  const ChangeEvent& confirmed = page.events[1];
  ASSERT_TRUE(confirmed.rebooked_slot.has_value());
  EXPECT_EQ(confirmed.rebooked_slot->slot, slot);
  EXPECT_EQ(confirmed.rebooked_slot->confirmed_via, domain::ConfirmationChannel::kPhone);
  EXPECT_EQ(confirmed.rebooked_slot->confirm_time, At(3, 10));
  EXPECT_EQ(confirmed.status, domain::AppointmentStatus::kConfirmed);
  EXPECT_EQ(confirmed.offer_state, domain::OfferState::kAccepted);
  const ChangeEvent& released = page.events[2];
  EXPECT_EQ(released.held_slot, slot) << "the slot freed";
  EXPECT_FALSE(released.rebooked_slot.has_value());
  EXPECT_EQ(released.offer_state, domain::OfferState::kWithdrawn);
  EXPECT_EQ(released.change_time, At(3, 11));
}

TEST_P(StoreConformanceTest, ChangeFeedRecordsErasureAndDeletion) {
  SeedWorld();
  InsertOrDie(
      {MakeAppointment("a1", "o1", "s1", At(2, 9)), MakeAppointment("a2", "o1", "s1", At(2, 9))});
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutErasure({"a1", "o1", At(5, 9), "retention"}));
    return tx.DeleteAppointment("o1", "a2");
  }));
  const ChangeFeedPage page = ListOrDie(store(), {.after_cursor = 2});
  EXPECT_THAT(Kinds(page.events),
              ElementsAre(ChangeKind::kAppointmentErased, ChangeKind::kAppointmentErased));
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[0].appointment.id, "a1");
  EXPECT_EQ(page.events[0].change_time, At(5, 9));
  EXPECT_EQ(page.events[1].appointment.id, "a2");
}

TEST_P(StoreConformanceTest, ChangeFeedPagesAndScopedReadsMovePastOtherOffices) {
  SeedWorld();
  std::vector<domain::Appointment> all;
  for (int i = 0; i < 7; ++i) {
    all.push_back(MakeAppointment(absl::StrCat("a", i), i < 5 ? "o1" : "o2", "s1", At(2, 9)));
  }
  InsertOrDie(all);  // cursors 1-5 at o1, 6-7 at o2
  ChangeFeedPage page = ListOrDie(store(), {.after_cursor = 0, .limit = 3});
  EXPECT_THAT(Cursors(page.events), ElementsAre(1, 2, 3));
  EXPECT_EQ(page.next_cursor, 3);
  page = ListOrDie(store(), {.after_cursor = 3, .limit = 3});
  EXPECT_THAT(Cursors(page.events), ElementsAre(4, 5, 6));
  page = ListOrDie(store(), {.after_cursor = 6, .limit = 3});
  EXPECT_THAT(Cursors(page.events), ElementsAre(7));
  EXPECT_EQ(page.next_cursor, 7);

  page = ListOrDie(store(), {.office_ids = std::vector<std::string>{"o2"}, .limit = 1});
  EXPECT_THAT(Cursors(page.events), ElementsAre(6));
  EXPECT_EQ(page.next_cursor, 6);
  page = ListOrDie(store(), {.office_ids = std::vector<std::string>{"o2"}, .after_cursor = 6});
  EXPECT_THAT(Cursors(page.events), ElementsAre(7));
  page = ListOrDie(store(), {.office_ids = std::vector<std::string>{"o3"}, .after_cursor = 2});
  EXPECT_THAT(page.events, IsEmpty());
  EXPECT_EQ(page.next_cursor, 7) << "a scoped reader moves past what it may not see";
  page = ListOrDie(store(), {.office_ids = std::vector<std::string>{}});
  EXPECT_THAT(page.events, IsEmpty());
  EXPECT_EQ(page.next_cursor, 7);
  page = ListOrDie(store(), {.after_cursor = 7});
  EXPECT_THAT(page.events, IsEmpty());
  EXPECT_EQ(page.next_cursor, 7);
  for (const ChangeEvent& e : ListOrDie(store(), {}).events) {
    EXPECT_EQ(e.status, domain::AppointmentStatus::kBooked);
  }
}

// One InsertAppointments call of many rows (an import): gap-free cursors in the appointments'
// listing order (original_start, id, office_id), whatever the order given; SQLite inserts in
// that order, PostgreSQL's statement trigger numbers in it (schema_feed_statements.h).
TEST_P(StoreConformanceTest, ChangeFeedNumbersAnImportInListingOrder) {
  SeedWorld();
  std::vector<domain::Appointment> all;
  for (int i = 0; i < 60; ++i) {
    // Starts repeat, and each id is at two offices: the office breaks the last ties.
    all.push_back(MakeAppointment(absl::StrCat("a", (i * 7) % 30), i < 30 ? "o2" : "o1", "s1",
                                  At(2, 8 + (i * 11) % 5)));
  }
  InsertOrDie(all);
  std::vector<domain::Appointment> expected = all;
  std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
    return std::tie(a.original_start, a.id, a.office_id) <
           std::tie(b.original_start, b.id, b.office_id);
  });
  const ChangeFeedPage page = ListOrDie(store(), {.limit = 100});
  ASSERT_EQ(page.events.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(page.events[i].cursor, static_cast<std::int64_t>(i) + 1);
    EXPECT_EQ(page.events[i].appointment,
              (domain::AppointmentKey{expected[i].office_id, expected[i].id}))
        << "event " << i;
    EXPECT_EQ(page.events[i].original_start, expected[i].original_start);
  }
}

TEST_P(StoreConformanceTest, ChangeFeedPrunesAPrefixAndNeverReusesCursors) {
  SeedWorld();
  for (int i = 0; i < 4; ++i) {
    domain::Appointment a = MakeAppointment(absl::StrCat("a", i), "o1", "s1", At(2, 9));
    a.update_time = At(i == 2 ? 9 : 3 + i, 9);  // a3 is older than a2: only a prefix goes
    InsertOrDie({a});
  }
  std::int64_t pruned = 0;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(pruned, tx.PruneChangeEvents(At(7, 0), 1));
    return absl::OkStatus();
  }));
  EXPECT_EQ(pruned, 1) << "at most the limit";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(pruned, tx.PruneChangeEvents(At(7, 0), 100));
    return absl::OkStatus();
  }));
  EXPECT_EQ(pruned, 1) << "a2 (day 9) stops the prefix; a3 (day 6) stays behind it";
  ChangeFeedPage page = ListOrDie(store(), {});
  EXPECT_THAT(Cursors(page.events), ElementsAre(3, 4));
  EXPECT_EQ(page.oldest_cursor, 3);
  EXPECT_EQ(page.last_cursor, 4);

  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(pruned, tx.PruneChangeEvents(At(30, 0), 100));
    return absl::OkStatus();
  }));
  EXPECT_EQ(pruned, 2);
  page = ListOrDie(store(), {});
  EXPECT_THAT(page.events, IsEmpty());
  EXPECT_EQ(page.oldest_cursor, 5);
  EXPECT_EQ(page.last_cursor, 4);
  InsertOrDie({MakeAppointment("a9", "o1", "s1", At(2, 9))});
  page = ListOrDie(store(), {});
  EXPECT_THAT(Cursors(page.events), ElementsAre(5)) << "pruned cursors are not reused";
}

}  // namespace
}  // namespace rebook::storage::conformance
