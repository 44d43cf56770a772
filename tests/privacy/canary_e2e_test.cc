// "Erased means gone from the database file": canary values written through the real server
// are found in the SQLite files before the retention purge and nowhere afterwards: not in the
// database file, its WAL or shared-memory index while the server runs, and not in a copy
// taken with SQLite's online backup API. On PostgreSQL (privacy_e2e_test.postgres) the rows are
// checked through pg_dump, which is also what a backup of them holds: the heap files belong to
// the PostgreSQL server, and dead row versions are VACUUM's (docs/deployment-postgres.md).
#include <filesystem>

#include "tests/privacy/privacy_fixture.h"

namespace rebook::testing {
namespace {

constexpr char kCanary[] = "CANARY-ERASE-91c2";
constexpr char kCanaryLower[] = "canary-erase-91c2";
constexpr char kCanaryEmail[] = "canary-erase-91c2@example.org";
constexpr char kCanaryPhone[] = "+49 345 9102 7735 18";
const char* const kNeedles[] = {kCanary, kCanaryLower, "9102 7735 18"};

v1::Contact CanaryContact() {
  v1::Contact c;
  c.set_name(absl::StrCat(kCanary, " Mustermann"));
  c.set_phone(kCanaryPhone);
  c.set_email(kCanaryEmail);
  c.set_postal_address(absl::StrCat(kCanary, " Ringstr. 1\n06108 Halle (Saale)"));
  c.set_language("de");
  c.set_channel("email");
  return c;
}

// The needles found in `bytes`.
std::vector<std::string> Found(const std::string& bytes) {
  std::vector<std::string> found;
  for (const char* n : kNeedles) {
    if (bytes.find(n) != std::string::npos) found.emplace_back(n);
  }
  return found;
}

using CanaryTest = PrivacyTest;

TEST_F(CanaryTest, PurgedCanariesAreGoneFromTheDatabaseFilesAndBackups) {
  CreateCitizen("c1", CanaryContact());
  DeclarePlanCommitAndFailOnce(kCanaryEmail);
  CloseOutage();
  const std::string db = (server_.dir() / "rebook.db").string();

  // The test can fail: before the purge the canaries are in the files (the rows).
  if (server_.postgres()) {
    EXPECT_EQ(Found(DumpRows(server_.db())).size(), 3u);
  } else {
    EXPECT_EQ(Found(ReadBytes(db) + ReadBytes(db + "-wal")).size(), 3u);
  }

  v1::PurgeExpiredDataResponse purged;
  AdvanceDays(29);
  grpc::Status s = Purge("admin-a", &purged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(purged.erased_appointment_count(), 0) << "retention (30 days) has not passed yet";

  AdvanceDays(2);
  s = Purge("admin-a", &purged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(purged.erased_appointment_count(), 1);
  EXPECT_EQ(purged.deleted_stored_response_count(), 1);  // CreateAppointment's stored answer
  EXPECT_GE(purged.scrubbed_message_count(), 1);
  EXPECT_TRUE(purged.complete());

  if (server_.postgres()) {
    const std::string rows = DumpRows(server_.db());
    EXPECT_NE(rows.find("offices"), std::string::npos) << "the dump holds no rows";
    EXPECT_EQ(Found(rows), std::vector<std::string>{});
  } else {
    // While the server still runs and holds the files open.
    for (const char* suffix : {"", "-wal", "-shm"}) {
      EXPECT_EQ(Found(ReadBytes(db + suffix)), std::vector<std::string>{}) << "rebook.db" << suffix;
    }
    const std::string backup = (server_.dir() / "backup.db").string();
    ASSERT_EQ(BackupDatabase(db, backup), "");
    const std::string copy = ReadBytes(backup);
    EXPECT_GT(copy.size(), 4096u);
    EXPECT_EQ(Found(copy + ReadBytes(backup + "-journal")), std::vector<std::string>{});
  }

  // Statistics survive: the appointment, its status and its message with its attempts.
  v1::GetAppointmentRequest get;
  get.set_name("offices/A/appointments/c1");
  v1::Appointment a;
  s = appointments_->GetAppointment(server_.Context("admin-a").get(), get, &a);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(a.contact().name(), "");
  EXPECT_EQ(a.contact().email(), "");
  EXPECT_EQ(a.contact().language(), "de");
  EXPECT_EQ(a.outage(), "outages/o1");
  EXPECT_EQ(a.status_reason(), "personal data erased");
  v1::ListMessagesRequest list;
  list.set_parent("offices/A");
  list.set_outage("outages/o1");
  v1::ListMessagesResponse messages;
  s = notifications_->ListMessages(server_.Context("admin-a").get(), list, &messages);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(messages.messages_size(), 1);
  EXPECT_GE(messages.messages(0).attempt_count(), 1);

  // A second purge finds nothing more to do.
  s = Purge("admin", &purged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(purged.erased_appointment_count(), 0);
}

}  // namespace
}  // namespace rebook::testing
