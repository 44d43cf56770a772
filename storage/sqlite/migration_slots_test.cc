// Step 8: appointments learn their rebooked and held slots from the offers a version-7 file holds.
#include <optional>
#include <string>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "gtest/gtest.h"
#include "storage/conformance/store_conformance.h"
#include "storage/sqlite/internal/appointment_rows.h"
#include "storage/sqlite/migrations.h"

namespace rebook::storage::sqlite {
namespace {

using conformance::At;

constexpr const char* kReferenceRows = R"sql(
INSERT INTO offices (id, name, state, time_zone, address) VALUES
  ('o1', 'Bürgeramt Mitte', 'DE-BE', 'Europe/Berlin', ''),
  ('o2', 'Bürgeramt Süd', 'DE-BE', 'Europe/Berlin', '');
INSERT INTO services (id, name, category, duration_min) VALUES ('s1', 'Pass', 'residents', 15);
)sql";

// Offers of version 7: a1 has a declined v1 and an open v2; a2 accepted its main slot by phone;
// a3 accepted alternative 1 by link; a4 declined; a5 accepted an alternative that is not in the
// list (the main slot holds) with no channel and no respond time; a6 has an accepted offer but
// was closed since.
constexpr const char* kOfferRows = R"sql(
INSERT INTO offers (appointment_id, version, office_id, outage_id, plan_id, state,
  slot_office_id, slot_clerk_id, slot_start, slot_end, slot_cost, alternatives, token,
  create_time, expire_time, reminder_time, respond_time, response_channel,
  accepted_alternative, explanation) VALUES
  ('a1', 1, 'o1', 'out-1', 'p1', 'declined', 'o2', 'c9', 100, 200, 1, NULL, 't1', 1, 9, NULL,
    5, 'link', -1, ''),
  ('a1', 2, 'o1', 'out-1', 'p1', 'open', 'o2', 'c1', 1000, 1900, 1, 'o1,c2,3000,3900,2', 't2',
    1, 9, NULL, NULL, '', -1, ''),
  ('a2', 1, 'o1', 'out-1', 'p1', 'accepted', 'o1', 'c1', 2000, 2900, 1, NULL, 't3', 1, 9, NULL,
    77, 'phone', -1, ''),
  ('a3', 1, 'o1', 'out-1', 'p1', 'accepted', 'o1', 'c1', 4000, 4900, 1,
    'o1,c2,5000,5900,2.5,o2,c3,6000,6900,3', 't4', 1, 9, NULL, 88, 'link', 1, ''),
  ('a4', 1, 'o1', 'out-1', 'p1', 'declined', 'o1', 'c1', 7000, 7900, 1, NULL, 't5', 1, 9, NULL,
    99, 'link', -1, ''),
  ('a5', 1, 'o1', 'out-1', 'p1', 'accepted', 'o2', 'c4', 8000, 8900, 1, 'o1,c2,5000,5900,2',
    't6', 1, 9, NULL, NULL, '', 5, ''),
  ('a6', 1, 'o1', 'out-1', 'p1', 'accepted', 'o2', 'c4', 8000, 8900, 1, NULL, 't7', 1, 9, NULL,
    50, 'staff', -1, '');
)sql";

struct SlotRow {
  std::optional<std::string> rebooked_office, rebooked_clerk, confirmed_via, held_office,
      held_clerk;
  std::optional<long long> rebooked_start, rebooked_end, confirm_time, held_start, held_end;
};

std::optional<std::string> Text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}
std::optional<long long> Int(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

SlotRow ReadSlots(SQLite::Database& db, const std::string& id) {
  SQLite::Statement q(db,
                      "SELECT rebooked_office_id, rebooked_clerk_id, rebooked_start, rebooked_end, "
                      "confirmed_via, confirm_time, held_office_id, held_clerk_id, held_start, "
                      "held_end FROM appointments WHERE office_id = 'o1' AND id = ?");
  q.bind(1, id);
  EXPECT_TRUE(q.executeStep()) << id;
  SlotRow r;
  r.rebooked_office = Text(q.getColumn(0));
  r.rebooked_clerk = Text(q.getColumn(1));
  r.rebooked_start = Int(q.getColumn(2));
  r.rebooked_end = Int(q.getColumn(3));
  r.confirmed_via = Text(q.getColumn(4));
  r.confirm_time = Int(q.getColumn(5));
  r.held_office = Text(q.getColumn(6));
  r.held_clerk = Text(q.getColumn(7));
  r.held_start = Int(q.getColumn(8));
  r.held_end = Int(q.getColumn(9));
  return r;
}

TEST(MigrationSlotsTest, Step8BackfillsSlotsFromTheNewestOpenOrAcceptedOffer) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("PRAGMA foreign_keys=ON");
  ASSERT_EQ(ApplyMigrations(db, SchemaMigrations().first(7)).value(), 7);
  db.exec(kReferenceRows);
  const std::pair<const char*, domain::AppointmentStatus> rows[] = {
      {"a1", domain::AppointmentStatus::kOffered},   {"a2", domain::AppointmentStatus::kConfirmed},
      {"a3", domain::AppointmentStatus::kConfirmed}, {"a4", domain::AppointmentStatus::kDeclined},
      {"a5", domain::AppointmentStatus::kConfirmed}, {"a6", domain::AppointmentStatus::kClosed},
      {"a7", domain::AppointmentStatus::kBooked},
  };
  for (const auto& [id, status] : rows) {
    domain::Appointment a = conformance::MakeAppointment(id, "o1", "s1", At(2, 9));
    a.status = status;
    a.update_time = Instant(std::chrono::seconds(4242));
    SQLite::Statement insert(db, sqlite_internal::kInsertAppointmentCoreSql);
    sqlite_internal::BindAppointment(insert, a);
    insert.exec();
  }
  db.exec(kOfferRows);
  ASSERT_EQ(ApplyMigrations(db, SchemaMigrations()).value(),
            static_cast<int>(SchemaMigrations().size()));

  const SlotRow a1 = ReadSlots(db, "a1");
  EXPECT_EQ(a1.held_office, "o2");
  EXPECT_EQ(a1.held_clerk, "c1");
  EXPECT_EQ(a1.held_start, 1000);
  EXPECT_EQ(a1.held_end, 1900);
  EXPECT_EQ(a1.rebooked_office, std::nullopt);
  EXPECT_EQ(a1.confirmed_via, std::nullopt);

  const SlotRow a2 = ReadSlots(db, "a2");
  EXPECT_EQ(a2.rebooked_office, "o1");
  EXPECT_EQ(a2.rebooked_clerk, "c1");
  EXPECT_EQ(a2.rebooked_start, 2000);
  EXPECT_EQ(a2.rebooked_end, 2900);
  EXPECT_EQ(a2.confirmed_via, "phone");
  EXPECT_EQ(a2.confirm_time, 77);
  EXPECT_EQ(a2.held_office, std::nullopt);

  const SlotRow a3 = ReadSlots(db, "a3");  // the accepted alternative, not the main slot
  EXPECT_EQ(a3.rebooked_office, "o2");
  EXPECT_EQ(a3.rebooked_clerk, "c3");
  EXPECT_EQ(a3.rebooked_start, 6000);
  EXPECT_EQ(a3.rebooked_end, 6900);
  EXPECT_EQ(a3.confirmed_via, "link");
  EXPECT_EQ(a3.confirm_time, 88);

  const SlotRow a5 = ReadSlots(db, "a5");  // alternative out of range: the main slot holds
  EXPECT_EQ(a5.rebooked_office, "o2");
  EXPECT_EQ(a5.rebooked_clerk, "c4");
  EXPECT_EQ(a5.rebooked_start, 8000);
  EXPECT_EQ(a5.confirmed_via, "staff");
  EXPECT_EQ(a5.confirm_time, 4242);  // no respond time: the appointment's last update

  for (const char* id : {"a4", "a6", "a7"}) {
    const SlotRow r = ReadSlots(db, id);
    EXPECT_EQ(r.rebooked_office, std::nullopt) << id;
    EXPECT_EQ(r.rebooked_start, std::nullopt) << id;
    EXPECT_EQ(r.confirmed_via, std::nullopt) << id;
    EXPECT_EQ(r.held_office, std::nullopt) << id;
    EXPECT_EQ(r.held_start, std::nullopt) << id;
  }
  EXPECT_FALSE(db.tableExists("step8_accepted"));
  EXPECT_FALSE(db.tableExists("step8_fields"));
}

}  // namespace
}  // namespace rebook::storage::sqlite
