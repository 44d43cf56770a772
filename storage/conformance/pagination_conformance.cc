// Keyset pagination: walking every listing with small pages sees every row exactly once, in
// the listing's order; tokens are bound to their listing and filter.
#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;

std::vector<domain::Appointment> ManyAppointments(int n) {
  std::vector<domain::Appointment> all;
  for (int i = 0; i < n; ++i) {
    // Few distinct start times, so (original_start, id) ties are common; ids not in time order.
    all.push_back(MakeAppointment("ap-" + std::to_string((i * 7919) % 1000 + 1000 * (i / 1000)),
                                  i % 3 == 0 ? "o1" : "o2", "s1", At(2 + i % 4, 9)));
  }
  return all;
}

std::vector<std::string> SortedByStartThenId(std::vector<domain::Appointment> items) {
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return std::tie(a.original_start, a.id) < std::tie(b.original_start, b.id);
  });
  return Ids(items);
}

TEST_P(StoreConformanceTest, AppointmentPagesVisitEveryRowOnceInOrder) {
  SeedWorld();
  std::vector<domain::Appointment> all = ManyAppointments(230);
  InsertOrDie(all);
  std::vector<domain::Appointment> o1;
  std::copy_if(all.begin(), all.end(), std::back_inserter(o1),
               [](const auto& a) { return a.office_id == "o1"; });

  for (int page_size : {1, 7, 64, 1000}) {
    SCOPED_TRACE(page_size);
    auto walked = WalkPages<domain::Appointment>(
        store(), page_size,
        [](Transaction& tx, const PageRequest& p) { return tx.ListAppointments({}, p); });
    EXPECT_EQ(Ids(walked), SortedByStartThenId(all));
    AppointmentFilter filter{.office_ids = std::vector<std::string>{"o1"}};
    auto filtered = WalkPages<domain::Appointment>(
        store(), page_size,
        [&](Transaction& tx, const PageRequest& p) { return tx.ListAppointments(filter, p); });
    EXPECT_EQ(Ids(filtered), SortedByStartThenId(o1));
  }
}

TEST_P(StoreConformanceTest, PageSizeIsClampedTo1000) {
  SeedWorld();
  InsertOrDie(ManyAppointments(1100));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    Page<domain::Appointment> page = tx.ListAppointments({}, {.page_size = 5000}).value();
    EXPECT_EQ(page.items.size(), 1000u);
    EXPECT_NE(page.next_page_token, "");
    for (int size : {0, -3}) {
      page = tx.ListAppointments({}, {.page_size = size}).value();
      EXPECT_GE(page.items.size(), 1u);
      EXPECT_LE(page.items.size(), 1000u);
    }
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, EveryListingPagesThroughAllRows) {
  SeedWorld();
  std::set<std::string> offices = {"o1", "o2", "o3"};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    for (int i = 0; i < 9; ++i) {
      const std::string n = std::to_string(i);
      offices.insert("office-" + n);
      REBOOK_RETURN_IF_ERROR(tx.PutOffice(MakeOffice("office-" + n)));
      REBOOK_RETURN_IF_ERROR(tx.PutService(MakeService("svc-" + n)));
      REBOOK_RETURN_IF_ERROR(tx.PutClerk(MakeClerk("clerk-" + n, "o1", {"s1"})));
      REBOOK_RETURN_IF_ERROR(
          tx.PutShift(MakeShift(i % 2 ? "o1" : "o2", "sh-" + n, "c1", At(2, 8), At(2, 9))));
      REBOOK_RETURN_IF_ERROR(
          tx.PutStandingBooking({"b-" + n, "c1", i % 2 ? "o1" : "", {At(2, 8), At(2, 8, 15)}}));
      REBOOK_RETURN_IF_ERROR(tx.PutOutage(MakeOutage("out-" + n, {"o1"})));
    }
    return absl::OkStatus();
  }));
  Store& s = store();
  for (int size : {1, 2, 4}) {
    SCOPED_TRACE(size);
    auto office_page = WalkPages<domain::Office>(
        s, size, [](Transaction& tx, const PageRequest& p) { return tx.ListOffices(p); });
    EXPECT_EQ(Ids(office_page), std::vector<std::string>(offices.begin(), offices.end()));
    auto services = WalkPages<domain::Service>(
        s, size, [](Transaction& tx, const PageRequest& p) { return tx.ListServices(p); });
    EXPECT_EQ(services.size(), 11u);
    EXPECT_TRUE(std::is_sorted(services.begin(), services.end(),
                               [](const auto& a, const auto& b) { return a.id < b.id; }));
    auto clerks = WalkPages<domain::Clerk>(
        s, size, [](Transaction& tx, const PageRequest& p) { return tx.ListClerks({}, p); });
    EXPECT_EQ(clerks.size(), 11u);
    auto shifts = WalkPages<domain::Shift>(
        s, size, [](Transaction& tx, const PageRequest& p) { return tx.ListShifts({}, p); });
    EXPECT_EQ(shifts.size(), 9u);
    EXPECT_TRUE(std::is_sorted(shifts.begin(), shifts.end(), [](const auto& a, const auto& b) {
      return std::tie(a.office_id, a.id) < std::tie(b.office_id, b.id);
    }));
    auto bookings = WalkPages<domain::StandingBooking>(
        s, size,
        [](Transaction& tx, const PageRequest& p) { return tx.ListStandingBookings({}, p); });
    EXPECT_EQ(bookings.size(), 9u);
    std::set<std::pair<std::string, std::string>> keys;
    for (const auto& b : bookings) keys.emplace(b.office_id, b.id);
    EXPECT_EQ(keys.size(), 9u);
    auto outages = WalkPages<domain::Outage>(
        s, size, [](Transaction& tx, const PageRequest& p) { return tx.ListOutages({}, p); });
    EXPECT_EQ(outages.size(), 9u);
  }
}

TEST_P(StoreConformanceTest, ClosurePagesVisitEveryRowOnceInOrder) {
  SeedWorld();
  std::vector<domain::Closure> all;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    // Written out of order; dates of two months, so text and day order must agree.
    for (int i = 0; i < 7; ++i) {
      domain::Closure c{i % 3 == 0 ? "o2" : "o1",
                        date::year(2026) / date::month(3 + i % 2) / date::day(20 - 2 * i),
                        "Grund " + std::to_string(i)};
      REBOOK_RETURN_IF_ERROR(tx.PutClosure(c));
      all.push_back(c);
    }
    return absl::OkStatus();
  }));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::tie(a.office_id, a.date) < std::tie(b.office_id, b.date);
  });
  std::vector<domain::Closure> o2;
  std::copy_if(all.begin(), all.end(), std::back_inserter(o2),
               [](const auto& c) { return c.office_id == "o2"; });
  for (int size : {1, 2, 1000}) {
    SCOPED_TRACE(size);
    EXPECT_EQ(WalkPages<domain::Closure>(store(), size,
                                         [](Transaction& tx, const PageRequest& p) {
                                           return tx.ListClosures(std::nullopt, p);
                                         }),
              all);
    const std::vector<std::string> only_o2 = {"o2"};
    EXPECT_EQ(WalkPages<domain::Closure>(store(), size,
                                         [&](Transaction& tx, const PageRequest& p) {
                                           return tx.ListClosures(only_o2, p);
                                         }),
              o2);
  }
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    const std::string token =
        tx.ListClosures(std::nullopt, {.page_size = 1}).value().next_page_token;
    EXPECT_NE(token, "");
    EXPECT_THAT(
        tx.ListClosures(std::vector<std::string>{"o1"}, {.page_size = 1, .page_token = token}),
        StatusIs(StatusCode::kInvalidArgument));
    return absl::OkStatus();
  }));
}

// A list filter on the first key column (office_id): pages see every row of the listed offices
// once, in key order, however the list is ordered and wherever a page ends.
TEST_P(StoreConformanceTest, AnOfficeListFilterPagesThroughEveryRowOnceInKeyOrder) {
  SeedWorld();
  std::vector<std::pair<std::string, std::string>> expected;  // (office_id, id) of o1 and o3
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    int day = 2;
    for (const char* office : {"o3", "o2", "o1", ""}) {
      for (const char* id : {"x2", "x1", "x3"}) {
        ++day;
        if (*office != '\0') {
          REBOOK_RETURN_IF_ERROR(tx.PutShift(MakeShift(office, id, "c1", At(day, 8), At(day, 9))));
        }
        REBOOK_RETURN_IF_ERROR(
            tx.PutStandingBooking({id, "c2", office, {At(day, 9), At(day, 10)}}));
        if (office == std::string("o1") || office == std::string("o3")) {
          expected.emplace_back(office, id);
        }
      }
    }
    return absl::OkStatus();
  }));
  std::sort(expected.begin(), expected.end());
  const ShiftFilter filter{.office_ids = std::vector<std::string>{"o3", "o1"}};
  auto keys = [](const auto& items) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& item : items) out.emplace_back(item.office_id, item.id);
    return out;
  };
  for (int size : {1, 2, 4}) {
    SCOPED_TRACE(size);
    EXPECT_EQ(keys(WalkPages<domain::Shift>(
                  store(), size,
                  [&](Transaction& tx, const PageRequest& p) { return tx.ListShifts(filter, p); })),
              expected);
    EXPECT_EQ(keys(WalkPages<domain::StandingBooking>(store(), size,
                                                      [&](Transaction& tx, const PageRequest& p) {
                                                        return tx.ListStandingBookings(filter, p);
                                                      })),
              expected);
  }
}

TEST_P(StoreConformanceTest, ForeignOrGarbagePageTokensAreInvalidArgument) {
  SeedWorld();
  InsertOrDie(ManyAppointments(10));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    const std::string token = tx.ListAppointments({}, {.page_size = 3}).value().next_page_token;
    EXPECT_NE(token, "");
    EXPECT_THAT(tx.ListAppointments({}, {.page_size = 3, .page_token = "not a token"}),
                StatusIs(StatusCode::kInvalidArgument));
    EXPECT_THAT(tx.ListAppointments({.service_id = "s1"}, {.page_size = 3, .page_token = token}),
                StatusIs(StatusCode::kInvalidArgument));
    EXPECT_THAT(tx.ListOffices({.page_size = 3, .page_token = token}),
                StatusIs(StatusCode::kInvalidArgument));
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rebook::storage::conformance
