// The references added by schema step 2: a clerk's skills, a closure's office, a standing
// booking's office (unless empty) and an outage's offices; and GetStandingBooking.
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::IsEmpty;

const domain::LocalDate kDay = date::year(2026) / 3 / 3;

TEST_P(StoreConformanceTest, GetStandingBookingByOfficeAndId) {
  SeedWorld();
  const domain::StandingBooking in_shift{"b1", "c1", "o1", {At(2, 9), At(2, 9, 30)}};
  const domain::StandingBooking no_shift{"b1", "c2", "", {At(2, 10), At(2, 10, 15)}};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutStandingBooking(in_shift));
    return tx.PutStandingBooking(no_shift);
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetStandingBooking("o1", "b1").value(), in_shift);
    EXPECT_EQ(tx.GetStandingBooking("", "b1").value(), no_shift);
    EXPECT_THAT(tx.GetStandingBooking("o2", "b1"), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(tx.GetStandingBooking("o1", "b2"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, NewReferencesToMissingRecordsFailAndWriteNothing) {
  SeedWorld();
  const auto kFailedPrecondition = StatusIs(StatusCode::kFailedPrecondition);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    // Each failing call leaves no trace; the transaction goes on and commits.
    EXPECT_THAT(tx.PutClerk(MakeClerk("c9", "o1", {"s1", "no-such-service"})), kFailedPrecondition);
    domain::Clerk c1 = MakeClerk("c1", "o1", {"s2", "gone"});
    EXPECT_THAT(tx.PutClerk(c1), kFailedPrecondition);
    EXPECT_THAT(tx.PutClosure({"nowhere", kDay, "x"}), kFailedPrecondition);
    EXPECT_THAT(tx.PutStandingBooking({"b1", "c1", "nowhere", {At(2, 9), At(2, 10)}}),
                kFailedPrecondition);
    EXPECT_THAT(tx.PutOutage(MakeOutage("out-1", {"o1", "nowhere"})), kFailedPrecondition);
    // Home offices stay unchecked, and a booking in no shift has no office.
    EXPECT_TRUE(tx.PutClerk(MakeClerk("c8", "elsewhere", {"s1"})).ok());
    EXPECT_TRUE(tx.PutStandingBooking({"b2", "c1", "", {At(2, 9), At(2, 10)}}).ok());
    return absl::OkStatus();
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetClerk("c9"), StatusIs(StatusCode::kNotFound));
    EXPECT_EQ(tx.GetClerk("c1").value(), MakeClerk("c1", "o1", {"s1", "s2"}));
    EXPECT_THAT(tx.ListClosures(std::nullopt).value(), IsEmpty());
    EXPECT_THAT(tx.GetStandingBooking("nowhere", "b1"), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(tx.GetOutage("out-1"), StatusIs(StatusCode::kNotFound));
    EXPECT_EQ(tx.GetClerk("c8").value().skills, std::vector<std::string>{"s1"});
    EXPECT_TRUE(tx.GetStandingBooking("", "b2").ok());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, DeletingRecordsTheNewReferencesNameFails) {
  SeedWorld();
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutClosure({"o1", kDay, "Inventur"}));
    REBOOK_RETURN_IF_ERROR(tx.PutStandingBooking({"b1", "c1", "o2", {At(2, 9), At(2, 10)}}));
    return tx.PutOutage(MakeOutage("out-1", {"o1", "o3"}));
  }));
  const auto kFailedPrecondition = StatusIs(StatusCode::kFailedPrecondition);
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteService("s1"); }),  // c1's skill
              kFailedPrecondition);
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteOffice("o1"); }),  // closure, outage
              kFailedPrecondition);
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteOffice("o2"); }),  // booking
              kFailedPrecondition);
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteOffice("o3"); }),  // outage
              kFailedPrecondition);
  REBOOK_EXPECT_OK(Read([](Transaction& tx) {
    for (const char* id : {"o1", "o2", "o3"}) EXPECT_TRUE(tx.GetOffice(id).ok()) << id;
    EXPECT_TRUE(tx.GetService("s1").ok());
    return absl::OkStatus();
  }));

  // Dropping a skill, the closure, the booking and the outage's offices frees them.
  REBOOK_EXPECT_OK(Write([](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutClerk(MakeClerk("c1", "o1", {"s2"})));
    REBOOK_RETURN_IF_ERROR(tx.DeleteService("s1"));
    REBOOK_RETURN_IF_ERROR(tx.DeleteClosure("o1", kDay));
    REBOOK_RETURN_IF_ERROR(tx.DeleteStandingBooking("o2", "b1"));
    REBOOK_RETURN_IF_ERROR(tx.DeleteOffice("o2"));
    domain::Outage outage = MakeOutage("out-1", {"o1"});
    REBOOK_RETURN_IF_ERROR(tx.PutOutage(outage));
    return tx.DeleteOffice("o3");
  }));
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteOffice("o1"); }),  // still the outage
              kFailedPrecondition);
}

}  // namespace
}  // namespace rebook::storage::conformance
