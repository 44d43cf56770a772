// ImportCapacity on a real SQLite store: a batch large enough for the one-scan reads of the
// stored shifts and standing bookings (capacity_import.cc Existing) and of the stored offices,
// service types and clerks (ReferenceCache::ReadAll) counts created, updated and unchanged
// records exactly as one lookup per record would.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/rebooking/capacity.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using testing::kT0;

class CapacityImportTest : public testing::OutboxTest {
 protected:
  // `n` one-hour shifts of clerk c1 at office A on consecutive days, and one 15-minute standing
  // booking in each.
  static CapacityBatch Batch(int n) {
    CapacityBatch b;
    b.clerks.push_back({.id = "c1", .name = "Clerk 1", .skills = {"kfz"}, .home_office_id = "A"});
    for (int i = 0; i < n; ++i) {
      const Instant start = kT0 + std::chrono::hours(24 * i);
      b.shifts.push_back({.id = absl::StrCat("s", i),
                          .clerk_id = "c1",
                          .office_id = "A",
                          .time = {start, start + std::chrono::hours(1)}});
      b.bookings.push_back({.id = absl::StrCat("b", i),
                            .clerk_id = "c1",
                            .office_id = "A",
                            .time = {start, start + std::chrono::minutes(15)}});
    }
    return b;
  }
  absl::StatusOr<UpsertCounts> Import(const CapacityBatch& b) {
    UpsertCounts counts;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(counts, ImportCapacity(tx, b));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return counts;
  }
};

TEST_F(CapacityImportTest, LargeBatchCountsLikeOneLookupPerRecord) {
  CapacityBatch b = Batch(300);
  absl::StatusOr<UpsertCounts> first = Import(b);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 601);  // the clerk, 300 shifts, 300 bookings
  EXPECT_EQ(first->updated, 0);

  // Again, with one booking moved, one new shift, and a booking twice in the batch (the second
  // sees the first as stored).
  b.bookings[7].time.start += std::chrono::minutes(15);
  b.bookings[7].time.end += std::chrono::minutes(15);
  b.shifts.push_back({.id = "extra",
                      .clerk_id = "c1",
                      .office_id = "A",
                      .time = {kT0 - std::chrono::hours(2), kT0 - std::chrono::hours(1)}});
  domain::StandingBooking again = b.bookings[9];
  again.time.end += std::chrono::minutes(5);
  b.bookings.push_back(again);
  absl::StatusOr<UpsertCounts> second = Import(b);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->created, 1);
  EXPECT_EQ(second->updated, 2);  // bookings b7 and b9 (its second copy)
  EXPECT_EQ(second->unchanged, 1 + 300 + 299);

  // A shift of the batch overlapping one stored earlier is still refused, and nothing is written.
  CapacityBatch overlap = Batch(300);
  overlap.shifts[5].id = "s5-bis";
  absl::StatusOr<UpsertCounts> refused = Import(overlap);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                EXPECT_EQ(tx.GetShift("A", "s5-bis").status().code(), absl::StatusCode::kNotFound);
                REBOOK_ASSIGN_OR_RETURN(domain::StandingBooking b9,
                                        tx.GetStandingBooking("A", "b9"));
                EXPECT_EQ(b9, again);
                return absl::OkStatus();
              }).ok());
}

// Offices, service types and clerks are checked against one read of all stored ones (for a
// batch this large) plus what the batch wrote before them, and written in bulk (PutClerks).
TEST_F(CapacityImportTest, ManyClerksCountLikeOneLookupPerRecord) {
  CapacityBatch b;
  b.services.push_back({.id = "pass", .name = "Reisepass", .duration_min = 15});
  for (int i = 0; i < 300; ++i) {
    b.clerks.push_back({.id = absl::StrCat("k", i),
                        .name = absl::StrCat("Clerk ", i),
                        .skills = {i % 2 ? "pass" : "kfz"},  // "pass" comes with the batch
                        .home_office_id = "A"});
  }
  absl::StatusOr<UpsertCounts> first = Import(b);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created, 301);

  b.clerks[5].skills = {"kfz", "pass"};
  domain::Clerk again = b.clerks[9];  // twice in the batch: the second sees the first as stored
  again.name = "Renamed";
  b.clerks.push_back(again);
  absl::StatusOr<UpsertCounts> second = Import(b);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->created, 0);
  EXPECT_EQ(second->updated, 2);  // k5 and the second k9
  EXPECT_EQ(second->unchanged, 1 + 299);

  // An unknown skill is a violation naming the record; nothing of the batch is written.
  CapacityBatch bad = b;
  bad.clerks[0].name = "Not written";
  bad.clerks[200].skills = {"no-such-service"};
  absl::StatusOr<UpsertCounts> refused = Import(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  std::vector<FieldViolation> v = FieldViolations::FromStatus(refused.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "clerks[200].skills[0]");
  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                REBOOK_ASSIGN_OR_RETURN(domain::Clerk k0, tx.GetClerk("k0"));
                EXPECT_EQ(k0.name, "Clerk 0");
                REBOOK_ASSIGN_OR_RETURN(domain::Clerk k5, tx.GetClerk("k5"));
                EXPECT_EQ(k5.skills, (std::vector<std::string>{"kfz", "pass"}));
                REBOOK_ASSIGN_OR_RETURN(domain::Clerk k9, tx.GetClerk("k9"));
                EXPECT_EQ(k9, again);
                return absl::OkStatus();
              }).ok());
}

// The overlap check runs in memory (capacity_import.cc ClerkTimelines) but in batch order, as if
// each shift were created after the ones before it.
TEST_F(CapacityImportTest, OverlapsAreCheckedInBatchOrder) {
  ASSERT_TRUE(Import(Batch(3)).ok());
  const auto shift = [](const std::string& id, Instant start) {
    return domain::Shift{.id = id,
                         .clerk_id = "c1",
                         .office_id = "A",
                         .time = {start, start + std::chrono::hours(1)}};
  };
  const auto refusal = [&](const CapacityBatch& b) -> std::vector<FieldViolation> {
    absl::StatusOr<UpsertCounts> r = Import(b);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
    return FieldViolations::FromStatus(r.status());
  };
  // A new shift in the hour a stored one leaves, after that one moved: accepted.
  CapacityBatch moved;
  moved.shifts = {shift("s0", kT0 + std::chrono::hours(2)), shift("new", kT0)};
  absl::StatusOr<UpsertCounts> counts = Import(moved);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(counts->created, 1);
  // Before it moved: refused, naming the stored shift.
  CapacityBatch early;
  early.shifts = {shift("new2", kT0 + std::chrono::hours(24)),
                  shift("s1", kT0 + std::chrono::hours(30))};
  std::vector<FieldViolation> v = refusal(early);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "shifts[0].interval");
  EXPECT_NE(v[0].description.find("\"s1\""), std::string::npos) << v[0].description;
  // Two new shifts of the batch overlapping each other: the second is refused.
  CapacityBatch pair;
  pair.shifts = {shift("x1", kT0 + std::chrono::hours(100)),
                 shift("x2", kT0 + std::chrono::hours(100) + std::chrono::minutes(30))};
  v = refusal(pair);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "shifts[1].interval");
  EXPECT_NE(v[0].description.find("\"x1\""), std::string::npos) << v[0].description;
  // Nothing of the refused batches was written.
  ASSERT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                EXPECT_EQ(tx.GetShift("A", "x1").status().code(), absl::StatusCode::kNotFound);
                EXPECT_EQ(tx.GetShift("A", "new2").status().code(), absl::StatusCode::kNotFound);
                REBOOK_ASSIGN_OR_RETURN(domain::Shift s0, tx.GetShift("A", "s0"));
                EXPECT_EQ(s0.time.start, kT0 + std::chrono::hours(2));
                return absl::OkStatus();
              }).ok());
}

}  // namespace
}  // namespace rebook::rebooking
