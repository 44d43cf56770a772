// ShiftFilter (shifts and standing bookings), OutageFilter and ClerkFilter.
#include <utility>

#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using KeyList = std::vector<std::pair<std::string, std::string>>;  // (office_id, id)
using IdList = std::vector<std::string>;

template <typename T>
KeyList Keys(const std::vector<T>& items) {
  KeyList keys;
  for (const T& item : items) keys.emplace_back(item.office_id, item.id);
  return keys;
}

KeyList ListedShifts(Store& store, const ShiftFilter& filter) {
  KeyList keys;
  EXPECT_THAT(store.Read({},
                         [&](Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(Page<domain::Shift> page,
                                                   tx.ListShifts(filter, {}));
                           keys = Keys(page.items);
                           return absl::OkStatus();
                         }),
              StatusIs(absl::StatusCode::kOk));
  return keys;
}

KeyList ListedBookings(Store& store, const ShiftFilter& filter) {
  KeyList keys;
  EXPECT_THAT(store.Read({},
                         [&](Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(Page<domain::StandingBooking> page,
                                                   tx.ListStandingBookings(filter, {}));
                           keys = Keys(page.items);
                           return absl::OkStatus();
                         }),
              StatusIs(absl::StatusCode::kOk));
  return keys;
}

IdList ListedOutages(Store& store, const OutageFilter& filter) {
  IdList ids;
  EXPECT_THAT(store.Read({},
                         [&](Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(Page<domain::Outage> page,
                                                   tx.ListOutages(filter, {}));
                           ids = Ids(page.items);
                           return absl::OkStatus();
                         }),
              StatusIs(absl::StatusCode::kOk));
  return ids;
}

IdList ListedClerks(Store& store, const ClerkFilter& filter) {
  IdList ids;
  EXPECT_THAT(store.Read({},
                         [&](Transaction& tx) -> absl::Status {
                           REBOOK_ASSIGN_OR_RETURN(Page<domain::Clerk> page,
                                                   tx.ListClerks(filter, {}));
                           ids = Ids(page.items);
                           return absl::OkStatus();
                         }),
              StatusIs(absl::StatusCode::kOk));
  return ids;
}

TEST_P(StoreConformanceTest, ShiftFilterFields) {
  SeedWorld();
  const domain::Shift full = MakeShift("o1", "sh1", "c1", At(2, 8), At(2, 12));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutShift(MakeShift("o3", "sh9", "c1", At(4, 8), At(4, 12))));
    REBOOK_RETURN_IF_ERROR(tx.PutShift(MakeShift("o2", "sh1", "c2", At(3, 8), At(3, 12))));
    REBOOK_RETURN_IF_ERROR(tx.PutShift(MakeShift("o1", "sh2", "c2", At(2, 12), At(2, 16))));
    return tx.PutShift(full);
  }));
  Store& s = store();
  EXPECT_EQ(ListedShifts(s, {}),
            (KeyList{{"o1", "sh1"}, {"o1", "sh2"}, {"o2", "sh1"}, {"o3", "sh9"}}));
  EXPECT_EQ(ListedShifts(s, {.office_ids = IdList{"o1"}}), (KeyList{{"o1", "sh1"}, {"o1", "sh2"}}));
  EXPECT_EQ(ListedShifts(s, {.office_ids = IdList{"o3", "o2"}}),
            (KeyList{{"o2", "sh1"}, {"o3", "sh9"}}));
  EXPECT_EQ(ListedShifts(s, {.office_ids = IdList{}}), KeyList{});
  EXPECT_EQ(ListedShifts(s, {.clerk_id = "c2"}), (KeyList{{"o1", "sh2"}, {"o2", "sh1"}}));
  EXPECT_EQ(ListedShifts(s, {.clerk_ids = IdList{"c2"}}), (KeyList{{"o1", "sh2"}, {"o2", "sh1"}}));
  EXPECT_EQ(ListedShifts(s, {.clerk_ids = IdList{"c1", "c2"}}).size(), 4u);
  EXPECT_EQ(ListedShifts(s, {.clerk_ids = IdList{}}), KeyList{});
  EXPECT_EQ(ListedShifts(s, {.clerk_ids = IdList{"c1"},
                             .overlapping = domain::TimeInterval{At(4, 0), At(5, 0)}}),
            (KeyList{{"o3", "sh9"}}));
  // Overlap is half-open: touching at an end point does not count.
  EXPECT_EQ(ListedShifts(s, {.overlapping = domain::TimeInterval{At(2, 11), At(2, 12)}}),
            (KeyList{{"o1", "sh1"}}));
  EXPECT_EQ(ListedShifts(s, {.overlapping = domain::TimeInterval{At(2, 12), At(3, 8)}}),
            (KeyList{{"o1", "sh2"}}));
  EXPECT_EQ(ListedShifts(s, {.office_ids = IdList{"o1", "o2"},
                             .clerk_id = "c2",
                             .overlapping = domain::TimeInterval{At(2, 0), At(5, 0)}}),
            (KeyList{{"o1", "sh2"}, {"o2", "sh1"}}));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    Page<domain::Shift> page = tx.ListShifts({.clerk_id = "c1"}, {}).value();
    EXPECT_EQ(page.items.front(), full);  // listings return whole records
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, StandingBookingFilterFields) {
  SeedWorld();
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutStandingBooking({"b1", "c1", "o1", {At(2, 9), At(2, 9, 30)}}));
    REBOOK_RETURN_IF_ERROR(tx.PutStandingBooking({"b2", "c2", "", {At(2, 13), At(2, 13, 15)}}));
    return tx.PutStandingBooking({"b3", "c2", "o2", {At(3, 9), At(3, 10)}});
  }));
  Store& s = store();
  EXPECT_EQ(ListedBookings(s, {}), (KeyList{{"", "b2"}, {"o1", "b1"}, {"o2", "b3"}}));
  EXPECT_EQ(ListedBookings(s, {.office_ids = IdList{"o1"}}), (KeyList{{"o1", "b1"}}));
  EXPECT_EQ(ListedBookings(s, {.office_ids = IdList{}}), KeyList{});
  EXPECT_EQ(ListedBookings(s, {.clerk_id = "c2"}), (KeyList{{"", "b2"}, {"o2", "b3"}}));
  EXPECT_EQ(ListedBookings(s, {.overlapping = domain::TimeInterval{At(2, 9, 15), At(2, 13, 1)}}),
            (KeyList{{"", "b2"}, {"o1", "b1"}}));
  EXPECT_EQ(ListedBookings(s, {.overlapping = domain::TimeInterval{At(2, 9, 30), At(2, 13)}}),
            KeyList{});
  EXPECT_EQ(ListedBookings(s, {.office_ids = IdList{"o2"}, .clerk_id = "c2"}),
            (KeyList{{"o2", "b3"}}));
}

TEST_P(StoreConformanceTest, OutageFilterFields) {
  SeedWorld();
  domain::Outage active = MakeOutage("out-1", {"o1", "o2"});
  active.state = domain::OutageState::kActive;
  active.close_time.reset();
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutOutage(MakeOutage("out-3", {"o2"})));
    REBOOK_RETURN_IF_ERROR(tx.PutOutage(MakeOutage("out-2", {"o3"})));
    return tx.PutOutage(active);
  }));
  Store& s = store();
  EXPECT_EQ(ListedOutages(s, {}), (IdList{"out-1", "out-2", "out-3"}));
  EXPECT_EQ(ListedOutages(s, {.office_ids = IdList{"o2"}}), (IdList{"out-1", "out-3"}));
  EXPECT_EQ(ListedOutages(s, {.office_ids = IdList{"o3", "o1"}}), (IdList{"out-1", "out-2"}));
  EXPECT_EQ(ListedOutages(s, {.office_ids = IdList{}}), IdList{});
  EXPECT_EQ(ListedOutages(s, {.state = domain::OutageState::kActive}), IdList{"out-1"});
  EXPECT_EQ(ListedOutages(s, {.state = domain::OutageState::kClosed}), (IdList{"out-2", "out-3"}));
  EXPECT_EQ(ListedOutages(s, {.office_ids = IdList{"o2"}, .state = domain::OutageState::kClosed}),
            IdList{"out-3"});
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    Page<domain::Outage> page = tx.ListOutages({.office_ids = IdList{"o1"}}, {}).value();
    EXPECT_THAT(page.items, ::testing::ElementsAre(OutageEq(active)));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ClerkFilterMatchesHomeOfficeOrShiftOffice) {
  SeedWorld();  // c1 (home o1), c2 (home o2)
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutClerk(MakeClerk("c3", "", {"s1"})));
    REBOOK_RETURN_IF_ERROR(tx.PutClerk(MakeClerk("c4", "o3", {})));
    REBOOK_RETURN_IF_ERROR(tx.PutShift(MakeShift("o3", "x", "c3", At(2, 8), At(2, 12))));
    REBOOK_RETURN_IF_ERROR(tx.PutShift(MakeShift("o2", "y", "c1", At(2, 8), At(2, 12))));
    return tx.PutShift(MakeShift("o2", "z", "c1", At(3, 8), At(3, 12)));
  }));
  Store& s = store();
  EXPECT_EQ(ListedClerks(s, {}), (IdList{"c1", "c2", "c3", "c4"}));
  EXPECT_EQ(ListedClerks(s, {.office_ids = IdList{"o1"}}), IdList{"c1"});
  EXPECT_EQ(ListedClerks(s, {.office_ids = IdList{"o2"}}), (IdList{"c1", "c2"}));  // once each
  EXPECT_EQ(ListedClerks(s, {.office_ids = IdList{"o3"}}), (IdList{"c3", "c4"}));
  EXPECT_EQ(ListedClerks(s, {.office_ids = IdList{"o1", "o3"}}), (IdList{"c1", "c3", "c4"}));
  EXPECT_EQ(ListedClerks(s, {.office_ids = IdList{}}), IdList{});
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    Page<domain::Clerk> page = tx.ListClerks({.office_ids = IdList{"o1"}}, {}).value();
    EXPECT_THAT(page.items, ::testing::ElementsAre(MakeClerk("c1", "o1", {"s1", "s2"})));
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rebook::storage::conformance
