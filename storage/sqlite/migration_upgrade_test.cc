// Upgrading files written by binaries that knew only the first schema steps.
#include <filesystem>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"
#include "storage/sqlite/internal/appointment_rows.h"
#include "storage/sqlite/internal/message_rows.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/files.h"

namespace rebook::storage::sqlite {
namespace {

using absl::StatusCode;
using conformance::At;
using conformance::StatusIs;

// Step 1's data, written with step 1's columns (offices have no offer TTL yet).
constexpr const char* kVersion1Rows = R"sql(
INSERT INTO offices (id, name, state, time_zone, address) VALUES
  ('o1', 'Bürgeramt Mitte', 'DE-BE', 'Europe/Berlin', 'Platz 1'),
  ('o2', 'Standesamt', 'DE-ST', 'Europe/Berlin', '');
INSERT INTO services (id, name, category, duration_min) VALUES ('s1', 'Pass', 'residents', 15),
  ('s2', 'Ehe', 'registry_office', 45);
INSERT INTO clerks (id, name, home_office_id) VALUES ('c1', 'Zoë', 'o1'), ('c2', 'Ali', '');
INSERT INTO clerk_skills (clerk_id, position, service_id) VALUES ('c1', 0, 's2'), ('c1', 1, 's1');
INSERT INTO shifts (office_id, id, clerk_id, start_time, end_time, kind)
  VALUES ('o1', 'sh1', 'c1', 1772438400, 1772467200, 'regular');
INSERT INTO closures (office_id, date, reason) VALUES ('o2', '2026-03-03', 'Inventur');
INSERT INTO standing_bookings (office_id, id, clerk_id, start_time, end_time)
  VALUES ('o1', 'b1', 'c1', 1772442000, 1772443800), ('', 'b2', 'c2', 1772442000, 1772443800);
INSERT INTO outages (id, window_start, window_end, cause, state, declare_time, close_time,
  close_reason, cancelled_appointments)
  VALUES ('out-1', 1772438400, 1772467200, 'Strom', 'active', 1772438500, NULL, '', 1);
INSERT INTO outage_offices (outage_id, position, office_id) VALUES ('out-1', 0, 'o2'),
  ('out-1', 1, 'o1');
INSERT INTO requests (request_id, method, fingerprint, response) VALUES ('r1', 'm', X'00', X'01');
)sql";

class MigrationUpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::rebook::testing::MakeTempDir("rebook-upgrade");
    path_ = dir_ + "/rebook.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A file at schema version 1 holding kVersion1Rows, `extra_sql` and appointment a1.
  void WriteVersion1File(const std::string& extra_sql = "") {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA foreign_keys=ON");
    ASSERT_EQ(ApplyMigrations(db, SchemaMigrations().first(1)).value(), 1);
    db.exec(kVersion1Rows);
    if (!extra_sql.empty()) db.exec(extra_sql);
    // BindAppointment binds text without copying: the appointment outlives the statement.
    const domain::Appointment a1 = conformance::MakeAppointment("a1", "o1", "s1", At(2, 9));
    SQLite::Statement insert(db, sqlite_internal::kInsertAppointmentCoreSql);
    sqlite_internal::BindAppointment(insert, a1);
    insert.exec();
  }

  int FileVersion() {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    return SchemaVersion(db).value();
  }

  std::string dir_;
  std::string path_;
};

TEST_F(MigrationUpgradeTest, Version1DataSurvivesTheUpgradeToTheNewestSchema) {
  WriteVersion1File();
  ASSERT_EQ(FileVersion(), 1);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = path_});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(FileVersion(), static_cast<int>(SchemaMigrations().size()));
  EXPECT_TRUE(
      (*store)
          ->Read(
              {},
              [](Transaction& tx) -> absl::Status {
                REBOOK_ASSIGN_OR_RETURN(domain::Office o1, tx.GetOffice("o1"));
                EXPECT_EQ(o1.name, "Bürgeramt Mitte");
                EXPECT_EQ(o1.offer_ttl, std::chrono::hours(48));  // the default
                EXPECT_EQ(tx.GetOffice("o2").value().offer_ttl, std::chrono::hours(48));
                EXPECT_EQ(tx.GetClerk("c1").value().skills, (std::vector<std::string>{"s2", "s1"}));
                EXPECT_EQ(tx.ListClosures(std::nullopt).value().size(), 1u);
                EXPECT_EQ(tx.GetStandingBooking("o1", "b1").value().clerk_id, "c1");
                EXPECT_EQ(tx.GetStandingBooking("", "b2").value().clerk_id, "c2");
                EXPECT_EQ(tx.GetOutage("out-1").value().office_ids,
                          (std::vector<std::string>{"o2", "o1"}));
                EXPECT_EQ(tx.GetShift("o1", "sh1").value().clerk_id, "c1");
                EXPECT_TRUE(tx.GetAppointment("o1", "a1").ok());
                EXPECT_EQ(tx.FindRequest("r1").value().response, "\x01");
                EXPECT_EQ(tx.ListPlans("out-1", {}).value().items.size(), 0u);
                return absl::OkStatus();
              })
          .ok());
  // The rebuilt tables enforce their references.
  const auto kFailedPrecondition = StatusIs(StatusCode::kFailedPrecondition);
  EXPECT_THAT((*store)->Write({}, [](Transaction& tx) { return tx.DeleteService("s2"); }),
              kFailedPrecondition);
  EXPECT_THAT((*store)->Write({}, [](Transaction& tx) { return tx.DeleteOffice("o2"); }),
              kFailedPrecondition);
  // And the store writes the new tables and columns.
  EXPECT_TRUE((*store)
                  ->Write({},
                          [](Transaction& tx) -> absl::Status {
                            domain::Office o2 = tx.GetOffice("o2").value();
                            o2.offer_ttl = std::chrono::hours(24);
                            REBOOK_RETURN_IF_ERROR(tx.PutOffice(o2));
                            domain::OutboxMessage m;
                            m.id = "m1";
                            m.idempotency_key = "k1";
                            return tx.InsertMessages({&m, 1});
                          })
                  .ok());
}

TEST_F(MigrationUpgradeTest, Version2RowsOfThePhoneListChannelAreOnPhone) {
  // Text is bound without copying: the rows outlive the statements.
  domain::Appointment a1 = conformance::MakeAppointment("a1", "o1", "s1", At(2, 9));
  a1.contact.channel = "phone_list";
  domain::Appointment a2 = conformance::MakeAppointment("a2", "o1", "s1", At(2, 10));
  a2.contact.channel = "sms";
  std::vector<domain::OutboxMessage> messages(2);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    messages[i].id = absl::StrCat("m", i + 1);
    messages[i].office_id = "o1";
    messages[i].appointment_id = "a1";
    messages[i].channel = i == 0 ? "phone_list" : "email";
    messages[i].idempotency_key = absl::StrCat("out-1/a1/v1/offer/", messages[i].channel);
  }
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA foreign_keys=ON");
    ASSERT_EQ(ApplyMigrations(db, SchemaMigrations().first(2)).value(), 2);
    db.exec(kVersion1Rows);
    for (const domain::Appointment* a : {&a1, &a2}) {
      SQLite::Statement insert(db, sqlite_internal::kInsertAppointmentCoreSql);
      sqlite_internal::BindAppointment(insert, *a);
      insert.exec();
    }
    std::string columns, params;
    for (const char* column : sqlite_internal::MessageColumns()) {
      const bool first = columns.empty();
      absl::StrAppend(&columns, first ? "" : ", ", column);
      absl::StrAppend(&params, first ? "?" : ", ?");
    }
    for (const domain::OutboxMessage& m : messages) {
      SQLite::Statement insert(
          db, absl::StrCat("INSERT INTO outbox_messages (", columns, ") VALUES (", params, ")"));
      sqlite_internal::BindMessage(insert, m);
      insert.exec();
    }
  }
  ASSERT_EQ(FileVersion(), 2);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = path_});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(FileVersion(), static_cast<int>(SchemaMigrations().size()));
  EXPECT_TRUE((*store)
                  ->Read({},
                         [](Transaction& tx) -> absl::Status {
                           EXPECT_EQ(tx.GetAppointment("o1", "a1").value().contact.channel,
                                     "phone");
                           EXPECT_EQ(tx.GetAppointment("o1", "a2").value().contact.channel, "sms");
                           const domain::OutboxMessage m1 = tx.GetMessage("m1").value();
                           EXPECT_EQ(m1.channel, "phone");
                           // Step 3 leaves the channel in the key; step 4 rewrites only keys
                           // made from the row's own outage and appointment (this row has no
                           // outage).
                           EXPECT_EQ(m1.idempotency_key, "out-1/a1/v1/offer/phone_list");
                           EXPECT_EQ(tx.GetMessage("m2").value().channel, "email");
                           return absl::OkStatus();
                         })
                  .ok());
}

// Step 3's rows that refer to appointments by id alone: an offer, plan rows (one of an
// appointment deleted since) and a message of a1 (office o1).
constexpr const char* kVersion3OutreachRows = R"sql(
INSERT INTO offers (appointment_id, version, office_id, outage_id, plan_id, state,
  slot_office_id, slot_clerk_id, slot_start, slot_end, slot_cost, alternatives, token,
  create_time, expire_time, reminder_time, respond_time, response_channel,
  accepted_alternative, explanation)
  VALUES ('a1', 1, 'o1', 'out-1', 'p1', 'open', 'o2', 'c1', 1772445600, 1772446500, 1.5, NULL,
    'tok-a1', 1772438600, 1772611400, NULL, NULL, '', -1, '');
INSERT INTO plan_assignments (outage_id, plan_id, appointment_id, status, office_id, clerk_id,
  start_time, end_time, cost, reason)
  VALUES ('out-1', 'p1', 'a1', 'assigned', 'o2', 'c1', 1772445600, 1772446500, 1.5, ''),
    ('out-1', 'p1', 'gone', 'unassigned', '', '', 0, 0, 7.0, 'no capacity');
INSERT INTO outbox_messages (id, idempotency_key, office_id, outage_id, appointment_id,
  offer_version, kind, channel, language, state, attempts, next_attempt_time, lease_expire_time,
  lease_token, leased_by, last_error, provider_message_id, fallback_from, explanation,
  create_time, update_time)
  VALUES ('m1', 'out-1/a1/v1/offer/email', 'o1', 'out-1', 'a1', 1, 'offer', 'email', 'de',
    'pending', 0, 1772438600, NULL, '', '', '', '', '', '', 1772438600, 1772438600);
)sql";

TEST_F(MigrationUpgradeTest, Version3RowsAreKeyedByOfficeAndIdAfterTheUpgrade) {
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA foreign_keys=ON");
    ASSERT_EQ(ApplyMigrations(db, SchemaMigrations().first(3)).value(), 3);
    db.exec(kVersion1Rows);
    const domain::Appointment a1 = conformance::MakeAppointment("a1", "o1", "s1", At(2, 9));
    SQLite::Statement insert(db, sqlite_internal::kInsertAppointmentCoreSql);
    sqlite_internal::BindAppointment(insert, a1);
    insert.exec();
    db.exec(kVersion3OutreachRows);
  }
  ASSERT_EQ(FileVersion(), 3);
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open({.path = path_});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(FileVersion(), static_cast<int>(SchemaMigrations().size()));
  EXPECT_TRUE(
      (*store)
          ->Read({},
                 [](Transaction& tx) -> absl::Status {
                   EXPECT_THAT(tx.GetAppointment("o1", "a1").value(),
                               conformance::AppointmentEq(
                                   conformance::MakeAppointment("a1", "o1", "s1", At(2, 9))));
                   EXPECT_EQ(tx.CountAppointments({}).value(), 1);
                   EXPECT_EQ(tx.GetOffer({"o1", "a1"}, 1).value().token, "tok-a1");
                   EXPECT_EQ(tx.FindOfferByToken("tok-a1").value().office_id, "o1");
                   // Plan rows learn their appointment's office; a vanished one gets ''.
                   std::vector<domain::Assignment> rows =
                       tx.ListAssignments("out-1", "p1", {}, {}).value().items;
                   EXPECT_EQ(rows.size(), 2u);
                   if (rows.size() == 2) {
                     EXPECT_EQ(rows[0].appointment_id, "a1");
                     EXPECT_EQ(rows[0].appointment_office_id, "o1");
                     EXPECT_EQ(rows[0].office_id, "o2");
                     EXPECT_EQ(rows[1].appointment_id, "gone");
                     EXPECT_EQ(rows[1].appointment_office_id, "");
                     EXPECT_EQ(rows[1].reason, "no capacity");
                   }
                   AssignmentFilter from_o1;
                   from_o1.office_ids = std::vector<std::string>{"o1"};
                   EXPECT_EQ(tx.ListAssignments("out-1", "p1", from_o1, {}).value().items.size(),
                             1u);
                   const domain::OutboxMessage m1 = tx.GetMessage("m1").value();
                   EXPECT_EQ(m1.idempotency_key,
                             domain::MessageIdempotencyKey("out-1", {"o1", "a1"}, 1,
                                                           domain::MessageKind::kOffer, "email"));
                   MessageFilter of_a1;
                   of_a1.appointment = domain::AppointmentKey{"o1", "a1"};
                   EXPECT_EQ(tx.ListMessages(of_a1, {}).value().items.size(), 1u);
                   return absl::OkStatus();
                 })
          .ok());
  // The same id at another office is now a second appointment; the rebuilt table still refers
  // to offices and services.
  EXPECT_TRUE((*store)
                  ->Write({},
                          [](Transaction& tx) {
                            const domain::Appointment other =
                                conformance::MakeAppointment("a1", "o2", "s2", At(3, 9));
                            return tx.InsertAppointments({&other, 1});
                          })
                  .ok());
  EXPECT_THAT((*store)->Write({},
                              [](Transaction& tx) {
                                const domain::Appointment orphan =
                                    conformance::MakeAppointment("a1", "nowhere", "s1", At(3, 9));
                                return tx.InsertAppointments({&orphan, 1});
                              }),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT((*store)->Write({}, [](Transaction& tx) { return tx.DeleteOffice("o2"); }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(MigrationUpgradeTest, AFileBreakingANewReferenceIsRefusedAndLeftAsItWas) {
  // Step 1 let a closure name any office; step 2 does not.
  WriteVersion1File(
      "INSERT INTO closures (office_id, date, reason) VALUES ('gone', '2026-03-04', 'x')");
  absl::StatusOr<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open({.path = path_, .open_timeout = std::chrono::milliseconds(2000)});
  ASSERT_THAT(store, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_NE(std::string(store.status().message()).find("closures"), std::string::npos)
      << store.status();
  EXPECT_EQ(FileVersion(), 1);
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM closures").getInt(), 2);
    EXPECT_FALSE(db.tableExists("plans"));
    EXPECT_FALSE(db.tableExists("closures_v2"));
    // Once the operator removes the orphan, the upgrade goes through.
    db.exec("DELETE FROM closures WHERE office_id = 'gone'");
  }
  store = SqliteStore::Open({.path = path_});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(FileVersion(), static_cast<int>(SchemaMigrations().size()));
}

}  // namespace
}  // namespace rebook::storage::sqlite
