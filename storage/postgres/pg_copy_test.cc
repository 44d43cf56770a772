// The PostgreSQL store's COPY paths (internal/copy_rows.h) on a real server: an import's
// appointments, shifts and standing bookings go in by COPY, and what COPY's text format makes
// special (tab, line ends, backslash, "\N", quotes and braces in array elements, non-ASCII) comes
// back unchanged; a COPY that fails on a row falls back to the INSERT, which reports the row as
// before; capacity written again (existing keys) takes the upsert.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/conformance/store_conformance.h"
#include "storage/postgres/pg_store.h"
#include "storage/postgres/testing/scratch_database.h"

namespace rebook::storage {
namespace {

using conformance::At;
using conformance::MakeAppointment;
using conformance::MakeClerk;
using conformance::MakeOffice;
using conformance::MakeService;
using conformance::MakeShift;
using conformance::SameAppointment;
using pg_testing::ScratchDatabase;
using pg_testing::ServerUrl;
using pg_testing::SkipReason;

// Every character COPY's text format escapes or reads specially, and some it does not.
constexpr const char* kAwkward =
    "tab\there\nline\rcr \\ back\\N \\. {brace} \"q\" , ; Zoë 東京 🙂";

class PgCopyTest : public ::testing::Test {
 protected:
  absl::Status Insert(std::vector<domain::Appointment> appointments) {
    return store_->Write({}, [&](Transaction& tx) { return tx.InsertAppointments(appointments); });
  }
  std::vector<domain::Appointment> Find(std::vector<domain::AppointmentKey> keys) {
    absl::StatusOr<std::vector<domain::Appointment>> read;
    const absl::Status s = store_->Read({}, [&](Transaction& tx) -> absl::Status {
      read = tx.FindAppointments(keys);
      return read.status();
    });
    EXPECT_TRUE(s.ok()) << s;
    return read.ok() ? *std::move(read) : std::vector<domain::Appointment>{};
  }

  void SetUp() override {
    if (ServerUrl().empty()) GTEST_SKIP() << SkipReason();
    database_ = std::make_unique<ScratchDatabase>();
    absl::StatusOr<std::unique_ptr<PgStore>> store =
        PgStore::Open({.url = database_->url(), .connections = 2});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(store_
                    ->Write({},
                            [](Transaction& tx) -> absl::Status {
                              absl::Status s = tx.PutOffice(MakeOffice("o1"));
                              if (s.ok()) s = tx.PutService(MakeService("s1"));
                              if (s.ok()) s = tx.PutClerk(MakeClerk("c1", "o1", {"s1"}));
                              return s;
                            })
                    .ok());
  }

  std::unique_ptr<ScratchDatabase> database_;
  std::unique_ptr<PgStore> store_;
};

TEST_F(PgCopyTest, AwkwardTextRoundTripsThroughTheImportsCopy) {
  std::vector<domain::Appointment> appointments;
  std::vector<domain::AppointmentKey> keys;
  for (int i = 0; i < 50; ++i) {
    domain::Appointment a = MakeAppointment(absl::StrCat("a", i), "o1", "s1", At(2, 8 + i % 8));
    a.contact.name = absl::StrCat(kAwkward, " ", i);
    a.contact.postal_address = kAwkward;
    a.status_reason = i % 2 == 0 ? "" : kAwkward;
    a.allowed_offices = {"o1", kAwkward, "", "NULL", "a,b", "x\"y\\z"};
    if (i % 3 == 0) a.outage_id.clear();
    keys.push_back({a.office_id, a.id});
    appointments.push_back(std::move(a));
  }
  ASSERT_TRUE(Insert(appointments).ok());
  const std::vector<domain::Appointment> read = Find(keys);
  ASSERT_EQ(read.size(), appointments.size());
  for (const domain::Appointment& want : appointments) {
    int found = 0;
    for (const domain::Appointment& got : read) {
      if (got.id != want.id) continue;
      ++found;
      EXPECT_TRUE(SameAppointment(got, want)) << want.id << ": " << got.contact.name;
    }
    EXPECT_EQ(found, 1) << want.id;
  }
}

TEST_F(PgCopyTest, ADuplicateInTheCopyIsNamedAsBefore) {
  ASSERT_TRUE(Insert({MakeAppointment("a7", "o1", "s1", At(2, 9))}).ok());
  std::vector<domain::Appointment> appointments;
  for (int i = 0; i < 20; ++i) {
    appointments.push_back(MakeAppointment(absl::StrCat("a", i), "o1", "s1", At(2, 9)));
  }
  const absl::Status s = Insert(appointments);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_NE(s.message().find("appointment a7 of office o1 already exists"), std::string::npos) << s;
  EXPECT_TRUE(Find({{"o1", "a0"}, {"o1", "a19"}}).empty());  // nothing of it stayed
}

TEST_F(PgCopyTest, AFailedCopyLeavesTheTransactionUsable) {
  const std::vector<domain::Appointment> bad = {MakeAppointment("a1", "o1", "s1", At(2, 9)),
                                                MakeAppointment("a2", "nowhere", "s1", At(2, 9))};
  const std::vector<domain::Appointment> good = {MakeAppointment("a3", "o1", "s1", At(2, 10))};
  const absl::Status s = store_->Write({}, [&](Transaction& tx) -> absl::Status {
    const absl::Status failed = tx.InsertAppointments(bad);
    EXPECT_EQ(failed.code(), absl::StatusCode::kFailedPrecondition) << failed;
    // The savepoints took the COPY and the INSERT back; the transaction goes on.
    return tx.InsertAppointments(good);
  });
  ASSERT_TRUE(s.ok()) << s;
  const std::vector<domain::Appointment> read = Find({{"o1", "a1"}, {"o1", "a3"}});
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].id, "a3");
}

TEST_F(PgCopyTest, CapacityIsCopiedFirstAndUpsertedAfter) {
  std::vector<domain::Shift> shifts;
  std::vector<domain::StandingBooking> bookings;
  for (int i = 0; i < 30; ++i) {
    shifts.push_back(MakeShift("o1", absl::StrCat("sh", i), "c1", At(3 + i, 8), At(3 + i, 16)));
    bookings.push_back({.id = absl::StrCat("b", i, kAwkward),
                        .clerk_id = "c1",
                        .office_id = i % 5 == 0 ? "" : "o1",
                        .time = {At(3 + i, 9), At(3 + i, 10)}});
  }
  // The same key twice in one call: the last one is kept, on the COPY path too.
  shifts.push_back(MakeShift("o1", "sh0", "c1", At(3, 7), At(3, 15)));
  auto put = [&] {
    return store_->Write({}, [&](Transaction& tx) -> absl::Status {
      absl::Status s = tx.PutShifts(shifts);
      return s.ok() ? tx.PutStandingBookings(bookings) : s;
    });
  };
  ASSERT_TRUE(put().ok());
  // Written again with changes: the rows exist now, so the upsert runs.
  for (domain::Shift& s : shifts) s.time.end = s.time.end + std::chrono::hours(1);
  for (domain::StandingBooking& b : bookings)
    b.time.start = b.time.start - std::chrono::minutes(30);
  ASSERT_TRUE(put().ok());
  ASSERT_TRUE(store_
                  ->Read({},
                         [&](Transaction& tx) -> absl::Status {
                           absl::StatusOr<domain::Shift> sh0 = tx.GetShift("o1", "sh0");
                           EXPECT_TRUE(sh0.ok()) << sh0.status();
                           if (sh0.ok()) {
                             EXPECT_EQ(sh0->time.start, At(3, 7));
                             EXPECT_EQ(sh0->time.end, At(3, 16));
                           }
                           for (const domain::StandingBooking& want : bookings) {
                             absl::StatusOr<domain::StandingBooking> got =
                                 tx.GetStandingBooking(want.office_id, want.id);
                             EXPECT_TRUE(got.ok()) << want.id << got.status();
                             if (got.ok()) {
                               EXPECT_EQ(*got, want);
                             }
                           }
                           return absl::OkStatus();
                         })
                  .ok());
  pqxx::connection c(database_->url());
  pqxx::read_transaction tx(c);
  EXPECT_EQ(tx.exec("SELECT COUNT(*) FROM shifts")[0][0].as<int>(), 30);
  EXPECT_EQ(tx.exec("SELECT COUNT(*) FROM standing_bookings")[0][0].as<int>(), 30);
}

}  // namespace
}  // namespace rebook::storage
