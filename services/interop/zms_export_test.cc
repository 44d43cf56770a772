#include "services/interop/zms_export.h"

#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/interop/zms_sink.h"
#include "testing/files.h"

namespace rebook::interop {
namespace {

using ::testing::HasSubstr;

Instant At(std::int64_t unix_seconds) { return Instant(std::chrono::seconds(unix_seconds)); }

domain::Appointment Confirmed(std::string id, std::string office, std::int64_t start, int minutes) {
  domain::Appointment a;
  a.id = std::move(id);
  a.office_id = "141";
  a.status = domain::AppointmentStatus::kConfirmed;
  a.contact.name = "Max Muster";
  a.contact.email = "max@example.org";
  domain::RebookedSlot r;
  r.slot = {std::move(office), "142-ws1", {At(start), At(start) + std::chrono::minutes(minutes)}};
  r.confirm_time = At(1772000000);
  a.rebooked_slot = r;
  return a;
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

TEST(ZmsExportTest, ConfirmedRebookingsAsProcessEnvelope) {
  domain::Appointment open = Confirmed("100009", "142", 1772694000, 10);
  open.status = domain::AppointmentStatus::kOffered;  // not confirmed: left out
  domain::Appointment no_slot = Confirmed("100010", "142", 1772694000, 10);
  no_slot.rebooked_slot.reset();
  ZmsExportOptions o;
  o.scopes["142"] = {"", "122281", "Bürgeramt Wedding", "dldb", 15};
  o.generated = At(1772600000);
  std::vector<ZmsRebooking> r =
      ConfirmedRebookings({Confirmed("100001", "142", 1772694000, 20), open, no_slot});
  ASSERT_EQ(r.size(), 1u);
  absl::StatusOr<std::string> text = ZmsProcessesJson(r, o);
  ASSERT_TRUE(text.ok()) << text.status();
  nlohmann::json doc = nlohmann::json::parse(*text);
  EXPECT_EQ(doc["meta"]["error"], false);
  EXPECT_EQ(doc["meta"]["length"], 1);
  EXPECT_EQ(doc["meta"]["generated"], "2026-03-04T04:53:20Z");
  const nlohmann::json& p = doc["data"][0];
  EXPECT_EQ(p["id"], 100001);
  EXPECT_EQ(p["status"], "confirmed");
  EXPECT_EQ(p["appointments"][0]["date"], 1772694000);
  EXPECT_EQ(p["appointments"][0]["slotCount"], 2);  // 20 minutes in 15-minute slots
  EXPECT_EQ(p["appointments"][0]["scope"]["id"], 142);
  EXPECT_EQ(p["scope"]["provider"]["id"], 122281);
  EXPECT_EQ(p["scope"]["provider"]["name"], "Bürgeramt Wedding");
  EXPECT_EQ(p["clients"][0]["familyName"], "Max Muster");
  EXPECT_EQ(p["clients"][0]["email"], "max@example.org");
}

TEST(ZmsExportTest, RefusesIdsZmsCannotTake) {
  ZmsExportOptions o;
  absl::StatusOr<std::string> bad_id =
      ZmsProcessesJson(ConfirmedRebookings({Confirmed("A-17", "142", 1772694000, 10)}), o);
  EXPECT_THAT(bad_id.status().message(), HasSubstr("appointment A-17 has no ZMS process id"));
  absl::StatusOr<std::string> bad_office =
      ZmsProcessesJson(ConfirmedRebookings({Confirmed("100001", "mitte", 1772694000, 10)}), o);
  EXPECT_THAT(bad_office.status().message(), HasSubstr("office \"mitte\" is no ZMS scope id"));
}

TEST(ZmsExportTest, WritesTheFileAtomically) {
  testing::ScopedTempDir dir("zms-export");
  absl::StatusOr<int> n = WriteZmsExport({Confirmed("100001", "142", 1772694000, 10)},
                                         dir.path() / "out", ZmsExportOptions());
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1);
  nlohmann::json doc = nlohmann::json::parse(ReadAll(dir.path() / "out" / "processes.json"));
  EXPECT_EQ(doc["data"][0]["scope"]["provider"]["name"], "Scope 142");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out" / "processes.json.tmp"));
}

domain::ChangeEvent Event(std::int64_t cursor, domain::ChangeKind kind) {
  domain::ChangeEvent e;
  e.cursor = cursor;
  e.event_id = "e" + std::to_string(cursor);
  e.kind = kind;
  e.appointment = {"141", std::to_string(100000 + cursor)};
  e.change_time = At(1772600000 + cursor);
  if (kind == domain::ChangeKind::kSlotConfirmed) {
    e.status = domain::AppointmentStatus::kConfirmed;
    e.rebooked_slot = Confirmed("x", "142", 1772694000, 10).rebooked_slot;
  }
  return e;
}

TEST(ZmsSinkTest, OneFilePerBatchNamedByCursorsRepeatIsHarmless) {
  testing::ScopedTempDir dir("zms-sink");
  ZmsSink sink({dir.path(), {}});
  EXPECT_EQ(sink.name(), "zms");
  std::vector<domain::ChangeEvent> batch = {Event(41, domain::ChangeKind::kSlotHeld),
                                            Event(42, domain::ChangeKind::kSlotConfirmed),
                                            Event(43, domain::ChangeKind::kStatusChanged)};
  ASSERT_TRUE(sink.Write(batch).ok());
  std::filesystem::path file = dir.path() / ZmsSink::FileName(41, 43);
  EXPECT_EQ(file.filename(), "processes-00000000000000000041-00000000000000000043.json");
  std::string first = ReadAll(file);
  nlohmann::json doc = nlohmann::json::parse(first);
  ASSERT_EQ(doc["data"].size(), 1u);
  EXPECT_EQ(doc["data"][0]["id"], 100042);
  EXPECT_FALSE(doc["data"][0].contains("clients"));
  ASSERT_TRUE(sink.Write(batch).ok());  // the batch in flight, written again after a crash
  EXPECT_EQ(ReadAll(file), first);
  // A batch without a confirmation writes nothing.
  ASSERT_TRUE(
      sink.Write(std::vector<domain::ChangeEvent>{Event(44, domain::ChangeKind::kSlotHeld)}).ok());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

}  // namespace
}  // namespace rebook::interop
