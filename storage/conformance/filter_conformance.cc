// Every filter field of AppointmentFilter, ShiftFilter, OutageFilter and ClerkFilter, and the
// agreement of List/Count/Scan/SetAppointmentStatus on one filter.
#include <map>

#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using domain::AppointmentKind;
using domain::AppointmentStatus;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using IdList = std::vector<std::string>;

// Seven appointments over offices o1..o3, services s1/s2, several statuses, outages and kinds.
// Sorted by (original_start, id): a0 and a1 share a start.
std::vector<domain::Appointment> FilterFixture() {
  auto make = [](const char* id, const char* office, const char* service, Instant start,
                 AppointmentStatus status, const char* outage, AppointmentKind kind) {
    domain::Appointment a = MakeAppointment(id, office, service, start);
    a.status = status;
    a.outage_id = outage;
    a.kind = kind;
    return a;
  };
  using enum AppointmentStatus;
  using enum AppointmentKind;
  return {
      make("a6", "o3", "s2", At(4, 9), kClosed, "out-2", kAppointment),
      make("a1", "o1", "s1", At(2, 9), kBooked, "", kAppointment),
      make("a0", "o1", "s1", At(2, 9), kBooked, "", kWalkIn),
      make("a2", "o1", "s2", At(2, 10), kCancelled, "out-1", kWalkIn),
      make("a3", "o2", "s1", At(2, 11), kCancelled, "out-1", kAppointment),
      make("a4", "o2", "s2", At(3, 9), kOffered, "out-2", kAppointment),
      make("a5", "o3", "s1", At(3, 10), kBooked, "", kWalkIn),
  };
}

TEST_P(StoreConformanceTest, AppointmentFilterNoFilterListsAllInStartThenIdOrder) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  EXPECT_EQ(Matching(store(), {}), (IdList{"a0", "a1", "a2", "a3", "a4", "a5", "a6"}));
}

TEST_P(StoreConformanceTest, AppointmentFilterOfficeIds) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  EXPECT_EQ(Matching(store(), {.office_ids = IdList{"o1"}}), (IdList{"a0", "a1", "a2"}));
  EXPECT_EQ(Matching(store(), {.office_ids = IdList{"o3", "o2"}}),
            (IdList{"a3", "a4", "a5", "a6"}));
  EXPECT_EQ(Matching(store(), {.office_ids = IdList{"unknown"}}), IdList{});
  EXPECT_EQ(Matching(store(), {.office_ids = IdList{}}), IdList{});  // an empty list matches none
}

TEST_P(StoreConformanceTest, AppointmentFilterServiceId) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  EXPECT_EQ(Matching(store(), {.service_id = "s2"}), (IdList{"a2", "a4", "a6"}));
  EXPECT_EQ(Matching(store(), {.service_id = "nope"}), IdList{});
}

TEST_P(StoreConformanceTest, AppointmentFilterStatuses) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  EXPECT_EQ(Matching(store(), {.statuses = {AppointmentStatus::kCancelled}}), (IdList{"a2", "a3"}));
  EXPECT_EQ(
      Matching(store(), {.statuses = {AppointmentStatus::kOffered, AppointmentStatus::kClosed}}),
      (IdList{"a4", "a6"}));
  EXPECT_EQ(Matching(store(), {.statuses = {AppointmentStatus::kConfirmed}}), IdList{});
}

TEST_P(StoreConformanceTest, AppointmentFilterOutageId) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  EXPECT_EQ(Matching(store(), {.outage_id = "out-1"}), (IdList{"a2", "a3"}));
  EXPECT_EQ(Matching(store(), {.outage_id = "out-2"}), (IdList{"a4", "a6"}));
  EXPECT_EQ(Matching(store(), {.outage_id = ""}),
            (IdList{"a0", "a1", "a5"}));  // not hit by any outage
}

TEST_P(StoreConformanceTest, AppointmentFilterKind) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  EXPECT_EQ(Matching(store(), {.kind = AppointmentKind::kWalkIn}), (IdList{"a0", "a2", "a5"}));
  EXPECT_EQ(Matching(store(), {.kind = AppointmentKind::kAppointment}),
            (IdList{"a1", "a3", "a4", "a6"}));
}

TEST_P(StoreConformanceTest, AppointmentFilterOriginalStartIsHalfOpen) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  EXPECT_EQ(Matching(store(), {.original_start_in = domain::TimeInterval{At(2, 9), At(2, 11)}}),
            (IdList{"a0", "a1", "a2"}));
  EXPECT_EQ(
      Matching(store(), {.original_start_in = domain::TimeInterval{At(2, 9, 1), At(3, 9, 1)}}),
      (IdList{"a2", "a3", "a4"}));
  EXPECT_EQ(Matching(store(), {.original_start_in = domain::TimeInterval{At(5, 0), At(6, 0)}}),
            IdList{});
}

TEST_P(StoreConformanceTest, AppointmentFilterFieldsCombineWithAnd) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  AppointmentFilter filter{.office_ids = IdList{"o1", "o2"},
                           .service_id = "s1",
                           .statuses = {AppointmentStatus::kCancelled, AppointmentStatus::kBooked},
                           .kind = AppointmentKind::kAppointment,
                           .original_start_in = domain::TimeInterval{At(2, 0), At(3, 0)}};
  EXPECT_EQ(Matching(store(), filter), (IdList{"a1", "a3"}));
  filter.outage_id = "out-1";
  EXPECT_EQ(Matching(store(), filter), (IdList{"a3"}));
}

TEST_P(StoreConformanceTest, AppointmentFilterSetStatusChangesExactlyTheMatchingOnes) {
  SeedWorld();
  InsertOrDie(FilterFixture());
  const AppointmentFilter hit{.office_ids = IdList{"o1", "o3"},
                              .statuses = {AppointmentStatus::kBooked},
                              .original_start_in = domain::TimeInterval{At(2, 0), At(4, 0)}};
  const IdList expected = {"a0", "a1", "a5"};
  ASSERT_EQ(Matching(store(), hit), expected);
  std::int64_t changed = 0;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(changed, tx.SetAppointmentStatus(hit, AppointmentStatus::kCancelled,
                                                             "out-9", "Serverausfall", At(20, 12)));
    return absl::OkStatus();
  }));
  EXPECT_EQ(changed, 3);
  EXPECT_EQ(Matching(store(), hit), IdList{});
  EXPECT_EQ(Matching(store(), {.outage_id = "out-9"}), expected);
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    std::map<std::string, domain::Appointment> by_id;  // the fixture's ids are distinct
    REBOOK_RETURN_IF_ERROR(
        tx.ScanAppointments({}, [&](const domain::Appointment& a) { by_id[a.id] = a; }));
    for (const std::string& id : expected) {
      domain::Appointment a = by_id.at(id);
      EXPECT_EQ(a.status, AppointmentStatus::kCancelled);
      EXPECT_EQ(a.outage_id, "out-9");
      EXPECT_EQ(a.status_reason, "Serverausfall");
      EXPECT_EQ(a.update_time, At(20, 12));
      EXPECT_EQ(a.create_time, At(1, 7, 15));  // untouched
    }
    // Others untouched.
    domain::Appointment a2 = by_id.at("a2");
    EXPECT_EQ(a2.outage_id, "out-1");
    EXPECT_EQ(a2.update_time, At(1, 7, 16));
    return absl::OkStatus();
  }));

  // Clearing the outage id makes them match outage_id == "" again.
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    return tx
        .SetAppointmentStatus({.outage_id = "out-9"}, AppointmentStatus::kBooked, "", "", At(21, 0))
        .status();
  }));
  EXPECT_EQ(Matching(store(), {.outage_id = ""}), (IdList{"a0", "a1", "a5"}));
  // A filter that matches nothing changes nothing.
  REBOOK_EXPECT_OK(Write([&](Transaction& tx) {
    EXPECT_EQ(tx.SetAppointmentStatus({.service_id = "none"}, AppointmentStatus::kClosed, "", "x",
                                      At(22, 0))
                  .value(),
              0);
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rebook::storage::conformance
