// PutShifts and PutStandingBookings: many records in one call, in order, all or none.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;

// More records than a backend's chunk of rows (SQLite writes 64 per savepoint), so a failure
// in a later chunk is covered too.
constexpr int kManySchedules = 150;

std::vector<domain::Shift> ManyShifts() {
  std::vector<domain::Shift> shifts;
  for (int i = 0; i < kManySchedules; ++i) {
    shifts.push_back(MakeShift(i % 2 ? "o1" : "o2", absl::StrCat("sh", i), i % 3 ? "c1" : "c2",
                               At(2 + i % 20, 8), At(2 + i % 20, 9 + i % 3)));
  }
  return shifts;
}

std::vector<domain::StandingBooking> ManyBookings() {
  std::vector<domain::StandingBooking> bookings;
  for (int i = 0; i < kManySchedules; ++i) {
    bookings.push_back({absl::StrCat("b", i),
                        i % 3 ? "c1" : "c2",
                        i % 4 ? "o1" : "",
                        {At(2 + i % 20, 8, i % 4 * 15), At(2 + i % 20, 8, i % 4 * 15 + 15)}});
  }
  return bookings;
}

template <typename T, typename List>
std::vector<T> All(Store& store, List list) {
  return WalkPages<T>(store, 1000, [&](Transaction& tx, const PageRequest& page) {
    return list(tx, ShiftFilter{}, page);
  });
}

std::vector<domain::Shift> AllShifts(Store& store) {
  return All<domain::Shift>(store,
                            [](Transaction& tx, auto&&... a) { return tx.ListShifts(a...); });
}

std::vector<domain::StandingBooking> AllBookings(Store& store) {
  return All<domain::StandingBooking>(
      store, [](Transaction& tx, auto&&... a) { return tx.ListStandingBookings(a...); });
}

// `records` as the store lists them: the last record of each key, in (office_id, id) order.
template <typename T>
std::vector<T> ListedByKey(const std::vector<T>& records) {
  std::map<std::pair<std::string, std::string>, T> by_key;
  for (const T& r : records) by_key.insert_or_assign({r.office_id, r.id}, r);
  std::vector<T> out;
  for (auto& [key, r] : by_key) out.push_back(r);
  return out;
}

TEST_P(StoreConformanceTest, PutShiftsWritesEveryShiftAndALaterOneReplacesAnEarlier) {
  SeedWorld();
  const domain::Shift stored = MakeShift("o1", "sh1", "c1", At(1, 8), At(1, 9));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutShift(stored); }));
  std::vector<domain::Shift> shifts = ManyShifts();  // replaces "sh1" at o1
  domain::Shift again = shifts[10];                  // a key twice: the later one wins
  again.clerk_id = "c2";
  again.kind = domain::ShiftKind::kRegular;
  shifts.push_back(again);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutShifts({}));
    return tx.PutShifts(shifts);
  }));
  EXPECT_EQ(AllShifts(store()), ListedByKey(shifts));
  EXPECT_NE(AllShifts(store()).front(), stored);
}

TEST_P(StoreConformanceTest, PutStandingBookingsWritesEveryBookingAndALaterOneReplaces) {
  SeedWorld();
  std::vector<domain::StandingBooking> bookings = ManyBookings();
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutStandingBookings(bookings); }));
  EXPECT_EQ(AllBookings(store()), ListedByKey(bookings));
  for (domain::StandingBooking& b : bookings) b.time.end += std::chrono::minutes(5);
  bookings.push_back(bookings[3]);
  bookings.back().clerk_id = "c2";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutStandingBookings(bookings); }));
  EXPECT_EQ(AllBookings(store()), ListedByKey(bookings));
}

TEST_P(StoreConformanceTest, PutShiftsAndBookingsWithAMissingReferenceWriteNone) {
  SeedWorld();
  const domain::Shift stored = MakeShift("o1", "sh1", "c1", At(1, 8), At(1, 9));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutShift(stored); }));
  const auto kFailedPrecondition = StatusIs(StatusCode::kFailedPrecondition);
  for (int bad : {3, kManySchedules - 10}) {  // in the first chunk of rows, and in a later one
    std::vector<domain::Shift> shifts = ManyShifts();
    shifts[bad].clerk_id = "no-such-clerk";
    EXPECT_THAT(Write([&](Transaction& tx) { return tx.PutShifts(shifts); }), kFailedPrecondition);
    shifts[bad].clerk_id = "c1";
    shifts[bad].office_id = "no-such-office";
    // Ignoring the error and committing writes none of them either (a backend may refuse the
    // commit instead).
    (void)Write([&](Transaction& tx) {
      EXPECT_THAT(tx.PutShifts(shifts), kFailedPrecondition);
      return absl::OkStatus();
    });
    std::vector<domain::StandingBooking> bookings = ManyBookings();
    bookings[bad].office_id = "no-such-office";
    (void)Write([&](Transaction& tx) {
      EXPECT_THAT(tx.PutStandingBookings(bookings), kFailedPrecondition);
      return absl::OkStatus();
    });
  }
  EXPECT_EQ(AllShifts(store()), std::vector<domain::Shift>{stored});
  EXPECT_EQ(AllBookings(store()), std::vector<domain::StandingBooking>{});
  // The failure in the first chunk leaves the transaction usable: it goes on and commits.
  std::vector<domain::Shift> shifts = ManyShifts();
  shifts[3].clerk_id = "no-such-clerk";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    EXPECT_THAT(tx.PutShifts(shifts), kFailedPrecondition);
    return tx.PutShifts({&shifts[0], 1});
  }));
  EXPECT_EQ(AllShifts(store()).size(), 2u);
}

}  // namespace
}  // namespace rebook::storage::conformance
