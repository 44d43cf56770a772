// The change feed of appointment updates (storage/change_feed_store.h) through every write that
// updates appointments: UpdateAppointment, UpdateAppointments (a lifecycle change and a change
// of booking data, which SQLite writes with different statements) and SetAppointmentStatus.
// A backend that records these events in its write paths instead of in the schema (SQLite,
// internal/appointment_feed.h) fails here if a path forgets its event, records one for a change
// that failed, or numbers a call's events out of order.
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using domain::AppointmentStatus;
using domain::ChangeEvent;
using domain::ChangeKind;

TEST_P(StoreConformanceTest, ChangeFeedRecordsEveryAppointmentUpdatePath) {
  SeedWorld();
  domain::Appointment a1 = MakeAppointment("a1", "o1", "s1", At(2, 9));
  domain::Appointment a2 = MakeAppointment("a2", "o1", "s1", At(2, 10));
  domain::Appointment a3 = MakeAppointment("a3", "o1", "s1", At(2, 11));
  domain::Appointment a4 = MakeAppointment("a4", "o2", "s1", At(2, 12));
  InsertOrDie({a1, a2, a3, a4});
  // Written in two calls so that the later one starts earlier: SetAppointmentStatus numbers
  // its events in the feed's order, not in the order the rows were written.
  InsertOrDie({MakeAppointment("a5", "o3", "s1", At(2, 14))});
  InsertOrDie({MakeAppointment("a6", "o3", "s1", At(2, 13))});  // cursors 1-6
  const domain::ScheduledSlot slot{
      .office_id = "o2", .clerk_id = "c2", .time = {At(4, 9), At(4, 10)}};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    domain::Offer offer = MakeOffer("a2", 1, "o1");
    offer.state = domain::OfferState::kOpen;
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer));
    a1.status_reason = "only the reason changes";  // no event
    a1.update_time = At(3, 8);
    a2.status = AppointmentStatus::kOffered;  // lifecycle columns only
    a2.held_slot = slot;
    a2.update_time = At(3, 8);
    a3.contact.phone = "+49 30 1234567";  // booking data
    a3.update_time = At(3, 8);
    return tx.UpdateAppointments(std::vector<domain::Appointment>{a1, a2, a3});
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    domain::Appointment unknown_service = a3;
    unknown_service.service_id = "no-such-service";
    unknown_service.cases = 7;
    // The failed change records nothing; the transaction goes on and commits.
    EXPECT_FALSE(tx.UpdateAppointment(unknown_service).ok());
    a4.status = AppointmentStatus::kCancelled;
    a4.outage_id = "out-1";
    a4.update_time = At(3, 9);
    return tx.UpdateAppointment(a4);
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    AppointmentFilter offered{.statuses = {AppointmentStatus::kOffered}};
    REBOOK_RETURN_IF_ERROR(
        tx.SetAppointmentStatus(offered, AppointmentStatus::kCancelled, "", "gone", At(3, 10))
            .status());
    AppointmentFilter at_o3;
    at_o3.office_ids = std::vector<std::string>{"o3"};
    return tx
        .SetAppointmentStatus(at_o3, AppointmentStatus::kCancelled, "out-2", "outage", At(3, 11))
        .status();
  }));
  ChangeFeedPage page;
  REBOOK_ASSERT_OK(store().Read({}, [&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(page, tx.ListChangeEvents({.after_cursor = 6}));
    return absl::OkStatus();
  }));
  struct Expected {
    std::int64_t cursor;
    const char* id;
    ChangeKind kind;
    Instant time;
  };
  const std::vector<Expected> expected = {
      {7, "a2", ChangeKind::kSlotHeld, At(3, 8)},
      {8, "a3", ChangeKind::kAppointmentUpdated, At(3, 8)},
      {9, "a4", ChangeKind::kStatusChanged, At(3, 9)},
      {10, "a2", ChangeKind::kSlotReleased, At(3, 10)},
      {11, "a6", ChangeKind::kStatusChanged, At(3, 11)},
      {12, "a5", ChangeKind::kStatusChanged, At(3, 11)},
  };
  ASSERT_EQ(page.events.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const ChangeEvent& e = page.events[i];
    EXPECT_EQ(e.cursor, expected[i].cursor) << "event " << i;
    EXPECT_EQ(e.appointment.id, expected[i].id) << "event " << i;
    EXPECT_EQ(e.kind, expected[i].kind) << "event " << i;
    EXPECT_EQ(e.change_time, expected[i].time) << "event " << i;
  }
  EXPECT_EQ(page.events[0].held_slot, slot);
  EXPECT_EQ(page.events[0].offer_version, 1);
  EXPECT_EQ(page.events[0].offer_state, domain::OfferState::kOpen);
  EXPECT_EQ(page.events[1].cases, 2) << "the failed change of a3 left no trace";
  EXPECT_EQ(page.events[2].status, AppointmentStatus::kCancelled);
  EXPECT_EQ(page.events[2].outage_id, "out-1");
  EXPECT_EQ(page.events[3].held_slot, slot) << "the slot freed";
  EXPECT_EQ(page.events[3].status, AppointmentStatus::kCancelled);
  EXPECT_EQ(page.events[3].offer_version, 1);
  EXPECT_EQ(page.events[4].outage_id, "out-2");
  EXPECT_EQ(page.last_cursor, 12);
}

}  // namespace
}  // namespace rebook::storage::conformance
