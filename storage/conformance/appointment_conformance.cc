// Appointments: round trips of every field, bulk insert atomicity, update and delete.
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST_P(StoreConformanceTest, AppointmentRoundTripWithEveryField) {
  SeedWorld();
  domain::Appointment full = MakeAppointment("a-full", "o1", "s1", At(2, 9));
  full.status = domain::AppointmentStatus::kCancelled;
  full.outage_id = "out-1";
  // Every optional and list field empty or unset, every text empty.
  domain::Appointment bare;
  bare.id = "a-bare";
  bare.office_id = "o2";
  bare.service_id = "s2";
  bare.original_start = At(2, 10);
  bare.contact.language = "";
  // A list holding one empty string must not come back as an empty list.
  domain::Appointment odd = MakeAppointment("a-odd", "o1", "s2", At(2, 11));
  odd.allowed_offices = {""};
  odd.unavailable = {{Instant(std::chrono::seconds(-86400)), Instant(std::chrono::seconds(0))}};
  odd.contact.name = "名前 with \"quotes\", commas\\backslashes and a\nnewline";

  InsertOrDie({full, bare, odd});
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetAppointment(full.office_id, "a-full").value(), AppointmentEq(full));
    EXPECT_THAT(tx.GetAppointment("o2", "a-bare").value(), AppointmentEq(bare));
    EXPECT_THAT(tx.GetAppointment("o1", "a-odd").value(), AppointmentEq(odd));
    EXPECT_THAT(tx.GetAppointment("o1", "a-none"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));

  // Every status and kind survives.
  for (auto status :
       {domain::AppointmentStatus::kBooked, domain::AppointmentStatus::kOffered,
        domain::AppointmentStatus::kConfirmed, domain::AppointmentStatus::kDeclined,
        domain::AppointmentStatus::kSelfRebooked, domain::AppointmentStatus::kUnreachable,
        domain::AppointmentStatus::kClosed}) {
    bare.status = status;
    bare.kind = bare.kind == domain::AppointmentKind::kWalkIn
                    ? domain::AppointmentKind::kAppointment
                    : domain::AppointmentKind::kWalkIn;
    REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.UpdateAppointment(bare); }));
    REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
      EXPECT_THAT(tx.GetAppointment("o2", "a-bare").value(), AppointmentEq(bare));
      return absl::OkStatus();
    }));
  }
}

TEST_P(StoreConformanceTest, FindAppointmentsReturnsOnlyExistingOnes) {
  SeedWorld();
  domain::Appointment a = MakeAppointment("a", "o1", "s1", At(2, 9));
  domain::Appointment b = MakeAppointment("b", "o2", "s2", At(2, 10));
  InsertOrDie({a, b});
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    // "a" at o2 and "b" at o1 are not stored: the office is part of the key.
    std::vector<domain::AppointmentKey> keys = {
        {"o2", "b"}, {"o1", "missing"}, {"o1", "a"}, {"o2", "a"}, {"o1", "b"}};
    EXPECT_THAT(tx.FindAppointments(keys).value(),
                UnorderedElementsAre(AppointmentEq(a), AppointmentEq(b)));
    EXPECT_THAT(tx.FindAppointments({}).value(), IsEmpty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, InsertWithOneDuplicateInsertsNothing) {
  SeedWorld();
  InsertOrDie({MakeAppointment("existing", "o1", "s1", At(2, 9))});
  std::vector<domain::Appointment> batch;
  for (int i = 0; i < 50; ++i) {
    batch.push_back(MakeAppointment("new-" + std::to_string(i), "o2", "s2", At(3, 8, i)));
  }
  batch.push_back(MakeAppointment("existing", "o1", "s2", At(3, 9)));
  for (int i = 50; i < 60; ++i) {
    batch.push_back(MakeAppointment("new-" + std::to_string(i), "o2", "s2", At(3, 8, i)));
  }
  absl::Status s = Write([&](Transaction& tx) { return tx.InsertAppointments(batch); });
  EXPECT_THAT(s, StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(std::string(s.message()), HasSubstr("existing"));

  // Also when the caller ignores the error and commits: the call itself is atomic.
  REBOOK_EXPECT_OK(Write([&](Transaction& tx) {
    EXPECT_THAT(tx.InsertAppointments(batch), StatusIs(StatusCode::kAlreadyExists));
    return absl::OkStatus();
  }));
  // A duplicate inside the batch itself.
  std::vector<domain::Appointment> twice = {MakeAppointment("dup", "o1", "s1", At(4, 9)),
                                            MakeAppointment("dup", "o1", "s1", At(4, 10))};
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.InsertAppointments(twice); }),
              StatusIs(StatusCode::kAlreadyExists));

  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.CountAppointments({}).value(), 1);
    EXPECT_EQ(tx.GetAppointment("o1", "existing").value().service_id, "s1");
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, UpdateAndDeleteUnknownAppointmentAreNotFound) {
  SeedWorld();
  domain::Appointment a = MakeAppointment("ghost", "o1", "s1", At(2, 9));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.UpdateAppointment(a); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.DeleteAppointment("o1", "ghost"); }),
              StatusIs(StatusCode::kNotFound));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.CountAppointments({}).value(), 0);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, BulkUpdateWithOneUnknownAppointmentUpdatesNone) {
  SeedWorld();
  InsertOrDie(
      {MakeAppointment("a1", "o1", "s1", At(2, 9)), MakeAppointment("a2", "o1", "s1", At(2, 10))});
  std::vector<domain::Appointment> changed = {MakeAppointment("a1", "o1", "s1", At(2, 9)),
                                              MakeAppointment("ghost", "o1", "s1", At(2, 9)),
                                              MakeAppointment("a2", "o1", "s1", At(2, 10))};
  for (domain::Appointment& a : changed) a.status_reason = "changed";
  REBOOK_EXPECT_OK(Write([&](Transaction& tx) -> absl::Status {
    // The failed call writes nothing; the transaction goes on and commits.
    EXPECT_THAT(tx.UpdateAppointments(changed), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_NE(tx.GetAppointment("o1", "a1")->status_reason, "changed");
    return absl::OkStatus();
  }));
  changed.erase(changed.begin() + 1);
  REBOOK_EXPECT_OK(Write([&](Transaction& tx) { return tx.UpdateAppointments(changed); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetAppointment("o1", "a1")->status_reason, "changed");
    EXPECT_EQ(tx.GetAppointment("o1", "a2")->status_reason, "changed");
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, UpdateReplacesEveryFieldAndDeleteRemoves) {
  SeedWorld();
  domain::Appointment a = MakeAppointment("a", "o1", "s1", At(2, 9));
  InsertOrDie({a});
  domain::Appointment changed = MakeAppointment("a", "o1", "s2", At(5, 14, 45));
  changed.earliest_start.reset();
  changed.deadline.reset();
  changed.priority = 10;
  changed.cases = 4;
  changed.allowed_offices.clear();
  changed.unavailable = {{At(6, 0), At(7, 0)}};
  changed.kind = domain::AppointmentKind::kAppointment;
  changed.contact = {.name = "Ana", .language = "pt-BR"};
  changed.status = domain::AppointmentStatus::kOffered;
  changed.outage_id = "out-7";
  changed.status_reason = "offered slot 3";
  changed.update_time = At(5, 1);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.UpdateAppointment(changed); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetAppointment("o1", "a").value(), AppointmentEq(changed));
    return absl::OkStatus();
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.DeleteAppointment("o1", "a"); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetAppointment("o1", "a"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, BulkInsertOfManyAppointments) {
  SeedWorld();
  std::vector<domain::Appointment> batch;
  for (int i = 0; i < 5000; ++i) {
    batch.push_back(MakeAppointment("bulk-" + std::to_string(i), i % 2 ? "o1" : "o2", "s1",
                                    At(2 + i % 20, 8 + i % 9, i % 60)));
  }
  InsertOrDie(batch);
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.CountAppointments({}).value(), 5000);
    EXPECT_THAT(tx.GetAppointment("o1", "bulk-4321").value(), AppointmentEq(batch[4321]));
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rebook::storage::conformance
