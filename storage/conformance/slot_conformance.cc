// Appointment slots (issue 13): the rebooked and held slots round-trip with their status, a slot
// that does not match the status is not stored, SetAppointmentStatus clears what no longer
// matches, and the slot filters list in (slot start, id, office) order across pages.
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using domain::AppointmentStatus;
using domain::ConfirmationChannel;
using IdList = std::vector<std::string>;

domain::ScheduledSlot SlotAt(const char* office, const char* clerk, Instant start) {
  return {office, clerk, {start, start + std::chrono::minutes(20)}};
}

domain::Appointment Confirmed(const char* id, const char* office, domain::ScheduledSlot slot,
                              ConfirmationChannel via) {
  domain::Appointment a = MakeAppointment(id, office, "s1", At(2, 9));
  a.status = AppointmentStatus::kConfirmed;
  a.outage_id = "out-1";
  a.rebooked_slot = domain::RebookedSlot{std::move(slot), via, At(1, 12, 30)};
  return a;
}

domain::Appointment Offered(const char* id, const char* office, domain::ScheduledSlot slot) {
  domain::Appointment a = MakeAppointment(id, office, "s1", At(2, 9));
  a.status = AppointmentStatus::kOffered;
  a.outage_id = "out-1";
  a.held_slot = std::move(slot);
  return a;
}

TEST_P(StoreConformanceTest, SlotsRoundTripWithTheirStatus) {
  SeedWorld();
  domain::Appointment link =
      Confirmed("a-link", "o1", SlotAt("o2", "c1", At(5, 9)), ConfirmationChannel::kLink);
  domain::Appointment phone =
      Confirmed("a-phone", "o1", SlotAt("o1", "c2", At(5, 10)), ConfirmationChannel::kPhone);
  domain::Appointment held = Offered("a-held", "o2", SlotAt("o1", "c1", At(6, 8, 40)));
  InsertOrDie({link, phone, held});
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetAppointment("o1", "a-link").value(), AppointmentEq(link));
    EXPECT_THAT(tx.GetAppointment("o1", "a-phone").value(), AppointmentEq(phone));
    EXPECT_THAT(tx.GetAppointment("o2", "a-held").value(), AppointmentEq(held));
    return absl::OkStatus();
  }));

  // Accepting by staff: the held slot goes, the rebooked slot comes, in one update.
  held.status = AppointmentStatus::kConfirmed;
  held.rebooked_slot =
      domain::RebookedSlot{*held.held_slot, ConfirmationChannel::kStaff, At(3, 7, 15)};
  held.held_slot.reset();
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.UpdateAppointment(held); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetAppointment("o2", "a-held").value(), AppointmentEq(held));
    return absl::OkStatus();
  }));
  // Released by a re-plan: no slot at all.
  held.status = AppointmentStatus::kCancelled;
  held.rebooked_slot.reset();
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    std::vector<domain::Appointment> batch{held};
    return tx.UpdateAppointments(batch);
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetAppointment("o2", "a-held").value(), AppointmentEq(held));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ASlotThatDoesNotMatchTheStatusIsNotStored) {
  SeedWorld();
  // Declined with a stale held slot; booked with a rebooked slot; offered with both.
  domain::Appointment declined = Offered("a-declined", "o1", SlotAt("o1", "c1", At(5, 9)));
  declined.status = AppointmentStatus::kDeclined;
  domain::Appointment booked =
      Confirmed("a-booked", "o1", SlotAt("o1", "c1", At(5, 9)), ConfirmationChannel::kLink);
  booked.status = AppointmentStatus::kBooked;
  domain::Appointment both = Offered("a-both", "o1", SlotAt("o1", "c1", At(5, 10)));
  both.rebooked_slot =
      domain::RebookedSlot{SlotAt("o2", "c2", At(5, 11)), ConfirmationChannel::kLink, At(1, 9)};
  InsertOrDie({declined, booked, both});
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    const domain::Appointment d = tx.GetAppointment("o1", "a-declined").value();
    EXPECT_FALSE(d.held_slot.has_value());
    EXPECT_FALSE(d.rebooked_slot.has_value());
    const domain::Appointment b = tx.GetAppointment("o1", "a-booked").value();
    EXPECT_FALSE(b.rebooked_slot.has_value());
    const domain::Appointment o = tx.GetAppointment("o1", "a-both").value();
    EXPECT_EQ(o.held_slot, both.held_slot);
    EXPECT_FALSE(o.rebooked_slot.has_value());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, SetAppointmentStatusClearsSlotsThatNoLongerMatch) {
  SeedWorld();
  domain::Appointment offered = Offered("a-off", "o1", SlotAt("o1", "c1", At(5, 9)));
  domain::Appointment confirmed =
      Confirmed("a-conf", "o1", SlotAt("o2", "c2", At(5, 10)), ConfirmationChannel::kPhone);
  InsertOrDie({offered, confirmed});
  // Re-setting the status a slot belongs to keeps the slot.
  AppointmentFilter conf;
  conf.statuses = {AppointmentStatus::kConfirmed};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.SetAppointmentStatus(conf, AppointmentStatus::kConfirmed, "out-1", "kept", At(3, 9))
        .status();
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetAppointment("o1", "a-conf").value().rebooked_slot, confirmed.rebooked_slot);
    return absl::OkStatus();
  }));
  AppointmentFilter all;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.SetAppointmentStatus(all, AppointmentStatus::kClosed, "out-1", "closed", At(3, 10))
        .status();
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    for (const char* id : {"a-off", "a-conf"}) {
      const domain::Appointment a = tx.GetAppointment("o1", id).value();
      EXPECT_FALSE(a.held_slot.has_value()) << id;
      EXPECT_FALSE(a.rebooked_slot.has_value()) << id;
    }
    return absl::OkStatus();
  }));
  AppointmentFilter at_o1;
  at_o1.slot_office_id = "o1";
  EXPECT_EQ(Matching(store(), at_o1), IdList{});
}

// Slots over two offices, two clerks and two days; booked ones have none.
std::vector<domain::Appointment> SlotFixture() {
  using CC = ConfirmationChannel;
  std::vector<domain::Appointment> all = {
      Confirmed("s-b", "o1", SlotAt("o1", "c1", At(5, 10)), CC::kLink),
      Offered("s-a", "o2", SlotAt("o1", "c2", At(5, 10))),  // same start: ordered by id
      Confirmed("s-c", "o2", SlotAt("o1", "c1", At(5, 8)), CC::kPhone),
      Offered("s-d", "o1", SlotAt("o2", "c1", At(5, 9))),
      Confirmed("s-e", "o1", SlotAt("o1", "c2", At(6, 9)), CC::kStaff),
      MakeAppointment("s-f", "o1", "s1", At(5, 9)),
  };
  // The same id at another office, rebooked into o1 at the same start as s-b.
  all.push_back(Confirmed("s-b", "o2", SlotAt("o1", "c2", At(5, 10)), CC::kLink));
  return all;
}

TEST_P(StoreConformanceTest, SlotFiltersMatchRebookedAndHeldSlotsInSlotOrder) {
  SeedWorld();
  InsertOrDie(SlotFixture());
  AppointmentFilter office;
  office.slot_office_id = "o1";
  EXPECT_EQ(Matching(store(), office), (IdList{"s-c", "s-a", "s-b", "s-b", "s-e"}));

  AppointmentFilter day = office;  // the counter's day: [day 5 00:00, day 6 00:00)
  day.slot_start_in = domain::TimeInterval{At(5, 0), At(6, 0)};
  EXPECT_EQ(Matching(store(), day), (IdList{"s-c", "s-a", "s-b", "s-b"}));
  day.statuses = {AppointmentStatus::kConfirmed};
  EXPECT_EQ(Matching(store(), day), (IdList{"s-c", "s-b", "s-b"}));
  day.office_ids = std::vector<std::string>{"o2"};  // original offices still scope
  EXPECT_EQ(Matching(store(), day), (IdList{"s-c", "s-b"}));

  AppointmentFilter clerk;
  clerk.slot_clerk_id = "c1";
  EXPECT_EQ(Matching(store(), clerk), (IdList{"s-c", "s-d", "s-b"}));
  clerk.slot_office_id = "o1";
  EXPECT_EQ(Matching(store(), clerk), (IdList{"s-c", "s-b"}));

  AppointmentFilter half_open;  // the end is excluded
  half_open.slot_start_in = domain::TimeInterval{At(5, 9), At(5, 10)};
  EXPECT_EQ(Matching(store(), half_open), (IdList{"s-d"}));

  AppointmentFilter nowhere;
  nowhere.slot_office_id = "o3";
  EXPECT_EQ(Matching(store(), nowhere), IdList{});
}

TEST_P(StoreConformanceTest, SlotListingPagesInSlotOrder) {
  SeedWorld();
  InsertOrDie(SlotFixture());
  AppointmentFilter filter;
  filter.slot_start_in = domain::TimeInterval{At(1, 0), At(9, 0)};
  const std::vector<domain::Appointment> walked = WalkPages<domain::Appointment>(
      store(), 2,
      [&](Transaction& tx, const PageRequest& page) { return tx.ListAppointments(filter, page); });
  IdList keys;
  for (const domain::Appointment& a : walked) keys.push_back(a.office_id + "/" + a.id);
  EXPECT_EQ(keys, (IdList{"o2/s-c", "o1/s-d", "o2/s-a", "o1/s-b", "o2/s-b", "o1/s-e"}));

  // A token of the slot listing does not page another filter.
  std::string token;
  REBOOK_ASSERT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(auto page, tx.ListAppointments(filter, {.page_size = 2}));
    token = page.next_page_token;
    return absl::OkStatus();
  }));
  ASSERT_FALSE(token.empty());
  EXPECT_THAT(Read([&](Transaction& tx) {
                return tx.ListAppointments({}, {.page_size = 2, .page_token = token}).status();
              }),
              StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace rebook::storage::conformance
